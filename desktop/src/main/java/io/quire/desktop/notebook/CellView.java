package io.quire.desktop.notebook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.desktop.output.MarkdownRenderer;
import io.quire.desktop.output.OutputsView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.collections.ListChangeListener;
import java.util.Optional;
import javafx.geometry.Bounds;
import javafx.scene.Group;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.stage.Popup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * One row of the notebook's virtualised list: prompt, editor (or rendered markdown) and outputs of whichever
 * {@link CellViewModel} the list gives it. The list makes only as many of these as fit on screen and recycles them,
 * so a cell binds on {@link #updateItem} and unbinds from the previous item there.
 *
 * <p>The list also uses one hidden row to measure cells that are off screen (JavaFX's {@code VirtualFlow} measures a
 * couple more after every layout pass to size its scroll bar, and starts over whenever the cell count changes). That
 * row does not render its cell: it takes the height {@link CellHeights#estimate} gives, so opening a big notebook or
 * typing in it never renders, decodes or loads outputs of cells that are not shown.
 */
final class CellView extends ListCell<CellViewModel> {
    private final NotebookViewModel notebook;
    private final LongAdder renders;
    private final Region estimate = new Region();
    private final Label prompt = new Label();
    private final Label state = new Label();
    private final Label visitors = new Label();
    private final CodeEditor editor = new CodeEditor();
    private final StackPane markdown = new StackPane();
    private final OutputsView outputs = new OutputsView();
    private final VBox body = new VBox(4);
    private final HBox row;
    private final HBox input = new HBox(6);
    private final VBox gutter;
    private final Popup popup = new Popup();
    private final List<Runnable> unbind = new ArrayList<>();
    private boolean showing;
    /** The item this row shows, bound; null while it shows none (or only an estimate). */
    private CellViewModel rendered;
    private int renderedIndex = -1;

    CellView(NotebookViewModel notebook, LongAdder renders) {
        this.notebook = notebook;
        this.renders = renders;
        editor.language(notebook.language());
        editor.editableProperty().bind(notebook.openingProperty().not()); // read-only until the rest arrives
        prompt.getStyleClass().add("cell-prompt");
        state.getStyleClass().add("cell-state");
        gutter = new VBox(2, prompt, state);
        gutter.getStyleClass().add("cell-gutter");
        markdown.getStyleClass().add("markdown-cell");
        HBox.setHgrow(body, Priority.ALWAYS);
        row = new HBox(8, gutter, body);
        row.getStyleClass().add("cell");
        getStyleClass().add("notebook-cell");
        setText(null);

        editor.textProperty().addListener((observable, before, after) -> {
            CellViewModel item = getItem();
            if (!showing && item != null && !after.equals(item.sourceProperty().get())) {
                item.sourceProperty().set(after);
            }
        });
        editor.caretPositionProperty().addListener((observable, before, after) -> {
            if (!showing && getItem() != null) {
                getItem().caretProperty().set(after.intValue());
            }
        });
        editor.anchorProperty().addListener((observable, before, after) -> {
            if (!showing && getItem() != null) {
                getItem().anchorProperty().set(after.intValue());
            }
        });
        visitors.getStyleClass().add("cell-collaborators");
        editor.focusedProperty().addListener((observable, was, focused) -> {
            if (focused && getItem() != null) {
                if (notebook.selectedIndexProperty().get() != getIndex()) {
                    notebook.select(getIndex());
                }
                if (notebook.modeProperty().get() != Mode.EDIT) {
                    notebook.perform(NotebookCommand.EDIT);
                }
            }
        });
        markdown.setOnMouseClicked(event -> {
            if (event.getButton() == MouseButton.PRIMARY && getItem() != null) {
                notebook.select(getIndex());
                if (event.getClickCount() == 2) {
                    notebook.perform(NotebookCommand.EDIT);
                }
            }
        });
        editor.addEventFilter(KeyEvent.KEY_PRESSED, this::editorKey);
        input.getStyleClass().add("input-prompt");
        popup.setAutoHide(true);
        InvalidationListener focusWhenEditing = observable -> focusIfEditing();
        notebook.modeProperty().addListener(focusWhenEditing);
        notebook.selectedIndexProperty().addListener(focusWhenEditing);
        InvalidationListener selection = observable -> showSelection();
        notebook.selectedIndexProperty().addListener(selection);
        notebook.selectionAnchorProperty().addListener(selection);
        indexProperty().addListener(selection);
        // Shift+click extends the selection (a plain click selects the cell, as the list does)
        addEventFilter(javafx.scene.input.MouseEvent.MOUSE_PRESSED, event -> {
            if (event.isShiftDown() && event.getButton() == MouseButton.PRIMARY && getItem() != null) {
                notebook.extendSelection(getIndex());
                event.consume();
            }
        });
        dragToMove(gutter);
    }

    private static final javafx.css.PseudoClass DROP_TARGET = javafx.css.PseudoClass.getPseudoClass("drop-target");

    /**
     * Dragging a cell by its gutter (left of the editor) onto another cell moves it there (the editor's own drag
     * selects text). A press-drag-release gesture within the window, not the platform's drag-and-drop: nothing
     * leaves the app, and the rows under the pointer get the events.
     */
    private void dragToMove(Region handle) {
        handle.setOnDragDetected(event -> {
            if (getItem() != null && !notebook.openingProperty().get() && event.getButton() == MouseButton.PRIMARY) {
                handle.startFullDrag();
                event.consume();
            }
        });
        setOnMouseDragEntered(event -> pseudoClassStateChanged(DROP_TARGET, dropFrom(event).isPresent()));
        setOnMouseDragExited(event -> pseudoClassStateChanged(DROP_TARGET, false));
        setOnMouseDragReleased(event -> {
            pseudoClassStateChanged(DROP_TARGET, false);
            dropFrom(event).ifPresent(index -> notebook.move(index, getIndex()));
            event.consume();
        });
    }

    /** The index of the cell dragged onto this one, when it is another cell of the same notebook. */
    private java.util.Optional<Integer> dropFrom(javafx.scene.input.MouseDragEvent event) {
        javafx.scene.Node node = event.getGestureSource() instanceof javafx.scene.Node source ? source : null;
        while (node != null && !(node instanceof CellView)) {
            node = node.getParent();
        }
        if (getItem() == null || !(node instanceof CellView source) || source.notebook != notebook
                || source.getIndex() < 0 || source.getIndex() == getIndex()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(source.getIndex());
    }

    private static final javafx.css.PseudoClass IN_SELECTION = javafx.css.PseudoClass.getPseudoClass("in-selection");

    /** Marks the row when its cell is one of several selected. */
    private void showSelection() {
        boolean several = notebook.selectionAnchorProperty().get() != notebook.selectedIndexProperty().get();
        pseudoClassStateChanged(IN_SELECTION, several && getIndex() >= 0 && notebook.isSelected(getIndex()));
    }

    @Override
    protected void updateItem(CellViewModel item, boolean empty) {
        super.updateItem(item, empty);
        if (!empty && item != null && item == rendered && getIndex() == renderedIndex && getGraphic() == row) {
            // JavaFX lays a row out anew with the item it already shows (e.g. the first layout after a list
            // appears): it is bound to it and showing it, so rendering again would only repeat the work
            return;
        }
        unbind.forEach(Runnable::run);
        unbind.clear();
        rendered = null;
        if (empty || item == null) {
            setGraphic(null);
            return;
        }
        if (measuring()) {
            double height = CellHeights.estimate(item);
            estimate.setMinHeight(height);
            estimate.setPrefHeight(height);
            estimate.setMaxHeight(height);
            setGraphic(estimate);
            return;
        }
        renders.increment();
        InvalidationListener refresh = observable -> refresh(item);
        for (Observable property : List.of(item.typeProperty(), item.renderedProperty(), item.stateProperty(),
                item.executionCountProperty(), item.elapsedProperty(), item.inputProperty(),
                item.collaboratorsProperty())) {
            property.addListener(refresh);
            unbind.add(() -> property.removeListener(refresh));
        }
        outputs.collapsedProperty().bindBidirectional(item.outputsCollapsedProperty());
        outputs.scrolledProperty().bindBidirectional(item.outputsScrolledProperty());
        unbind.add(() -> {
            outputs.collapsedProperty().unbindBidirectional(item.outputsCollapsedProperty());
            outputs.scrolledProperty().unbindBidirectional(item.outputsScrolledProperty());
        });
        javafx.beans.value.ChangeListener<String> sourceChanged = (observable, before, after) -> showRemote(item, after);
        item.sourceProperty().addListener(sourceChanged);
        unbind.add(() -> item.sourceProperty().removeListener(sourceChanged));
        ListChangeListener<ObjectNode> outputsChanged = change -> outputs.show(item.outputs());
        item.outputs().addListener(outputsChanged);
        unbind.add(() -> item.outputs().removeListener(outputsChanged));
        showing = true;
        try {
            editor.show(item.sourceProperty().get());
        } finally {
            showing = false;
        }
        outputs.show(item.outputs());
        refresh(item);
        setGraphic(row);
        rendered = item;
        renderedIndex = getIndex();
        focusIfEditing();
    }

    /**
     * Whether this is the list's hidden measuring row: {@code VirtualFlow} keeps it in an invisible group of its own,
     * while the rows it shows live in its (visible) sheet.
     */
    private boolean measuring() {
        return getParent() instanceof Group group && !group.isVisible();
    }

    private void refresh(CellViewModel item) {
        CellType type = item.typeProperty().get();
        boolean rendered = type == CellType.MARKDOWN && item.renderedProperty().get();
        row.getStyleClass().removeAll("code", "markdown", "raw");
        row.getStyleClass().add(type.wireName());
        prompt.setText(type == CellType.CODE ? item.prompt() : "");
        state.setText(stateText(item));
        state.getStyleClass().removeAll("idle", "queued", "running", "done", "error");
        state.getStyleClass().add(item.stateProperty().get().name().toLowerCase(java.util.Locale.ROOT));
        if (rendered) {
            String source = item.sourceProperty().get();
            markdown.getChildren().setAll(MarkdownRenderer.render(source.isBlank() ? "*Empty markdown cell*" : source));
            body.getChildren().setAll(markdown);
        } else if (type == CellType.CODE) {
            body.getChildren().setAll(editor, outputs);
            item.inputProperty().get().ifPresent(prompt -> {
                showInput(item, prompt);
                body.getChildren().add(input);
            });
        } else {
            body.getChildren().setAll(editor);
        }
        showPresence(item);
    }

    /**
     * Shows a source the editor did not type (someone else's live edit): replaces only the changed middle, then puts
     * the caret and selection where the view model carried them (behind remote inserts before them).
     */
    private void showRemote(CellViewModel item, String source) {
        String text = editor.getText();
        if (showing || getItem() != item || text.equals(source)) {
            return;
        }
        int max = Math.min(text.length(), source.length());
        int prefix = 0;
        while (prefix < max && text.charAt(prefix) == source.charAt(prefix)) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < max - prefix
                && text.charAt(text.length() - 1 - suffix) == source.charAt(source.length() - 1 - suffix)) {
            suffix++;
        }
        showing = true;
        try {
            editor.replaceText(prefix, text.length() - suffix, source.substring(prefix, source.length() - suffix));
            int length = source.length();
            editor.selectRange(Math.min(item.anchorProperty().get(), length),
                    Math.min(item.caretProperty().get(), length));
        } finally {
            showing = false;
        }
    }

    private void showPresence(CellViewModel item) {
        List<Collaborator> here = item.collaboratorsProperty().get();
        // their carets in the editor, where they are in the text (the cell's border says who is in the cell)
        editor.showRemoteCarets(here.stream().filter(who -> who.cursor().isPresent())
                .map(who -> new CodeEditor.RemoteCaret(who.cursor().get(), CollaboratorsBar.colour(who), who.label()))
                .toList());
        if (here.isEmpty()) {
            row.setStyle("");
            return;
        }
        String colour = CollaboratorsBar.colour(here.getFirst());
        row.setStyle("-fx-border-color: transparent transparent transparent " + colour + "; -fx-border-width: 0 0 0 4;");
        visitors.setText(String.join(", ", here.stream().map(Collaborator::label).toList()));
        visitors.setStyle("-fx-text-fill: " + colour + "; -fx-font-size: 0.85em;");
        body.getChildren().add(0, visitors);
    }

    private void showInput(CellViewModel item, InputPrompt prompt) {
        TextField field = prompt.password() ? new PasswordField() : new TextField();
        field.setId("input-field");
        HBox.setHgrow(field, Priority.ALWAYS);
        field.setOnAction(event -> notebook.answerInput(item, field.getText()));
        Label label = new Label(prompt.prompt());
        label.getStyleClass().add("input-label");
        input.getChildren().setAll(label, field);
        Platform.runLater(field::requestFocus);
    }

    private void editorKey(KeyEvent event) {
        CellViewModel item = getItem();
        if (item == null || event.getCode() != KeyCode.TAB || event.isShortcutDown() || event.isAltDown()
                || item.typeProperty().get() != CellType.CODE) {
            return;
        }
        int caret = editor.getCaretPosition();
        String source = editor.getText();
        if (event.isShiftDown()) {
            event.consume();
            notebook.inspect(item, caret).thenAccept(help -> help.ifPresent(this::showHelp));
            return;
        }
        int lineStart = source.lastIndexOf('\n', caret - 1) + 1;
        if (source.substring(lineStart, caret).isBlank()) {
            return; // indentation: the editor inserts the tab
        }
        event.consume();
        notebook.complete(item, caret).thenAccept(completion -> {
            if (getItem() != item || !source.equals(item.sourceProperty().get())) {
                return; // typed on meanwhile, or the row shows another cell now
            }
            if (completion.matches().size() == 1) {
                insert(item, completion, completion.matches().getFirst());
            } else if (!completion.matches().isEmpty()) {
                showMatches(item, completion);
            }
        });
    }

    private void insert(CellViewModel item, Completion completion, String match) {
        popup.hide();
        int caret = notebook.applyCompletion(item, completion, match);
        showing = true;
        try {
            editor.show(item.sourceProperty().get());
        } finally {
            showing = false;
        }
        editor.moveTo(caret);
        editor.requestFocus();
    }

    private void showMatches(CellViewModel item, Completion completion) {
        ListView<String> matches = new ListView<>();
        matches.setId("completion-popup");
        matches.getItems().setAll(completion.matches());
        matches.setPrefHeight(Math.min(10, completion.matches().size()) * 26 + 4);
        matches.setPrefWidth(260);
        matches.getSelectionModel().selectFirst();
        matches.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.ENTER || event.getCode() == KeyCode.TAB) {
                event.consume();
                Optional.ofNullable(matches.getSelectionModel().getSelectedItem())
                        .ifPresent(match -> insert(item, completion, match));
            } else if (event.getCode() == KeyCode.ESCAPE) {
                event.consume();
                popup.hide();
                editor.requestFocus();
            }
        });
        matches.setOnMouseClicked(event -> {
            if (event.getClickCount() == 2) {
                Optional.ofNullable(matches.getSelectionModel().getSelectedItem())
                        .ifPresent(match -> insert(item, completion, match));
            }
        });
        popup.getContent().setAll(matches);
        showPopup();
        matches.requestFocus();
    }

    private void showHelp(String help) {
        Label text = new Label(help.length() > 4000 ? help.substring(0, 4000) + "\u2026" : help);
        text.setId("inspect-popup");
        text.getStyleClass().add("inspect-popup");
        text.setWrapText(true);
        text.setMaxWidth(640);
        popup.getContent().setAll(text);
        showPopup();
    }

    private void showPopup() {
        Optional<Bounds> caret = editor.getCaretBounds();
        Bounds at = caret.orElseGet(() -> editor.localToScreen(editor.getBoundsInLocal()));
        if (at != null && editor.getScene() != null) {
            popup.show(editor, at.getMinX(), at.getMaxY());
        }
    }

    private static String stateText(CellViewModel item) {
        return switch (item.stateProperty().get()) {
            case IDLE -> "";
            case QUEUED -> "queued";
            case RUNNING -> "running";
            case DONE, ERROR -> item.elapsedProperty().get()
                    .map(elapsed -> elapsed.toMillis() < 1000 ? elapsed.toMillis() + " ms"
                            : String.format("%.1f s", elapsed.toMillis() / 1000.0))
                    .orElse("");
        };
    }

    private void focusIfEditing() {
        if (getItem() != null && notebook.modeProperty().get() == Mode.EDIT
                && notebook.selectedIndexProperty().get() == getIndex()) {
            Platform.runLater(() -> {
                if (getItem() != null && notebook.modeProperty().get() == Mode.EDIT
                        && notebook.selectedIndexProperty().get() == getIndex() && editor.getScene() != null) {
                    editor.requestFocus();
                }
            });
        }
    }
}
