package io.quire.contents.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.contents.ContentsBadRequestException;
import io.quire.contents.ContentsNotFoundException;
import io.quire.contents.GetOptions;
import io.quire.notebook.Notebook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileContentsManager#notebookHead}: the first cells of a notebook file and its cell count. */
class NotebookHeadReadTest {
    @TempDir
    Path root;

    private static String notebook(int cells, String tag) {
        String list = IntStream.range(0, cells).mapToObj(i -> "{\"cell_type\": \"markdown\", \"id\": \"c" + i
                + "\", \"metadata\": {}, \"source\": \"" + tag + " " + i + "\"}").collect(Collectors.joining(", "));
        return "{\"cells\": [" + list + "], \"metadata\": {\"kernelspec\": {\"name\": \"python3\", \"display_name\":"
                + " \"Python 3\"}}, \"nbformat\": 4, \"nbformat_minor\": 5}";
    }

    @Test
    void head_isTheFirstCellsOfWhatGetReturns_withTheCount() throws Exception {
        FileContentsManager contents = FileContentsManager.create(root);
        Files.writeString(root.resolve("n.ipynb"), notebook(50, "v1"));

        var head = contents.notebookHead("n.ipynb", 4).orElseThrow();

        Notebook whole = Notebook.fromJson(contents.get("n.ipynb", GetOptions.defaults()).content().orElseThrow());
        assertThat(head.totalCells()).isEqualTo(50);
        assertThat(head.notebook().cells()).isEqualTo(whole.cells().subList(0, 4));
        assertThat(head.notebook().metadata()).isEqualTo(whole.metadata());
        assertThat(contents.notebookHead("n.ipynb", 4)).as("the same from the cache after the read").contains(head);
    }

    @Test
    void head_seesAnExternalRewrite() throws Exception {
        FileContentsManager contents = FileContentsManager.create(root);
        Path file = Files.writeString(root.resolve("n.ipynb"), notebook(10, "old"));
        contents.get("n.ipynb", GetOptions.defaults()); // cached
        Files.writeString(file, notebook(12, "new"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        var head = contents.notebookHead("n.ipynb", 2).orElseThrow();

        assertThat(head.totalCells()).isEqualTo(12);
        assertThat(head.notebook().cells().getFirst().source().text()).isEqualTo("new 0");
    }

    @Test
    void head_ofAnNbformat3Notebook_isReadWholeAndUpgraded() throws Exception {
        FileContentsManager contents = FileContentsManager.create(root);
        Files.writeString(root.resolve("old.ipynb"), """
                {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": "old"},
                 "worksheets": [{"cells": [{"cell_type": "code", "input": "1", "outputs": [], "language": "python"},
                                           {"cell_type": "markdown", "source": "two"}]}]}""");

        var head = contents.notebookHead("old.ipynb", 1).orElseThrow();

        assertThat(head.totalCells()).isEqualTo(2);
        assertThat(head.notebook().nbformat()).isEqualTo(4);
        assertThat(head.notebook().cells()).hasSize(1);
    }

    @Test
    void head_ofAFileThatIsNotANotebook_isEmpty_ofAMissingOne_notFound_ofBrokenJson_aBadRequest() throws Exception {
        FileContentsManager contents = FileContentsManager.create(root);
        Files.writeString(root.resolve("a.txt"), "text");
        Files.createDirectory(root.resolve("dir.ipynb"));
        Files.writeString(root.resolve("broken.ipynb"), "{\"cells\": [");

        assertThat(contents.notebookHead("a.txt", 3)).isEmpty();
        assertThat(contents.notebookHead("dir.ipynb", 3)).isEmpty();
        assertThatThrownBy(() -> contents.notebookHead("missing.ipynb", 3))
                .isInstanceOf(ContentsNotFoundException.class);
        assertThatThrownBy(() -> contents.notebookHead("broken.ipynb", 3))
                .isInstanceOf(ContentsBadRequestException.class).hasMessageContaining("broken.ipynb");
        assertThatThrownBy(() -> contents.notebookHead("../escape.ipynb", 3)).isInstanceOf(RuntimeException.class);
    }
}
