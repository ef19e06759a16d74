package io.quire.contents.fs;

import static io.quire.contents.fs.Fixtures.NOTEBOOK;
import static io.quire.contents.fs.Fixtures.json;
import static io.quire.contents.fs.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.contents.ContentFormat;
import io.quire.contents.ContentModel;
import io.quire.contents.ContentType;
import io.quire.contents.ContentsBadRequestException;
import io.quire.contents.ContentsNotFoundException;
import io.quire.contents.GetOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileContentsManagerGetTest {
    @TempDir
    Path root;

    private FileContentsManager contents;

    @BeforeEach
    void setUp() {
        contents = FileContentsManager.create(root);
    }

    @Test
    void get_returnsNotebookAsJsonLosslessly() {
        write(root.resolve("a/nb.ipynb"), NOTEBOOK);

        ContentModel model = contents.get("a/nb.ipynb");

        assertThat(model.type()).isEqualTo(ContentType.NOTEBOOK);
        assertThat(model.name()).isEqualTo("nb.ipynb");
        assertThat(model.path()).isEqualTo("a/nb.ipynb");
        assertThat(model.format()).contains(ContentFormat.JSON);
        assertThat(model.mimetype()).isEmpty();
        assertThat(model.content()).contains(json(NOTEBOOK));
        assertThat(model.size()).contains((long) NOTEBOOK.getBytes(StandardCharsets.UTF_8).length);
        assertThat(model.writable()).isTrue();
    }

    @Test
    void get_ofMissingPath_isNotFound() {
        assertThatThrownBy(() -> contents.get("nope/missing.txt"))
                .isInstanceOf(ContentsNotFoundException.class)
                .hasMessageContaining("nope/missing.txt")
                .extracting(e -> ((ContentsNotFoundException) e).code()).isEqualTo("contents.not_found");
    }

    @Test
    void get_ofUtf8File_isText() {
        write(root.resolve("notes.txt"), "héllo\n");

        ContentModel model = contents.get("notes.txt");

        assertThat(model.type()).isEqualTo(ContentType.FILE);
        assertThat(model.format()).contains(ContentFormat.TEXT);
        assertThat(model.content().map(JsonNode::asText)).contains("héllo\n");
        assertThat(model.mimetype()).contains("text/plain");
    }

    @Test
    void get_ofNonUtf8File_fallsBackToBase64WithOctetStream() {
        byte[] bytes = {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80};
        write(root.resolve("blob"), bytes);

        ContentModel model = contents.get("blob");

        assertThat(model.format()).contains(ContentFormat.BASE64);
        assertThat(model.mimetype()).contains("application/octet-stream");
        assertThat(Base64.getMimeDecoder().decode(model.content().orElseThrow().asText())).isEqualTo(bytes);
    }

    @Test
    void get_ofUnknownTextExtension_guessesTextPlain() {
        write(root.resolve("data.unknownext"), "plain");

        assertThat(contents.get("data.unknownext").mimetype()).contains("text/plain");
        assertThat(contents.get("data.unknownext", GetOptions.metadataOnly()).mimetype()).isEmpty();
    }

    @Test
    void get_base64_wrapsLinesAsPythonEncodebytes() {
        byte[] bytes = new byte[100];
        Arrays.fill(bytes, (byte) 0xff);
        write(root.resolve("img.png"), bytes);

        String content = contents.get("img.png").content().orElseThrow().asText();

        assertThat(content).isEqualTo(Base64.getEncoder().encodeToString(bytes).substring(0, 76) + "\n"
                + Base64.getEncoder().encodeToString(bytes).substring(76) + "\n");
        assertThat(contents.get("img.png").mimetype()).contains("image/png");
    }

    @Test
    void get_withTextFormatOfBinaryFile_isBadRequest() {
        write(root.resolve("blob.bin"), new byte[] {(byte) 0xc3, 0x28});

        assertThatThrownBy(() -> contents.get("blob.bin", GetOptions.defaults().withFormat(ContentFormat.TEXT)))
                .isInstanceOf(ContentsBadRequestException.class)
                .hasMessageContaining("blob.bin")
                .hasMessageContaining("UTF-8");
    }

    @Test
    void get_withBase64FormatOfTextFile_givesBase64() {
        write(root.resolve("t.txt"), "abc");

        ContentModel model = contents.get("t.txt", GetOptions.defaults().withFormat(ContentFormat.BASE64));

        assertThat(model.format()).contains(ContentFormat.BASE64);
        assertThat(model.content().map(JsonNode::asText)).contains("YWJj\n");
    }

    @Test
    void get_withJsonFormatOfFile_isBadRequest() {
        write(root.resolve("t.txt"), "abc");

        assertThatThrownBy(() -> contents.get("t.txt", GetOptions.defaults().withFormat(ContentFormat.JSON)))
                .isInstanceOf(ContentsBadRequestException.class);
    }

    @Test
    void get_directoryAsFile_isBadRequest() {
        assertThatThrownBy(() -> contents.get("", GetOptions.defaults().withType(ContentType.FILE)))
                .isInstanceOf(ContentsBadRequestException.class)
                .hasMessageContaining("is a directory");
    }

    @Test
    void get_fileAsDirectory_isBadRequest() {
        write(root.resolve("t.txt"), "abc");

        assertThatThrownBy(() -> contents.get("t.txt", GetOptions.defaults().withType(ContentType.DIRECTORY)))
                .isInstanceOf(ContentsBadRequestException.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    void get_notebookAsFile_givesItsText() {
        write(root.resolve("nb.ipynb"), NOTEBOOK);

        ContentModel model = contents.get("nb.ipynb", GetOptions.defaults().withType(ContentType.FILE));

        assertThat(model.type()).isEqualTo(ContentType.FILE);
        assertThat(model.content().map(JsonNode::asText)).contains(NOTEBOOK);
    }

    @Test
    void get_ofMalformedNotebook_isBadRequestNamingTheFile() {
        write(root.resolve("bad.ipynb"), "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": 3}");

        assertThatThrownBy(() -> contents.get("bad.ipynb"))
                .isInstanceOf(ContentsBadRequestException.class)
                .hasMessageContaining("bad.ipynb")
                .hasMessageContaining("$.cells");
    }

    @Test
    void get_withoutContent_leavesContentAndFormatEmpty() {
        write(root.resolve("nb.ipynb"), NOTEBOOK);

        ContentModel model = contents.get("nb.ipynb", GetOptions.metadataOnly());

        assertThat(model.content()).isEmpty();
        assertThat(model.format()).isEmpty();
        assertThat(model.hash()).isEmpty();
    }

    @Test
    void get_withHash_givesSha256OfTheBytes() throws Exception {
        write(root.resolve("nb.ipynb"), NOTEBOOK);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(NOTEBOOK.getBytes(StandardCharsets.UTF_8)));

        ContentModel model = contents.get("nb.ipynb", GetOptions.metadataOnly().withHash(true));

        assertThat(model.hash()).contains(expected);
        assertThat(model.hashAlgorithm()).contains("sha256");
        assertThat(model.content()).isEmpty();
    }

    @Test
    void get_directory_listsChildrenWithoutContentSortedByName() {
        write(root.resolve("d/b.txt"), "b");
        write(root.resolve("d/a.ipynb"), NOTEBOOK);
        write(root.resolve("d/sub/x.txt"), "x");

        ContentModel dir = contents.get("d");

        assertThat(dir.type()).isEqualTo(ContentType.DIRECTORY);
        assertThat(dir.format()).contains(ContentFormat.JSON);
        assertThat(dir.size()).isEmpty();
        assertThat(dir.children()).extracting(ContentModel::name).containsExactly("a.ipynb", "b.txt", "sub");
        assertThat(dir.children()).extracting(ContentModel::type)
                .containsExactly(ContentType.NOTEBOOK, ContentType.FILE, ContentType.DIRECTORY);
        assertThat(dir.children()).allSatisfy(child -> assertThat(child.content()).isEmpty());
        for (JsonNode child : dir.content().orElseThrow()) {
            assertThat(child.get("content").isNull()).isTrue();
            assertThat(child.get("format").isNull()).isTrue();
        }
        assertThat(dir.children().get(0).path()).isEqualTo("d/a.ipynb");
    }

    @Test
    void get_root_hasEmptyNameAndPath() {
        write(root.resolve("x.txt"), "x");

        ContentModel model = contents.get("");

        assertThat(model.name()).isEmpty();
        assertThat(model.path()).isEmpty();
        assertThat(model.children()).extracting(ContentModel::path).containsExactly("x.txt");
    }

    @Test
    void get_directory_leavesOutHiddenEntriesCheckpointsAndHideGlobs() throws Exception {
        write(root.resolve(".secret"), "s");
        write(root.resolve(".hiddendir/x.txt"), "x");
        write(root.resolve("mod.pyc"), "c");
        Files.createDirectories(root.resolve("__pycache__"));
        write(root.resolve("visible.txt"), "v");
        contents.createCheckpoint("visible.txt");

        assertThat(contents.get("").children()).extracting(ContentModel::name).containsExactly("visible.txt");
    }

    @Test
    void get_directoryWithAllowHidden_listsHiddenButNotCheckpoints() {
        write(root.resolve(".secret"), "s");
        write(root.resolve("visible.txt"), "v");
        FileContentsManager permissive = FileContentsManager.create(root,
                FileContentsManager.Options.defaults().withAllowHidden(true));
        permissive.createCheckpoint("visible.txt");

        assertThat(permissive.get("").children()).extracting(ContentModel::name)
                .containsExactly(".secret", "visible.txt");
        assertThat(permissive.get(".secret").content().map(JsonNode::asText)).contains("s");
    }

    @Test
    void exists_reportsFilesAndDirectories() {
        write(root.resolve("d/x.txt"), "x");

        assertThat(contents.exists("d")).isTrue();
        assertThat(contents.exists("d/x.txt")).isTrue();
        assertThat(contents.exists("d/y.txt")).isFalse();
        assertThat(contents.exists("")).isTrue();
    }

    @Test
    void toJson_ofFileModel_hasEveryJupyterFieldWithNulls() {
        write(root.resolve("x.txt"), "x");

        JsonNode json = contents.get("x.txt", GetOptions.metadataOnly()).toJson();

        assertThat(json.properties()).extracting(java.util.Map.Entry::getKey).containsExactly("name", "path",
                "last_modified", "created", "content", "format", "mimetype", "size", "writable", "hash",
                "hash_algorithm", "type");
        assertThat(json.get("content").isNull()).isTrue();
        assertThat(json.get("hash").isNull()).isTrue();
        assertThat(json.get("size").asLong()).isEqualTo(1);
        assertThat(json.get("type").asText()).isEqualTo("file");
        assertThat(json.get("last_modified").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?Z");
        assertThat(ContentModel.create(json)).isEqualTo(contents.get("x.txt", GetOptions.metadataOnly()));
    }

    @Test
    void toJson_ofDirectoryModel_hasNullSize() {
        JsonNode json = contents.get("").toJson();

        assertThat(json.get("size").isNull()).isTrue();
        assertThat(json.get("mimetype").isNull()).isTrue();
        assertThat(json.get("format").asText()).isEqualTo("json");
        assertThat(json.get("content").isArray()).isTrue();
        assertThat(Optional.of(json.get("type").asText())).contains("directory");
    }
}
