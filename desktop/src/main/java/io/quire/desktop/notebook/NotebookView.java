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
        notebook.shortcutsShownProperty().addListener((property, was, shown) -> {
            if (shown) {
                showShortcuts();
            }
        });
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
     * Lays out a small notebook once (markdown, code, a stream, a table, an image) in a throw-away scene styled
     * like the app's, so that the first notebook opened does not pay for loading, initialising and first running the
     * classes behind it: the list and its rows, RichTextFX's editor, the outputs and the app's style sheets (together
     * most of a cold first layout). Web pages are warmed up by {@code HtmlView.warmUp()}, so that no page load is left
     * running here. Nothing is sent to the server. The app calls it on the JavaFX thread while a
     * notebook is being read, or before one is opened. Call on the JavaFX thread.
     *
     * @param client the client a real notebook would use (the view model needs one; the warm-up makes no request)
     * @param style  styles the scene as the app's windows are
     */
    public static void warmUp(io.quire.client.QuireClient client, java.util.function.Consumer<Scene> style) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode notebook = nodes.objectNode().put("nbformat", 4).put("nbformat_minor", 5);
        notebook.putObject("metadata").putObject("language_info").put("name", "python");
        var cells = notebook.putArray("cells");
        cells.addObject().put("cell_type", "markdown").put("id", "warm-up-1").put("source",
                "## Warm-up\n\nSome *text*, `code` and a [link](https://example.org).").putObject("metadata");
        ObjectNode code = cells.addObject().put("cell_type", "code").put("id", "warm-up-2")
                .put("source", "import math\nprint(math.pi)  # warm-up").put("execution_count", 1);
        code.putObject("metadata");
        var outputs = code.putArray("outputs");
        outputs.addObject().put("output_type", "stream").put("name", "stdout").put("text", "3.14159\n");
        ObjectNode table = outputs.addObject().put("output_type", "execute_result").put("execution_count", 1);
        table.putObject("metadata");
        table.putObject("data").put("text/plain", "   a\n0  1").put("text/html",
                "<table><thead><tr><th></th><th>a</th></tr></thead><tbody><tr><th>0</th><td>1</td></tr></tbody></table>");
        ObjectNode image = outputs.addObject().put("output_type", "display_data");
        image.putObject("metadata");
        image.putObject("data").put("text/plain", "<Figure>").put("image/png", WARM_UP_PNG);
        io.quire.client.FileInfo file = new io.quire.client.FileInfo("warm-up", "warm-up.ipynb", "warm-up.ipynb",
                io.quire.client.FileType.NOTEBOOK, java.util.Optional.empty(), java.time.Instant.EPOCH, false);
        NotebookViewModel model = NotebookViewModel.builder(client, new NotebookDocument(file, notebook))
                .background(command -> { }).ui(command -> { }).build();
        try {
            NotebookView view = new NotebookView(model);
            Scene scene = new Scene(view, 800, 600);
            style.accept(scene);
            view.applyCss();
            view.layout();
        } finally {
            model.close();
        }
    }

    /** A 2x2 PNG for {@link #warmUp}. */
    private static final String WARM_UP_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf"
            + "7gP9i18U1AAAAABJRU5ErkJggg==";

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

    /** The keyboard cheat sheet (H): a window listing {@link KeyboardModel#shortcuts()}; closing it tells the model. */
    private void showShortcuts() {
        javafx.scene.layout.GridPane grid = new javafx.scene.layout.GridPane();
        grid.setHgap(16);
        grid.setVgap(4);
        grid.getStyleClass().add("shortcuts");
        int row = 0;
        for (KeyboardModel.Shortcut shortcut : KeyboardModel.shortcuts()) {
            Label keys = new Label(shortcut.keys());
            keys.getStyleClass().add("mono");
            grid.addRow(row++, new Label(shortcut.mode()), keys, new Label(shortcut.action()));
        }
        javafx.scene.control.Alert sheet = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.NONE,
                "", javafx.scene.control.ButtonType.CLOSE);
        sheet.setTitle("Keyboard shortcuts");
        sheet.setHeaderText("Keyboard shortcuts");
        sheet.getDialogPane().setContent(grid);
        sheet.getDialogPane().setId("shortcuts");
        if (getScene() != null && getScene().getWindow() != null) {
            sheet.initOwner(getScene().getWindow());
        }
        sheet.setOnHidden(event -> notebook.hideShortcuts());
        sheet.show();
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
        Button restartRunAll = button("\u21bb\u23e9", "restart-run-all", "Restart the kernel and run every code cell",
                notebook::restartAndRunAll);
        Button clear = button("\u2327 Clear", "clear-outputs", "Clear every cell's outputs", notebook::clearAllOutputs);
        Button save = button("Save", "save", "Save (Ctrl+S)", notebook::save);
        save.disableProperty().bind(notebook.dirtyProperty().not());
        Button add = button("+", "add-cell", "Insert a cell below (B)",
                () -> notebook.perform(NotebookCommand.INSERT_BELOW));
        Button up = button("\u2191", "move-up", "Move the cell up", () -> notebook.perform(NotebookCommand.MOVE_UP));
        Button down = button("\u2193", "move-down", "Move the cell down",
                () -> notebook.perform(NotebookCommand.MOVE_DOWN));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        return new ToolBar(save, add, up, down, new Separator(), run, runAll, interrupt, restart, restartRunAll, clear,
                spacer,
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
