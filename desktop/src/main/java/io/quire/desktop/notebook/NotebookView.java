package io.quire.desktop.notebook;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.desktop.kernel.KernelToolbar;
import io.quire.desktop.output.MarkdownRenderer;
import io.quire.desktop.output.OutputsView;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Separator;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The notebook editor: a toolbar (run, run all, interrupt, restart, save, kernel status), the cells in a virtualised
 * {@link ListView} (only the visible cells have nodes), and a status line. The view only binds: keys go to
 * {@link NotebookViewModel#press}, buttons to its commands.
 */
public final class NotebookView extends BorderPane {
    private final NotebookViewModel notebook;
    private final ListView<CellViewModel> list = new ListView<>();
    private final LongAdder renders = new LongAdder();

    /**
     * A view of a notebook.
     *
     * @param notebook the view model
     */
    public NotebookView(NotebookViewModel notebook) {
        this.notebook = notebook;
        getStyleClass().add("notebook-view");
        list.setId("cells");
        list.getStyleClass().add("cells");
        list.setItems(notebook.cells());
        list.setCellFactory(view -> new CellView(notebook, renders));
        list.getSelectionModel().select(notebook.selectedIndexProperty().get());
        list.getSelectionModel().selectedIndexProperty().addListener((observable, before, after) -> {
            if (after.intValue() >= 0 && after.intValue() != notebook.selectedIndexProperty().get()) {
                notebook.select(after.intValue());
            }
        });
        notebook.selectedIndexProperty().addListener((observable, before, after) -> {
            int index = after.intValue();
            if (list.getSelectionModel().getSelectedIndex() != index) {
                list.getSelectionModel().select(index);
            }
            list.scrollTo(Math.max(0, index - 1));
        });
        notebook.cells().addListener((javafx.collections.ListChangeListener<CellViewModel>) change ->
                Platform.runLater(() -> list.getSelectionModel().select(notebook.selectedIndexProperty().get())));
        notebook.modeProperty().addListener((observable, before, after) -> {
            pseudoMode(after);
            if (after == Mode.COMMAND) {
                list.requestFocus();
            }
        });
        pseudoMode(notebook.modeProperty().get());
        list.addEventFilter(KeyEvent.KEY_PRESSED, this::keyPressed);
        list.addEventFilter(KeyEvent.KEY_TYPED, event -> {
            if (notebook.modeProperty().get() == Mode.COMMAND) {
                event.consume();
            }
        });

        setTop(new VBox(toolbar(), conflictBar()));
        setCenter(list);
        Label message = new Label();
        message.setId("message");
        message.textProperty().bind(notebook.messageProperty());
        Label mode = new Label();
        mode.textProperty().bind(notebook.modeProperty().asString());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox status = new HBox(8, message, spacer, mode);
        status.getStyleClass().add("status-line");
        setBottom(status);
    }

    /**
     * The notebook shown.
     *
     * @return the view model
     */
    public NotebookViewModel viewModel() {
        return notebook;
    }

    /**
     * Builds a code editor, markdown and a few outputs once in a throw-away scene, so that the first notebook opened
     * does not pay for loading and initialising their classes (RichTextFX's editor alone takes a good part of the first
     * layout when cold). The app calls it on the JavaFX thread while a notebook is being read. Call on the JavaFX
     * thread.
     */
    public static void warmUp() {
        CodeEditor editor = new CodeEditor();
        editor.show("import math\nprint(math.pi)  # warm-up");
        OutputsView outputs = new OutputsView();
        JsonNodeFactory nodes =
                JsonNodeFactory.instance;
        ObjectNode stream = nodes.objectNode().put("output_type", "stream")
                .put("name", "stdout").put("text", "warm-up\n");
        ObjectNode table = nodes.objectNode().put("output_type", "execute_result");
        table.putObject("data").put("text/html", "<table><thead><tr><th></th><th>a</th></tr></thead>"
                + "<tbody><tr><th>0</th><td>1</td></tr></tbody></table>");
        outputs.show(List.of(stream, table));
        VBox root = new VBox(editor, outputs,
                MarkdownRenderer.render("## warm-up\n\nSome *text*."));
        new Scene(root, 400, 300);
        root.applyCss();
        root.layout();
    }

    /**
     * How many times a row of the list has rendered a cell (bound its editor and outputs) since this view was made;
     * the hidden row that measures off-screen cells does not count, as it renders nothing. For tests that check that
     * only visible cells are rendered.
     *
     * @return the count
     */
    long renderedCells() {
        return renders.sum();
    }

    private void pseudoMode(Mode mode) {
        list.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("edit"), mode == Mode.EDIT);
    }

    private void keyPressed(KeyEvent event) {
        KeyStroke stroke = new KeyStroke(Key.named(event.getCode().name()), event.isShiftDown(),
                event.isShortcutDown(), event.isAltDown());
        if (notebook.press(stroke)) {
            event.consume();
        } else if (notebook.modeProperty().get() == Mode.COMMAND && stroke.key() != Key.OTHER) {
            event.consume();
        }
    }

    private ToolBar toolbar() {
        Button run = button("\u25b6 Run", "run", "Run the selected cell and advance (Shift+Enter)",
                () -> notebook.perform(NotebookCommand.RUN_AND_ADVANCE));
        Button runAll = button("\u23e9 Run all", "run-all", "Run every code cell", notebook::runAll);
        Button interrupt = button("\u25a0 Interrupt", "interrupt", "Interrupt the kernel",
                () -> notebook.kernel().interrupt());
        Button restart = button("\u21bb Restart", "restart", "Restart the kernel", () -> notebook.kernel().restart());
        Button save = button("Save", "save", "Save (Ctrl+S)", notebook::save);
        save.disableProperty().bind(notebook.dirtyProperty().not());
        Button add = button("+", "add-cell", "Insert a cell below (B)",
                () -> notebook.perform(NotebookCommand.INSERT_BELOW));
        Button up = button("\u2191", "move-up", "Move the cell up", () -> notebook.perform(NotebookCommand.MOVE_UP));
        Button down = button("\u2193", "move-down", "Move the cell down",
                () -> notebook.perform(NotebookCommand.MOVE_DOWN));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        return new ToolBar(save, add, up, down, new Separator(), run, runAll, interrupt, restart, spacer,
                new CollaboratorsBar(notebook), new KernelToolbar(notebook.kernel()));
    }

    private HBox conflictBar() {
        Label text = new Label("This notebook changed on the server (or on disk) since you opened it.");
        text.setWrapText(true);
        Button reload = new Button("Reload");
        reload.setId("conflict-reload");
        reload.setTooltip(new Tooltip("Drop your unsaved changes and show the file as it is now"));
        reload.setOnAction(event -> notebook.reload());
        Button keep = new Button("Keep mine");
        keep.setId("conflict-keep");
        keep.setTooltip(new Tooltip("Overwrite the file with what you see here"));
        keep.setOnAction(event -> notebook.keepMine());
        Button saveAs = new Button("Save as\u2026");
        saveAs.setId("conflict-save-as");
        saveAs.setTooltip(new Tooltip("Save what you see here as a new file, leaving the changed file alone"));
        saveAs.setOnAction(event -> {
            String path = notebook.file().path();
            String suggestion = path.endsWith(".ipynb") ? path.substring(0, path.length() - 6) + "-mine.ipynb"
                    : path + "-mine.ipynb";
            javafx.scene.control.TextInputDialog dialog = new javafx.scene.control.TextInputDialog(suggestion);
            dialog.setTitle("Save as");
            dialog.setHeaderText("Save your version as (path on the server):");
            dialog.initOwner(getScene() == null ? null : getScene().getWindow());
            dialog.showAndWait().filter(value -> !value.isBlank()).ifPresent(notebook::saveAs);
        });
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, text, spacer, reload, keep, saveAs);
        bar.setId("conflict-bar");
        bar.getStyleClass().add("conflict-bar");
        bar.setStyle("-fx-padding: 6 10; -fx-alignment: center-left; -fx-background-color: -color-warning-subtle;");
        bar.visibleProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> notebook.conflictProperty().get().isPresent(), notebook.conflictProperty()));
        bar.managedProperty().bind(bar.visibleProperty());
        return bar;
    }

    private Button button(String text, String id, String tip, Runnable action) {
        Button button = new Button(text);
        button.setId(id);
        button.setTooltip(new Tooltip(tip));
        button.setFocusTraversable(false);
        button.setOnAction(event -> {
            action.run();
            if (notebook.modeProperty().get() == Mode.COMMAND) {
                list.requestFocus();
            }
        });
        return button;
    }
}
