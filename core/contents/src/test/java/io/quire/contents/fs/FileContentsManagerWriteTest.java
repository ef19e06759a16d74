package io.quire.contents.fs;

import static io.quire.contents.fs.Fixtures.NOTEBOOK;
import static io.quire.contents.fs.Fixtures.json;
import static io.quire.contents.fs.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.contents.ContentFormat;
import io.quire.contents.ContentModel;
import io.quire.contents.ContentType;
import io.quire.contents.ContentsBadRequestException;
import io.quire.contents.ContentsConflictException;
import io.quire.contents.ContentsNotFoundException;
import io.quire.contents.SaveRequest;
import io.quire.notebook.Notebook;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileContentsManagerWriteTest {
    @TempDir
    Path root;

    private FileContentsManager contents;

    @BeforeEach
    void setUp() {
        contents = FileContentsManager.create(root);
    }

    @Test
    void save_notebook_writesNbformatBytesAndReturnsModelWithoutContent() throws Exception {
        ContentModel model = contents.save("nb.ipynb", SaveRequest.notebook(json(NOTEBOOK)));

        assertThat(model.type()).isEqualTo(ContentType.NOTEBOOK);
        assertThat(model.content()).isEmpty();
        assertThat(model.format()).isEmpty();
        assertThat(Files.readAllBytes(root.resolve("nb.ipynb"))).isEqualTo(Notebook.fromJson(json(NOTEBOOK)).toBytes());
        assertThat(contents.get("nb.ipynb").content()).contains(json(NOTEBOOK));
    }

    @Test
    void save_notebook_createsTheFirstCheckpoint() {
        contents.save("nb.ipynb", SaveRequest.notebook(json(NOTEBOOK)));

        assertThat(contents.listCheckpoints("nb.ipynb")).extracting(c -> c.id()).containsExactly("checkpoint");
    }

    @Test
    void save_malformedNotebook_isBadRequestNamingTheJsonPath() {
        JsonNode bad = json("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {},"
                + " \"cells\": [{\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [], \"source\": 42}]}");

        assertThatThrownBy(() -> contents.save("nb.ipynb", SaveRequest.notebook(bad)))
                .isInstanceOf(ContentsBadRequestException.class)
                .hasMessageContaining("nb.ipynb")
                .hasMessageContaining("$.cells[0]");
        assertThat(root.resolve("nb.ipynb")).doesNotExist();
    }

    @Test
    void save_malformedNotebook_leavesTheExistingFileUntouched() throws Exception {
        write(root.resolve("nb.ipynb"), NOTEBOOK);

        assertThatThrownBy(() -> contents.save("nb.ipynb", SaveRequest.notebook(json("{\"nbformat\": 4}"))))
                .isInstanceOf(ContentsBadRequestException.class);
        assertThat(Files.readString(root.resolve("nb.ipynb"))).isEqualTo(NOTEBOOK);
    }

    @Test
    void save_text_writesUtf8Exactly() throws Exception {
        contents.save("a.txt", SaveRequest.text("line\r\nzwei ü\n"));

        assertThat(Files.readString(root.resolve("a.txt"))).isEqualTo("line\r\nzwei ü\n");
    }

    @Test
    void save_base64_roundTripsBinaryBytes() throws Exception {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }

        contents.save("all.bin", SaveRequest.bytes(bytes));
        ContentModel model = contents.get("all.bin");

        assertThat(Files.readAllBytes(root.resolve("all.bin"))).isEqualTo(bytes);
        assertThat(model.format()).contains(ContentFormat.BASE64);
        contents.save("again.bin", SaveRequest.base64(model.content().orElseThrow().asText()));
        assertThat(Files.readAllBytes(root.resolve("again.bin"))).isEqualTo(bytes);
    }

    @Test
    void save_invalidBase64_isBadRequest() {
        assertThatThrownBy(() -> contents.save("x.bin", SaveRequest.base64("abc")))
                .isInstanceOf(ContentsBadRequestException.class)
                .hasMessageContaining("x.bin");
    }

    @Test
    void save_directory_createsItAndIsIdempotent() {
        contents.save("d", SaveRequest.directory());
        ContentModel model = contents.save("d", SaveRequest.directory());

        assertThat(model.type()).isEqualTo(ContentType.DIRECTORY);
        assertThat(root.resolve("d")).isDirectory();
    }

    @Test
    void save_intoMissingDirectory_isNotFound() {
        assertThatThrownBy(() -> contents.save("no/such/a.txt", SaveRequest.text("x")))
                .isInstanceOf(ContentsNotFoundException.class)
                .hasMessageContaining("no/such");
    }

    @Test
    void save_fileOverDirectory_isBadRequest() {
        contents.save("d", SaveRequest.directory());

        assertThatThrownBy(() -> contents.save("d", SaveRequest.text("x")))
                .isInstanceOf(ContentsBadRequestException.class);
    }

    @Test
    void save_replacingAFile_keepsItsPermissions() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path file = write(root.resolve("script.sh"), "echo 1\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-x---"));

        contents.save("script.sh", SaveRequest.text("echo 2\n"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rwxr-x---");
        assertThat(Files.readString(file)).isEqualTo("echo 2\n");
    }

    @Test
    void save_leavesNoTemporaryFilesBehind() throws Exception {
        contents.save("a.txt", SaveRequest.text("1"));
        contents.save("a.txt", SaveRequest.text("2"));

        try (Stream<Path> files = Files.list(root)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.txt");
        }
    }

    @Test
    void newUntitled_namesNotebooksAsJupyter() {
        assertThat(contents.newUntitled("", Optional.of(ContentType.NOTEBOOK), "").name()).isEqualTo("Untitled.ipynb");
        assertThat(contents.newUntitled("", Optional.empty(), ".ipynb").name()).isEqualTo("Untitled1.ipynb");
        assertThat(contents.newUntitled("", Optional.of(ContentType.NOTEBOOK), "").name()).isEqualTo("Untitled2.ipynb");
        assertThat(Notebook.read(root.resolve("Untitled.ipynb")).cells()).isEmpty();
    }

    @Test
    void newUntitled_namesFilesAsJupyter() {
        assertThat(contents.newUntitled("", Optional.empty(), ".txt").name()).isEqualTo("untitled.txt");
        assertThat(contents.newUntitled("", Optional.of(ContentType.FILE), ".txt").name()).isEqualTo("untitled1.txt");
        assertThat(contents.newUntitled("", Optional.empty(), "").name()).isEqualTo("untitled");
        assertThat(contents.newUntitled("", Optional.empty(), "").name()).isEqualTo("untitled1");
        assertThat(contents.newUntitled("", Optional.empty(), "md").name()).isEqualTo("untitled.md");
    }

    @Test
    void newUntitled_namesDirectoriesAsJupyter() {
        contents.save("sub", SaveRequest.directory());

        assertThat(contents.newUntitled("sub", Optional.of(ContentType.DIRECTORY), "").path())
                .isEqualTo("sub/Untitled Folder");
        assertThat(contents.newUntitled("sub", Optional.of(ContentType.DIRECTORY), "").name())
                .isEqualTo("Untitled Folder 1");
        assertThat(contents.newUntitled("sub", Optional.of(ContentType.DIRECTORY), "").name())
                .isEqualTo("Untitled Folder 2");
        assertThat(root.resolve("sub/Untitled Folder 2")).isDirectory();
    }

    @Test
    void newUntitled_inMissingDirectory_isNotFound() {
        assertThatThrownBy(() -> contents.newUntitled("missing", Optional.empty(), ".txt"))
                .isInstanceOf(ContentsNotFoundException.class);
    }

    @Test
    void copy_intoSameDirectory_namesCopiesAsJupyter() {
        write(root.resolve("d/nb.ipynb"), NOTEBOOK);

        assertThat(contents.copy("d/nb.ipynb").path()).isEqualTo("d/nb-Copy1.ipynb");
        assertThat(contents.copy("d/nb.ipynb", "d").name()).isEqualTo("nb-Copy2.ipynb");
        assertThat(contents.copy("d/nb-Copy1.ipynb").name()).isEqualTo("nb-Copy3.ipynb");
        assertThat(contents.get("d/nb-Copy3.ipynb").content()).contains(json(NOTEBOOK));
    }

    @Test
    void copy_ofMultiPartExtension_insertsBeforeTheFirstDot() {
        write(root.resolve("data.tar.gz"), new byte[] {1, 2});

        assertThat(contents.copy("data.tar.gz").name()).isEqualTo("data-Copy1.tar.gz");
    }

    @Test
    void copy_intoOtherDirectory_keepsTheName() {
        write(root.resolve("a.txt"), "a");
        contents.save("other", SaveRequest.directory());

        assertThat(contents.copy("a.txt", "other").path()).isEqualTo("other/a.txt");
    }

    @Test
    void copy_toFullPath_usesIt_andRefusesAnExistingTarget() throws Exception {
        write(root.resolve("a.txt"), "a");

        assertThat(contents.copy("a.txt", "b.txt").path()).isEqualTo("b.txt");
        assertThat(Files.readString(root.resolve("b.txt"))).isEqualTo("a");
        assertThatThrownBy(() -> contents.copy("a.txt", "b.txt")).isInstanceOf(ContentsConflictException.class);
    }

    @Test
    void copy_directory_copiesTheTree() throws Exception {
        write(root.resolve("data/x/y.txt"), "y");

        ContentModel copy = contents.copy("data", "");

        assertThat(copy.path()).isEqualTo("data-Copy1");
        assertThat(copy.type()).isEqualTo(ContentType.DIRECTORY);
        assertThat(Files.readString(root.resolve("data-Copy1/x/y.txt"))).isEqualTo("y");
    }

    @Test
    void copy_directoryIntoItself_isBadRequest() {
        write(root.resolve("data/y.txt"), "y");

        assertThatThrownBy(() -> contents.copy("data", "data")).isInstanceOf(ContentsBadRequestException.class);
    }

    @Test
    void copy_ofMissingSource_isNotFound() {
        assertThatThrownBy(() -> contents.copy("none.txt")).isInstanceOf(ContentsNotFoundException.class);
    }

    @Test
    void rename_movesTheFileAndItsCheckpoint() {
        write(root.resolve("a.ipynb"), NOTEBOOK);
        contents.createCheckpoint("a.ipynb");
        contents.save("sub", SaveRequest.directory());

        ContentModel moved = contents.rename("a.ipynb", "sub/b.ipynb");

        assertThat(moved.path()).isEqualTo("sub/b.ipynb");
        assertThat(moved.content()).isEmpty();
        assertThat(contents.exists("a.ipynb")).isFalse();
        assertThat(contents.listCheckpoints("a.ipynb")).isEmpty();
        assertThat(contents.listCheckpoints("sub/b.ipynb")).hasSize(1);
    }

    @Test
    void rename_ontoAnExistingFile_isConflict() throws Exception {
        write(root.resolve("a.txt"), "a");
        write(root.resolve("b.txt"), "b");

        assertThatThrownBy(() -> contents.rename("a.txt", "b.txt"))
                .isInstanceOf(ContentsConflictException.class)
                .hasMessageContaining("b.txt");
        assertThat(Files.readString(root.resolve("b.txt"))).isEqualTo("b");
    }

    @Test
    void rename_ofMissingFile_isNotFound() {
        assertThatThrownBy(() -> contents.rename("a.txt", "b.txt")).isInstanceOf(ContentsNotFoundException.class);
    }

    @Test
    void rename_toItsOwnPath_changesNothing() {
        write(root.resolve("a.txt"), "a");

        assertThat(contents.rename("a.txt", "a.txt").path()).isEqualTo("a.txt");
    }

    @Test
    void rename_directoryIntoItself_isBadRequest() {
        contents.save("d", SaveRequest.directory());

        assertThatThrownBy(() -> contents.rename("d", "d/e")).isInstanceOf(ContentsBadRequestException.class);
    }

    @Test
    void delete_removesTheFileAndItsCheckpoint() {
        write(root.resolve("a.txt"), "a");
        contents.createCheckpoint("a.txt");

        contents.delete("a.txt");

        assertThat(root.resolve("a.txt")).doesNotExist();
        assertThat(root.resolve(".ipynb_checkpoints/a-checkpoint.txt")).doesNotExist();
    }

    @Test
    void delete_ofEmptyDirectory_withLeftoverCheckpoints_removesIt() {
        write(root.resolve("d/a.txt"), "a");
        contents.createCheckpoint("d/a.txt");
        Fixtures.write(root.resolve("d/.ipynb_checkpoints/orphan-checkpoint.txt"), "o");
        contents.delete("d/a.txt");

        contents.delete("d");

        assertThat(root.resolve("d")).doesNotExist();
    }

    @Test
    void delete_ofNonEmptyDirectory_isBadRequest() {
        write(root.resolve("d/a.txt"), "a");

        assertThatThrownBy(() -> contents.delete("d"))
                .isInstanceOf(ContentsBadRequestException.class)
                .hasMessageContaining("not empty");
        assertThat(root.resolve("d/a.txt")).exists();
    }

    @Test
    void delete_ofNonEmptyDirectory_withAlwaysDeleteDir_removesTheTree() {
        write(root.resolve("d/e/a.txt"), "a");
        FileContentsManager eager = FileContentsManager.create(root,
                FileContentsManager.Options.defaults().withAlwaysDeleteDir(true));

        eager.delete("d");

        assertThat(root.resolve("d")).doesNotExist();
    }

    @Test
    void delete_ofRoot_isBadRequest() {
        assertThatThrownBy(() -> contents.delete("")).isInstanceOf(ContentsBadRequestException.class);
    }

    @Test
    void delete_ofMissingPath_isNotFound() {
        assertThatThrownBy(() -> contents.delete("x")).isInstanceOf(ContentsNotFoundException.class);
    }
}
