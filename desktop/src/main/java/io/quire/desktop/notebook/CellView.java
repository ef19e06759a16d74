package io.quire.desktop.notebook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.desktop.output.MarkdownRenderer;
import io.quire.desktop.output.OutputsView;
import java.util.ArrayList;
import java.util.List;
import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * One row of the notebook's virtualised list: prompt, editor (or rendered markdown) and outputs of whichever
 * {@link CellViewModel} the list gives it. The list makes only as many of these as fit on screen and recycles them,
 * so a cell binds on {@link #updateItem} and unbinds from the previous item there.
 */
final class CellView extends ListCell<CellViewModel> {
    private final NotebookViewModel notebook;
    private final Label prompt = new Label();
    private final Label state = new Label();
    private final CodeEditor editor = new CodeEditor();
    private final StackPane markdown = new StackPane();
    private final OutputsView outputs = new OutputsView();
    private final VBox body = new VBox(4);
    private final HBox row;
    private final List<Runnable> unbind = new ArrayList<>();
    private boolean showing;

    CellView(NotebookViewModel notebook) {
        this.notebook = notebook;
        editor.language(notebook.language());
        prompt.getStyleClass().add("cell-prompt");
        state.getStyleClass().add("cell-state");
        VBox gutter = new VBox(2, prompt, state);
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
        InvalidationListener focusWhenEditing = observable -> focusIfEditing();
        notebook.modeProperty().addListener(focusWhenEditing);
        notebook.selectedIndexProperty().addListener(focusWhenEditing);
    }

    @Override
    protected void updateItem(CellViewModel item, boolean empty) {
        super.updateItem(item, empty);
        unbind.forEach(Runnable::run);
        unbind.clear();
        if (empty || item == null) {
            setGraphic(null);
            return;
        }
        InvalidationListener refresh = observable -> refresh(item);
        for (Observable property : List.of(item.typeProperty(), item.renderedProperty(), item.stateProperty(),
                item.executionCountProperty(), item.elapsedProperty())) {
            property.addListener(refresh);
            unbind.add(() -> property.removeListener(refresh));
        }
        outputs.collapsedProperty().bindBidirectional(item.outputsCollapsedProperty());
        outputs.scrolledProperty().bindBidirectional(item.outputsScrolledProperty());
        unbind.add(() -> {
            outputs.collapsedProperty().unbindBidirectional(item.outputsCollapsedProperty());
            outputs.scrolledProperty().unbindBidirectional(item.outputsScrolledProperty());
        });
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
        focusIfEditing();
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
        } else {
            body.getChildren().setAll(editor);
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
