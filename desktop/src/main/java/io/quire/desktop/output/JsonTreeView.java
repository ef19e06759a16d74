package io.quire.desktop.output;

import com.fasterxml.jackson.databind.JsonNode;
import javafx.scene.Node;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * A collapsible tree of a JSON output ({@link JsonTree} decides the text). Rows are built when their parent is
 * first expanded, and a container shows {@value JsonTree#PAGE} children at a time with "show more", so a huge value
 * costs only what is on screen. The root and its direct children start expanded.
 */
public final class JsonTreeView extends VBox {
    /** Levels expanded at first. */
    static final int EXPANDED_DEPTH = 1;

    /**
     * A tree of a value.
     *
     * @param value the JSON value
     */
    public JsonTreeView(JsonNode value) {
        getStyleClass().addAll("output", "json-output");
        getChildren().add(row("root", value, 0));
    }

    private static Node row(String key, JsonNode value, int depth) {
        Label keyLabel = new Label(key + ":");
        keyLabel.getStyleClass().addAll("json-key", "mono");
        Label summary = new Label(JsonTree.summary(value));
        summary.getStyleClass().addAll(JsonTree.styleClass(value), "mono");
        if (!JsonTree.expandable(value)) {
            Label spacer = new Label("  ");
            spacer.getStyleClass().addAll("json-toggle", "mono");
            return new HBox(2, spacer, keyLabel, summary);
        }
        Label toggle = new Label();
        toggle.getStyleClass().addAll("json-toggle", "mono");
        HBox line = new HBox(2, toggle, keyLabel, summary);
        line.getStyleClass().add("json-line");
        VBox children = new VBox();
        children.getStyleClass().add("json-children");
        VBox box = new VBox(line, children);
        boolean[] built = {false};
        Runnable update = () -> {
            boolean open = children.isVisible();
            toggle.setText(open ? "\u25be" : "\u25b8");
            if (open && !built[0]) {
                built[0] = true;
                addPage(children, value, 0, depth + 1);
            }
        };
        children.setVisible(depth < EXPANDED_DEPTH);
        children.managedProperty().bind(children.visibleProperty());
        line.setOnMouseClicked(event -> {
            children.setVisible(!children.isVisible());
            update.run();
        });
        update.run();
        return box;
    }

    private static void addPage(VBox children, JsonNode value, int from, int depth) {
        for (JsonTree.Entry entry : JsonTree.children(value, from, JsonTree.PAGE)) {
            children.getChildren().add(row(entry.key(), entry.value(), depth));
        }
        int next = from + JsonTree.PAGE;
        if (next < value.size()) {
            Hyperlink more = new Hyperlink("Show " + Math.min(JsonTree.PAGE, value.size() - next) + " more of "
                    + (value.size() - next));
            more.getStyleClass().add("show-all");
            more.setOnAction(event -> {
                children.getChildren().remove(more);
                addPage(children, value, next, depth);
            });
            children.getChildren().add(more);
        }
    }
}
