package io.quire.contents.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.contents.GetOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotebookCacheTest {
    @TempDir
    Path root;

    private static String notebook(String source) {
        return "{\"cells\": [{\"cell_type\": \"markdown\", \"id\": \"a\", \"metadata\": {}, \"source\": \"" + source
                + "\"}], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}";
    }

    @Test
    void get_seesAnExternalRewriteOfTheSameSize() throws Exception {
        FileContentsManager contents = FileContentsManager.create(root);
        Path file = Files.writeString(root.resolve("n.ipynb"), notebook("one"));
        assertThat(contents.get("n.ipynb", GetOptions.defaults()).content().orElseThrow().toString()).contains("one");
        Files.writeString(file, notebook("two"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(contents.get("n.ipynb", GetOptions.defaults()).content().orElseThrow().toString()).contains("two");
    }

    @Test
    void get_returnsContentThatCallersCannotUseToCorruptTheCache() throws Exception {
        FileContentsManager contents = FileContentsManager.create(root);
        Files.writeString(root.resolve("n.ipynb"), notebook("one"));
        var first = contents.get("n.ipynb", GetOptions.defaults()).content().orElseThrow();
        ((com.fasterxml.jackson.databind.node.ObjectNode) first).put("nbformat", 99);
        var second = contents.get("n.ipynb", GetOptions.defaults()).content().orElseThrow();
        assertThat(second.path("nbformat").asInt()).isEqualTo(4);
    }
}
