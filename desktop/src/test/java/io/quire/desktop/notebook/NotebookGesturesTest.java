package io.quire.desktop.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.client.FileInfo;
import io.quire.client.FileType;
import io.quire.client.QuireClient;
import io.quire.testing.Await;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.control.ListCell;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/** Headless gestures on the notebook view: the shortcut sheet (H), Shift+click selection, dragging a cell. */
class NotebookGesturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FxRobot robot = new FxRobot();

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void stop() throws Exception {
        FxToolkit.cleanupStages();
    }

    private static NotebookViewModel model() throws Exception {
        StringBuilder cells = new StringBuilder();
        for (String id : List.of("a", "b", "c", "d")) {
            cells.append(cells.isEmpty() ? "" : ",").append("{\"id\": \"").append(id)
                    .append("\", \"cell_type\": \"code\", \"source\": \"").append(id)
                    .append(" = 1\", \"metadata\": {}, \"execution_count\": null, \"outputs\": []}");
        }
        ObjectNode notebook = (ObjectNode) JSON.readTree("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {},"
                + " \"cells\": [" + cells + "]}");
        QuireClient unused = QuireClient.builder().baseUrl(URI.create("http://127.0.0.1:9/")).build();
        FileInfo file = new FileInfo("f1", "g.ipynb", "g.ipynb", FileType.NOTEBOOK, Optional.of(1L), Instant.EPOCH,
                true);
        return NotebookViewModel.builder(unused, new NotebookDocument(file, notebook)).build();
    }

    private NotebookView show(NotebookViewModel model) throws Exception {
        return NotebookStage.show(robot, model);
    }

    private ListCell<?> row(int index) {
        return robot.lookup(".notebook-cell").queryAllAs(ListCell.class).stream()
                .filter(cell -> cell.getIndex() == index && cell.getItem() != null && cell.isVisible())
                .findFirst().orElseThrow();
    }

    private List<String> ids(NotebookViewModel model) {
        return model.cells().stream().map(CellViewModel::id).toList();
    }

    @Test
    void h_opensTheShortcutSheet_andClosingItTellsTheModel() throws Exception {
        NotebookViewModel model = model();
        show(model);
        robot.clickOn(row(0).lookup(".cell-gutter"));
        robot.type(KeyCode.H);
        Await.until(Duration.ofSeconds(10), "the shortcut sheet", () -> robot.lookup("#shortcuts").tryQuery()
                .isPresent());
        assertThat(model.shortcutsShownProperty().get()).isTrue();
        assertThat(robot.lookup("#shortcuts").lookup("D D").tryQuery()).isPresent();
        robot.clickOn("Close");
        Await.until(Duration.ofSeconds(10), "the sheet to close", () -> !model.shortcutsShownProperty().get());
    }

    @Test
    void shiftClick_selectsARange_shownOnItsRows() throws Exception {
        NotebookViewModel model = model();
        show(model);
        robot.clickOn(row(1).lookup(".cell-gutter"));
        robot.press(KeyCode.SHIFT).clickOn(row(3).lookup(".cell-gutter"), MouseButton.PRIMARY).release(KeyCode.SHIFT);
        robot.interact(() -> { });
        assertThat(List.of(0, 1, 2, 3)).map(model::isSelected).containsExactly(false, true, true, true);
        PseudoClass inSelection = PseudoClass.getPseudoClass("in-selection");
        assertThat(List.of(0, 1, 2, 3)).map(index -> row(index).getPseudoClassStates().contains(inSelection))
                .containsExactly(false, true, true, true);
        robot.type(KeyCode.D, KeyCode.D);
        assertThat(ids(model)).containsExactly("a");
    }

    @Test
    void theEditor_marksTheBracketMatchingTheOneAtTheCaret() throws Exception {
        NotebookViewModel model = model();
        model.cells().get(0).sourceProperty().set("print(len([1, 2]))");
        show(model);
        CodeEditor editor = (CodeEditor) row(0).lookup(".cell-editor");
        robot.clickOn(editor);
        robot.interact(() -> editor.moveTo(6)); // just after "print("
        assertThat(editor.markedBrackets()).contains(new BracketMatcher.Pair(5, 17));
        assertThat(editor.getStyleOfChar(17)).contains("bracket-match");
        robot.interact(() -> editor.moveTo(2));
        assertThat(editor.markedBrackets()).isEmpty();
        assertThat(editor.getStyleOfChar(17)).doesNotContain("bracket-match");
        assertThat(editor.getStyleOfChar(0)).as("the highlighting stays").isNotEmpty();
    }

    @Test
    void othersCarets_areShownInTheEditorWhereTheyAre_andGoWhenTheyLeave() throws Exception {
        NotebookViewModel model = model();
        show(model);
        CodeEditor editor = (CodeEditor) row(1).lookup(".cell-editor");
        Collaborator ann = new Collaborator("c-ann", "ann", Optional.of("b"), Optional.of(2), 1);
        Collaborator bob = new Collaborator("c-bob", "bob", Optional.of("b"), Optional.of(99), 2);
        robot.interact(() -> model.cells().get(1).setCollaborators(List.of(ann, bob)));
        assertThat(editor.remoteCaretPositions()).as("bob's cursor past the end goes to the end")
                .containsExactly(2, "b = 1".length());
        robot.interact(() -> model.cells().get(1).setCollaborators(List.of()));
        assertThat(editor.remoteCaretPositions()).isEmpty();
    }

    @Test
    void draggingACellByItsMargin_movesIt() throws Exception {
        NotebookViewModel model = model();
        show(model);
        Node from = row(0).lookup(".cell-gutter");
        Node to = row(2);
        robot.drag(from, MouseButton.PRIMARY).dropTo(to);
        Await.until(Duration.ofSeconds(10), "the cell to move", () -> !ids(model).get(0).equals("a"));
        assertThat(ids(model)).containsExactly("b", "c", "a", "d");
    }
}
