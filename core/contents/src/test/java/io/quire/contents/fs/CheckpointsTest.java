package io.quire.contents.fs;

import static io.quire.contents.fs.Fixtures.NOTEBOOK;
import static io.quire.contents.fs.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.contents.Checkpoint;
import io.quire.contents.ContentsBadRequestException;
import io.quire.contents.ContentsNotFoundException;
import io.quire.contents.SaveRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
    @TempDir
    Path root;

    private FileContentsManager contents;

    @BeforeEach
    void setUp() {
        contents = FileContentsManager.create(root);
    }

    @Test
    void createCheckpoint_storesACopyUnderIpynbCheckpointsWithTheFilesTime() throws Exception {
        Path file = write(root.resolve("d/nb.ipynb"), NOTEBOOK);
        Instant modified = Instant.parse("2024-01-02T03:04:05.123456Z");
        Files.setLastModifiedTime(file, FileTime.from(modified));

        Checkpoint checkpoint = contents.createCheckpoint("d/nb.ipynb");

        assertThat(checkpoint).isEqualTo(new Checkpoint("checkpoint", modified));
        assertThat(checkpoint.toJson().toString())
                .isEqualTo("{\"id\":\"checkpoint\",\"last_modified\":\"2024-01-02T03:04:05.123456Z\"}");
        assertThat(Files.readString(root.resolve("d/.ipynb_checkpoints/nb-checkpoint.ipynb"))).isEqualTo(NOTEBOOK);
    }

    @Test
    void createCheckpoint_twice_keepsOneCheckpoint() {
        write(root.resolve("a.txt"), "1");
        contents.createCheckpoint("a.txt");
        contents.save("a.txt", SaveRequest.text("2"));
        contents.createCheckpoint("a.txt");

        assertThat(contents.listCheckpoints("a.txt")).extracting(Checkpoint::id).containsExactly("checkpoint");
    }

    @Test
    void listCheckpoints_ofFileWithoutCheckpoint_isEmpty() {
        write(root.resolve("a.txt"), "1");

        assertThat(contents.listCheckpoints("a.txt")).isEmpty();
        assertThat(contents.listCheckpoints("missing.txt")).isEmpty();
    }

    @Test
    void restoreCheckpoint_bringsBackTheCheckpointedContent() throws Exception {
        write(root.resolve("a.txt"), "original");
        contents.createCheckpoint("a.txt");
        contents.save("a.txt", SaveRequest.text("changed"));

        contents.restoreCheckpoint("a.txt", "checkpoint");

        assertThat(Files.readString(root.resolve("a.txt"))).isEqualTo("original");
        assertThat(contents.listCheckpoints("a.txt")).hasSize(1);
    }

    @Test
    void restoreCheckpoint_withUnknownId_isNotFound() {
        write(root.resolve("a.txt"), "original");
        contents.createCheckpoint("a.txt");

        assertThatThrownBy(() -> contents.restoreCheckpoint("a.txt", "other"))
                .isInstanceOf(ContentsNotFoundException.class)
                .hasMessageContaining("a.txt");
    }

    @Test
    void deleteCheckpoint_removesIt_andASecondDeleteIsNotFound() {
        write(root.resolve("a.txt"), "original");
        contents.createCheckpoint("a.txt");

        contents.deleteCheckpoint("a.txt", "checkpoint");

        assertThat(contents.listCheckpoints("a.txt")).isEmpty();
        assertThatThrownBy(() -> contents.deleteCheckpoint("a.txt", "checkpoint"))
                .isInstanceOf(ContentsNotFoundException.class);
    }

    @Test
    void createCheckpoint_ofDirectory_isBadRequest() {
        contents.save("d", SaveRequest.directory());

        assertThatThrownBy(() -> contents.createCheckpoint("d")).isInstanceOf(ContentsBadRequestException.class);
    }

    @Test
    void createCheckpoint_ofMissingFile_isNotFound() {
        assertThatThrownBy(() -> contents.createCheckpoint("nope.ipynb")).isInstanceOf(ContentsNotFoundException.class);
    }

    @Test
    void checkpointName_splitsTheExtensionAsPythonSplitext() {
        write(root.resolve("archive.tar.gz"), "z");
        write(root.resolve("README"), "r");

        contents.createCheckpoint("archive.tar.gz");
        contents.createCheckpoint("README");

        assertThat(root.resolve(".ipynb_checkpoints/archive.tar-checkpoint.gz")).exists();
        assertThat(root.resolve(".ipynb_checkpoints/README-checkpoint")).exists();
    }
}
