package io.quire.desktop.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.client.FileInfo;
import io.quire.client.FileType;
import io.quire.client.QuireClient;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The document model and command handling, without a server (nothing here calls it) and without a stage. */
class NotebookViewModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AtomicInteger nextId = new AtomicInteger();

    private NotebookViewModel open(String notebook) throws Exception {
        QuireClient unused = QuireClient.builder().baseUrl(URI.create("http://127.0.0.1:9/")).build();
        FileInfo file = new FileInfo("f1", "a.ipynb", "a.ipynb", FileType.NOTEBOOK, Optional.of(1L), Instant.EPOCH,
                true);
        return NotebookViewModel.builder(unused, new NotebookDocument(file, (ObjectNode) JSON.readTree(notebook)))
                .ids(() -> "new" + nextId.incrementAndGet()).build();
    }

    private static final String THREE_CELLS = """
            {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3", "language": "python"},
             "custom": {"keep": true}},
             "cells": [
              {"id": "c1", "cell_type": "code", "source": ["x = 1\\n", "x"], "metadata": {"tags": ["t"]},
               "execution_count": 3, "outputs": [{"output_type": "execute_result", "execution_count": 3,
               "data": {"text/plain": "1"}, "metadata": {}}]},
              {"id": "m1", "cell_type": "markdown", "source": "# Title", "metadata": {}},
              {"id": "r1", "cell_type": "raw", "source": "raw", "metadata": {}}
             ]}
            """;

    private NotebookViewModel threeCells() throws Exception {
        return open(THREE_CELLS);
    }

    @Test
    void opening_readsCellsWithSourceOutputsAndCount_andIsClean() throws Exception {
        NotebookViewModel notebook = threeCells();
        assertThat(notebook.cells()).extracting(CellViewModel::id).containsExactly("c1", "m1", "r1");
        CellViewModel code = notebook.cells().getFirst();
        assertThat(code.sourceProperty().get()).isEqualTo("x = 1\nx");
        assertThat(code.outputs()).hasSize(1);
        assertThat(code.prompt()).isEqualTo("[3]:");
        assertThat(notebook.cells().get(1).renderedProperty().get()).isTrue();
        assertThat(notebook.dirtyProperty().get()).isFalse();
        assertThat(notebook.language()).isEqualTo("python");
    }

    @Test
    void aHead_isReadOnlyUntilCompleted_thenKeepsItsRowsAndAddsTheRest() throws Exception {
        ObjectNode whole = (ObjectNode) JSON.readTree(THREE_CELLS);
        ObjectNode head = whole.deepCopy();
        head.withArray("cells").remove(2);
        head.withArray("cells").remove(1);
        QuireClient unused = QuireClient.builder().baseUrl(URI.create("http://127.0.0.1:9/")).build();
        FileInfo file = new FileInfo("f1", "a.ipynb", "a.ipynb", FileType.NOTEBOOK, Optional.of(1L), Instant.EPOCH,
                true);
        NotebookViewModel notebook = NotebookViewModel.builder(unused, new NotebookDocument(file, head))
                .ids(() -> "new" + nextId.incrementAndGet()).head(3).build();
        CellViewModel first = notebook.cells().getFirst();

        assertThat(notebook.openingProperty().get()).isTrue();
        assertThat(notebook.messageProperty().get()).isEqualTo("Opening: 1 of 3 cells");
        notebook.perform(NotebookCommand.INSERT_BELOW);
        notebook.perform(NotebookCommand.TO_MARKDOWN);
        notebook.run(first);
        notebook.save();
        assertThat(notebook.cells()).containsExactly(first);
        assertThat(first.typeProperty().get()).isEqualTo(CellType.CODE);
        assertThat(notebook.messageProperty().get()).isEqualTo("Still opening (1 of 3 cells): wait a moment");
        notebook.perform(NotebookCommand.SELECT_NEXT);
        notebook.perform(NotebookCommand.COPY);

        ((ObjectNode) whole.withArray("cells").get(0)).put("source", "x = 2"); // changed since the head was read
        notebook.completeFrom(new NotebookDocument(file, whole));

        assertThat(notebook.openingProperty().get()).isFalse();
        assertThat(notebook.messageProperty().get()).isEmpty();
        assertThat(notebook.dirtyProperty().get()).isFalse();
        assertThat(notebook.cells()).extracting(CellViewModel::id).containsExactly("c1", "m1", "r1");
        assertThat(notebook.cells().getFirst()).isSameAs(first);
        assertThat(first.sourceProperty().get()).isEqualTo("x = 2");
        assertThat(notebook.toJson()).isEqualTo(whole);
        notebook.perform(NotebookCommand.INSERT_BELOW);
        assertThat(notebook.cells()).hasSize(4);
    }

    @Test
    void aHeadWithoutCellIds_isReadAgainWholeOnCompletion() throws Exception {
        ObjectNode whole = (ObjectNode) JSON.readTree(THREE_CELLS);
        whole.withArray("cells").forEach(cell -> ((ObjectNode) cell).remove("id"));
        ObjectNode head = whole.deepCopy();
        head.withArray("cells").remove(2);
        QuireClient unused = QuireClient.builder().baseUrl(URI.create("http://127.0.0.1:9/")).build();
        FileInfo file = new FileInfo("f1", "a.ipynb", "a.ipynb", FileType.NOTEBOOK, Optional.of(1L), Instant.EPOCH,
                true);
        NotebookViewModel notebook = NotebookViewModel.builder(unused, new NotebookDocument(file, head))
                .ids(() -> "new" + nextId.incrementAndGet()).head(3).build();
        NotebookViewModel small = NotebookViewModel.builder(unused, new NotebookDocument(file, whole))
                .head(3).build();

        notebook.completeFrom(new NotebookDocument(file, whole));

        assertThat(notebook.openingProperty().get()).isFalse();
        assertThat(notebook.cells()).extracting(cell -> cell.sourceProperty().get())
                .containsExactly("x = 1\nx", "# Title", "raw");
        assertThat(notebook.cells()).extracting(CellViewModel::id).doesNotHaveDuplicates();
        assertThat(notebook.dirtyProperty().get()).as("ids were added: saving gives the file its ids").isTrue();
        assertThat(small.openingProperty().get()).as("a head that is the whole notebook").isFalse();
    }

    @Test
    void unchangedNotebook_writesBackItsMetadataAndCells() throws Exception {
        NotebookViewModel notebook = threeCells();
        ObjectNode json = notebook.toJson();
        assertThat(json.path("metadata").path("custom").path("keep").asBoolean()).isTrue();
        assertThat(json.path("cells").get(0).path("metadata").path("tags").get(0).asText()).isEqualTo("t");
        assertThat(json.path("cells").get(0).path("source").asText()).isEqualTo("x = 1\nx");
        assertThat(json.path("cells").get(0).path("outputs").get(0).path("data").path("text/plain").asText())
                .isEqualTo("1");
        assertThat(json.path("cells").get(1).has("outputs")).isFalse();
        assertThat(json.path("nbformat_minor").asInt()).isEqualTo(5);
    }

    @Test
    void cellsWithoutIds_getIds_andTheNotebookIsDirty() throws Exception {
        NotebookViewModel notebook = open("""
                {"nbformat": 4, "nbformat_minor": 4, "metadata": {},
                 "cells": [{"cell_type": "code", "source": "1", "metadata": {}, "execution_count": null,
                 "outputs": []}]}
                """);
        assertThat(notebook.cells().getFirst().id()).isEqualTo("new1");
        assertThat(notebook.dirtyProperty().get()).isTrue();
        assertThat(notebook.toJson().path("cells").get(0).path("id").asText()).isEqualTo("new1");
    }

    @Test
    void editingASource_makesTheNotebookDirty() throws Exception {
        NotebookViewModel notebook = threeCells();
        notebook.cells().getFirst().sourceProperty().set("x = 2");
        assertThat(notebook.dirtyProperty().get()).isTrue();
        assertThat(notebook.toJson().path("cells").get(0).path("source").asText()).isEqualTo("x = 2");
    }

    @Test
    void insertAboveAndBelow_addEmptyCodeCellsAndSelectThem() throws Exception {
        NotebookViewModel notebook = threeCells();
        notebook.press(KeyStroke.plain(Key.B));
        assertThat(notebook.cells()).extracting(CellViewModel::id).containsExactly("c1", "new1", "m1", "r1");
        assertThat(notebook.selectedIndexProperty().get()).isEqualTo(1);
        notebook.press(KeyStroke.plain(Key.A));
        assertThat(notebook.cells()).extracting(CellViewModel::id).containsExactly("c1", "new2", "new1", "m1", "r1");
        assertThat(notebook.selectedCell().id()).isEqualTo("new2");
        assertThat(notebook.dirtyProperty().get()).isTrue();
    }

    @Test
    void deleteWithDD_thenUndoWithZ_restoresTheCellInPlace() throws Exception {
        NotebookViewModel notebook = threeCells();
        notebook.select(1);
        assertThat(notebook.press(KeyStroke.plain(Key.D))).isTrue();
        assertThat(notebook.cells()).hasSize(3);
        notebook.press(KeyStroke.plain(Key.D));
        assertThat(notebook.cells()).extracting(CellViewModel::id).containsExactly("c1", "r1");
        assertThat(notebook.selectedCell().id()).isEqualTo("r1");
        notebook.press(KeyStroke.plain(Key.Z));
        assertThat(notebook.cells()).extracting(CellViewModel::id).containsExactly("c1", "m1", "r1");
    }

    @Test
    void deletingTheLastCell_leavesOneEmptyCodeCell() throws Exception {
        NotebookViewModel notebook = open("""
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                 "cells": [{"id": "only", "cell_type": "markdown", "source": "x", "metadata": {}}]}
                """);
        notebook.perform(NotebookCommand.DELETE);
        assertThat(notebook.cells()).hasSize(1);
        assertThat(notebook.cells().getFirst().typeProperty().get()).isEqualTo(CellType.CODE);
        assertThat(notebook.cells().getFirst().id()).isNotEqualTo("only");
    }

    @Test
    void changingType_toMarkdownDropsOutputs_andShowsTheSource() throws Exception {
        NotebookViewModel notebook = threeCells();
        notebook.press(KeyStroke.plain(Key.M));
        CellViewModel cell = notebook.cells().getFirst();
        assertThat(cell.typeProperty().get()).isEqualTo(CellType.MARKDOWN);
        assertThat(cell.outputs()).isEmpty();
        assertThat(cell.renderedProperty().get()).isFalse();
        ObjectNode json = notebook.toJson().path("cells").get(0).deepCopy();
        assertThat(json.path("cell_type").asText()).isEqualTo("markdown");
        assertThat(json.has("outputs")).isFalse();
        assertThat(json.has("execution_count")).isFalse();
        notebook.press(KeyStroke.plain(Key.Y));
        assertThat(notebook.toJson().path("cells").get(0).path("outputs").isArray()).isTrue();
    }

    @Test
    void copyPaste_insertsACopyWithANewId() throws Exception {
        NotebookViewModel notebook = threeCells();
        notebook.press(KeyStroke.plain(Key.C));
        notebook.press(KeyStroke.plain(Key.V));
        assertThat(notebook.cells()).extracting(CellViewModel::id).containsExactly("c1", "new1", "m1", "r1");
        assertThat(notebook.cells().get(1).sourceProperty().get()).isEqualTo("x = 1\nx");
    }

    @Test
    void cutPaste_movesACell() throws Exception {
        NotebookViewModel notebook = threeCells();
        notebook.press(KeyStroke.plain(Key.X));
        notebook.press(KeyStroke.plain(Key.J));
        notebook.press(KeyStroke.plain(Key.V));
        assertThat(notebook.cells()).extracting(cell -> cell.sourceProperty().get())
                .containsExactly("# Title", "raw", "x = 1\nx");
    }

    private static final String FIVE_CELLS = """
            {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
             "cells": [
              {"id": "a", "cell_type": "code", "source": "a", "metadata": {}, "execution_count": null, "outputs": []},
              {"id": "b", "cell_type": "code", "source": "b", "metadata": {}, "execution_count": null, "outputs": []},
              {"id": "c", "cell_type": "code", "source": "c", "metadata": {}, "execution_count": null, "outputs": []},
              {"id": "d", "cell_type": "code", "source": "d", "metadata": {}, "execution_count": null, "outputs": []},
              {"id": "e", "cell_type": "code", "source": "e", "metadata": {}, "execution_count": null, "outputs": []}
             ]}
            """;

    private static java.util.List<String> ids(NotebookViewModel notebook) {
        return notebook.cells().stream().map(CellViewModel::id).toList();
    }

    private static java.util.List<String> selected(NotebookViewModel notebook) {
        return java.util.stream.IntStream.range(0, notebook.cells().size()).filter(notebook::isSelected)
                .mapToObj(index -> notebook.cells().get(index).id()).toList();
    }

    @Test
    void shiftArrows_extendTheSelection_andAPlainArrowCollapsesIt() throws Exception {
        NotebookViewModel notebook = open(FIVE_CELLS);
        notebook.select(1);
        notebook.perform(NotebookCommand.EXTEND_SELECTION_DOWN);
        notebook.perform(NotebookCommand.EXTEND_SELECTION_DOWN);
        assertThat(selected(notebook)).containsExactly("b", "c", "d");
        assertThat(notebook.selectedCell().id()).as("the active cell").isEqualTo("d");
        notebook.perform(NotebookCommand.EXTEND_SELECTION_UP);
        assertThat(selected(notebook)).containsExactly("b", "c");
        notebook.extendSelection(0); // Shift+click above the anchor
        assertThat(selected(notebook)).containsExactly("a", "b");
        notebook.perform(NotebookCommand.SELECT_NEXT);
        assertThat(selected(notebook)).containsExactly("b");
        notebook.perform(NotebookCommand.SELECT_ALL);
        assertThat(selected(notebook)).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void deletingARange_thenZ_bringsTheCellsBackTogetherInPlace() throws Exception {
        NotebookViewModel notebook = open(FIVE_CELLS);
        notebook.select(1);
        notebook.extendSelection(3);
        notebook.perform(NotebookCommand.DELETE);
        assertThat(ids(notebook)).containsExactly("a", "e");
        assertThat(notebook.selectedCell().id()).isEqualTo("e");
        notebook.perform(NotebookCommand.UNDO_DELETE);
        assertThat(ids(notebook)).containsExactly("a", "b", "c", "d", "e");
        assertThat(selected(notebook)).containsExactly("b", "c", "d");
    }

    @Test
    void copyCutPasteAndTypeChanges_applyToTheWholeRange() throws Exception {
        NotebookViewModel notebook = open(FIVE_CELLS);
        notebook.select(0);
        notebook.extendSelection(1);
        notebook.perform(NotebookCommand.TO_MARKDOWN);
        assertThat(notebook.cells().subList(0, 2)).allSatisfy(cell ->
                assertThat(cell.typeProperty().get()).isEqualTo(CellType.MARKDOWN));
        assertThat(notebook.cells().get(2).typeProperty().get()).isEqualTo(CellType.CODE);

        notebook.perform(NotebookCommand.CUT);
        assertThat(ids(notebook)).containsExactly("c", "d", "e");
        notebook.select(2);
        notebook.perform(NotebookCommand.PASTE_BELOW);
        assertThat(ids(notebook)).hasSize(5).startsWith("c", "d", "e");
        assertThat(notebook.cells().subList(3, 5)).extracting(cell -> cell.sourceProperty().get())
                .containsExactly("a", "b");
        assertThat(selected(notebook)).as("the pasted cells").hasSize(2)
                .containsExactlyElementsOf(ids(notebook).subList(3, 5));

        notebook.select(0);
        notebook.extendSelection(1);
        notebook.perform(NotebookCommand.COPY);
        notebook.select(4);
        notebook.perform(NotebookCommand.PASTE_BELOW);
        assertThat(notebook.cells()).extracting(cell -> cell.sourceProperty().get())
                .containsExactly("c", "d", "e", "a", "b", "c", "d");
    }

    @Test
    void movingARange_movesItAsABlock_andKeepsItSelected() throws Exception {
        NotebookViewModel notebook = open(FIVE_CELLS);
        notebook.select(1);
        notebook.extendSelection(2);
        notebook.perform(NotebookCommand.MOVE_UP);
        assertThat(ids(notebook)).containsExactly("b", "c", "a", "d", "e");
        assertThat(selected(notebook)).containsExactly("b", "c");
        notebook.perform(NotebookCommand.MOVE_UP);
        assertThat(ids(notebook)).as("already at the top").containsExactly("b", "c", "a", "d", "e");
        notebook.perform(NotebookCommand.MOVE_DOWN);
        notebook.perform(NotebookCommand.MOVE_DOWN);
        assertThat(ids(notebook)).containsExactly("a", "d", "b", "c", "e");
        assertThat(selected(notebook)).containsExactly("b", "c");
        assertThat(notebook.selectedCell().id()).as("the active cell stays the active one").isEqualTo("c");
        // dragging one cell onto another moves it there
        notebook.move(4, 0);
        assertThat(ids(notebook)).containsExactly("e", "a", "d", "b", "c");
    }

    @Test
    void h_asksForTheShortcuts_andEveryCommandModeKeyIsOnTheSheet() throws Exception {
        NotebookViewModel notebook = open(FIVE_CELLS);
        assertThat(notebook.press(KeyStroke.plain(Key.H))).isTrue();
        assertThat(notebook.shortcutsShownProperty().get()).isTrue();
        notebook.hideShortcuts();
        assertThat(notebook.shortcutsShownProperty().get()).isFalse();
        String sheet = KeyboardModel.shortcuts().stream().map(KeyboardModel.Shortcut::keys)
                .collect(java.util.stream.Collectors.joining(" "));
        assertThat(sheet).contains("Shift+Enter", "D D", "Z", "C / X / V", "Y / M / R", "Shift+Up", "H", "Ctrl+A");
    }

    @Test
    void clearAllOutputs_emptiesEveryCodeCell_andMakesTheNotebookDirty() throws Exception {
        NotebookViewModel notebook = threeCells();
        CellViewModel code = notebook.cells().getFirst();
        notebook.clearAllOutputs();
        assertThat(code.outputs()).isEmpty();
        assertThat(code.executionCountProperty().get()).isEmpty();
        assertThat(notebook.dirtyProperty().get()).isTrue();
        assertThat(notebook.toJson().path("cells").get(0).path("outputs")).isEmpty();
        assertThat(notebook.cells().get(1).sourceProperty().get()).isEqualTo("# Title");
    }

    @Test
    void arrows_moveTheSelectionWithinBounds() throws Exception {
        NotebookViewModel notebook = threeCells();
        notebook.press(KeyStroke.plain(Key.UP));
        assertThat(notebook.selectedIndexProperty().get()).isZero();
        notebook.press(KeyStroke.plain(Key.DOWN));
        notebook.press(KeyStroke.plain(Key.DOWN));
        notebook.press(KeyStroke.plain(Key.DOWN));
        assertThat(notebook.selectedIndexProperty().get()).isEqualTo(2);
    }

    @Test
    void enterAndEscape_switchModes_andEditingMarkdownShowsItsSource() throws Exception {
        NotebookViewModel notebook = threeCells();
        notebook.select(1);
        notebook.press(KeyStroke.plain(Key.ENTER));
        assertThat(notebook.modeProperty().get()).isEqualTo(Mode.EDIT);
        assertThat(notebook.selectedCell().renderedProperty().get()).isFalse();
        assertThat(notebook.press(KeyStroke.plain(Key.A))).as("typing in edit mode").isFalse();
        notebook.press(KeyStroke.plain(Key.ESCAPE));
        assertThat(notebook.modeProperty().get()).isEqualTo(Mode.COMMAND);
    }

    @Test
    void shiftEnterOnMarkdown_rendersItAndSelectsTheNextCell() throws Exception {
        NotebookViewModel notebook = threeCells();
        notebook.select(1);
        notebook.perform(NotebookCommand.EDIT);
        notebook.press(KeyStroke.shift(Key.ENTER));
        assertThat(notebook.cells().get(1).renderedProperty().get()).isTrue();
        assertThat(notebook.selectedIndexProperty().get()).isEqualTo(2);
        assertThat(notebook.modeProperty().get()).isEqualTo(Mode.COMMAND);
    }

    @Test
    void shiftEnterOnTheLastCell_addsACodeCellInEditMode() throws Exception {
        NotebookViewModel notebook = threeCells();
        notebook.select(2);
        notebook.press(KeyStroke.shift(Key.ENTER));
        assertThat(notebook.cells()).hasSize(4);
        assertThat(notebook.selectedCell().id()).isEqualTo("new1");
        assertThat(notebook.modeProperty().get()).isEqualTo(Mode.EDIT);
    }
}
