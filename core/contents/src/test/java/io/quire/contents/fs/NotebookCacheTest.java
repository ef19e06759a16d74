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

    @Test
    void aNotebookTooLargeToKeep_isRememberedAsVerified_withoutItsTree() throws Exception {
        NotebookCache cache = new NotebookCache(4096);
        Path file = Files.writeString(root.resolve("big.ipynb"), notebook("big"));
        var attributes = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(notebook("big"));

        cache.put(file, attributes, tree, 2048); // over a quarter of the bound

        assertThat(cache.get(file, attributes)).as("the tree is not kept").isEmpty();
        assertThat(cache.verified(file, attributes)).as("but its stored bytes can be sent as they are").isTrue();
        Files.writeString(file, notebook("BIG"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(cache.verified(file, Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class)))
                .as("not once the file changed").isFalse();
    }

    @Test
    void storedNotebookJson_ofALargeNotebook_afterOneRead() throws Exception {
        FileContentsManager contents = FileContentsManager.create(root);
        // a notebook over 16 MiB (a quarter of the manager's cache bound): read once, its bytes are then served as stored
        String big = "x".repeat(17 * 1024 * 1024);
        Files.writeString(root.resolve("big.ipynb"), notebook(big));
        assertThat(contents.storedNotebookJson("big.ipynb")).as("not read yet").isEmpty();

        contents.get("big.ipynb", GetOptions.defaults());

        assertThat(contents.storedNotebookJson("big.ipynb")).hasValueSatisfying(bytes ->
                assertThat(bytes).hasSize(notebook(big).length()));
    }

    @Test
    void storedNotebookJson_keepsTheBytesOfAnUnchangedNotebook_andRereadsAChangedOne() throws Exception {
        FileContentsManager contents = FileContentsManager.create(root);
        Path file = Files.writeString(root.resolve("n.ipynb"), notebook("one"));
        contents.get("n.ipynb", GetOptions.defaults());

        byte[] first = contents.storedNotebookJson("n.ipynb").orElseThrow();
        byte[] again = contents.storedNotebookJson("n.ipynb").orElseThrow();
        assertThat(again).as("the kept bytes, not a second read").isSameAs(first);
        assertThat(new String(again, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(notebook("one"));

        Files.writeString(file, notebook("two"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(contents.storedNotebookJson("n.ipynb")).as("changed on disk: not verified any more").isEmpty();
        contents.get("n.ipynb", GetOptions.defaults());
        assertThat(contents.storedNotebookJson("n.ipynb")).hasValueSatisfying(bytes -> assertThat(
                new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(notebook("two")));
        Files.delete(file);
        assertThat(contents.storedNotebookJson("n.ipynb")).as("deleted").isEmpty();
    }

    @Test
    void keepStored_countsTheBytesAgainstTheBound_andKeepsOnlySmallOnes() throws Exception {
        NotebookCache cache = new NotebookCache(16 * 1024);
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        Path small = Files.writeString(root.resolve("s.ipynb"), notebook("s".repeat(600)));
        Path large = Files.writeString(root.resolve("l.ipynb"), notebook("l".repeat(1500)));
        var smallAttributes = Files.readAttributes(small, java.nio.file.attribute.BasicFileAttributes.class);
        var largeAttributes = Files.readAttributes(large, java.nio.file.attribute.BasicFileAttributes.class);
        cache.put(small, smallAttributes, mapper.readTree(small.toFile()), Files.size(small));
        cache.put(large, largeAttributes, mapper.readTree(large.toFile()), Files.size(large));

        cache.keepStored(large, largeAttributes, Files.readAllBytes(large)); // over a sixteenth of the bound
        assertThat(cache.stored(large, largeAttributes)).as("too large to keep its bytes").isEmpty();
        assertThat(cache.verified(large, largeAttributes)).isTrue();

        byte[] smallBytes = Files.readAllBytes(small);
        cache.keepStored(small, smallAttributes, smallBytes);
        assertThat(cache.stored(small, smallAttributes)).hasValue(smallBytes);
        assertThat(cache.get(small, smallAttributes)).as("the tree stays").isPresent();

        // more notebooks with kept bytes push the least recently used ones out: the bound holds bytes and trees
        for (int i = 0; i < 12; i++) {
            Path other = Files.writeString(root.resolve("o" + i + ".ipynb"), notebook("o".repeat(600)));
            var attributes = Files.readAttributes(other, java.nio.file.attribute.BasicFileAttributes.class);
            cache.put(other, attributes, mapper.readTree(other.toFile()), Files.size(other));
            cache.keepStored(other, attributes, Files.readAllBytes(other));
        }
        assertThat(cache.verified(small, smallAttributes)).as("evicted").isFalse();
        assertThat(cache.stored(small, smallAttributes)).isEmpty();
    }

    @Test
    void notebook_isTheModelOfWhatGetReturns() throws Exception {
        FileContentsManager contents = FileContentsManager.create(root);
        Files.writeString(root.resolve("n.ipynb"), notebook("one"));
        var model = contents.notebook("n.ipynb").orElseThrow();
        assertThat(model).isEqualTo(io.quire.notebook.Notebook.fromJson(
                contents.get("n.ipynb", GetOptions.defaults()).content().orElseThrow()));
        assertThat(model.cells()).hasSize(1);
    }

    @Test
    void notebook_ofALargeNotebook_leavesItVerified_soTheNextReadSendsItsBytes() throws Exception {
        FileContentsManager contents = FileContentsManager.create(root);
        String big = "x".repeat(17 * 1024 * 1024);
        Files.writeString(root.resolve("big.ipynb"), notebook(big));

        assertThat(contents.notebook("big.ipynb")).isPresent();

        assertThat(contents.storedNotebookJson("big.ipynb")).hasValueSatisfying(bytes ->
                assertThat(bytes).hasSize(notebook(big).length()));
    }

    @Test
    void notebook_seesAnExternalRewrite_afterASmallNotebookWasCached() throws Exception {
        FileContentsManager contents = FileContentsManager.create(root);
        Path file = Files.writeString(root.resolve("n.ipynb"), notebook("one"));
        assertThat(contents.notebook("n.ipynb").orElseThrow().toJson().toString()).contains("one");
        Files.writeString(file, notebook("two"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(contents.notebook("n.ipynb").orElseThrow().toJson().toString()).contains("two");
    }

    @Test
    void notebook_ofAPlainFileOrAFolder_isEmpty_andOfABrokenNotebook_aBadRequest() throws Exception {
        FileContentsManager contents = FileContentsManager.create(root);
        Files.writeString(root.resolve("notes.txt"), "text");
        Files.createDirectories(root.resolve("folder.ipynb"));
        Files.writeString(root.resolve("broken.ipynb"), "{\"cells\": 3}");
        assertThat(contents.notebook("notes.txt")).isEmpty();
        assertThat(contents.notebook("folder.ipynb")).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> contents.notebook("broken.ipynb"))
                .isInstanceOf(io.quire.contents.ContentsBadRequestException.class)
                .hasMessageContaining("broken.ipynb");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> contents.notebook("missing.ipynb"))
                .isInstanceOf(io.quire.contents.ContentsNotFoundException.class);
    }
}
