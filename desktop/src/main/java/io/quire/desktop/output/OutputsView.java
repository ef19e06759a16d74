package io.quire.desktop.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/**
 * The outputs of one code cell, rendered from {@link OutputItem}s: streams and errors as ANSI-coloured monospace text
 * (long text clipped with a "show all" link), images from their base64, pandas tables as a grid, markdown, JSON.
 * Rebuilt when the cell's outputs change; the notebook list recycles it between cells.
 */
public final class OutputsView extends VBox {
    /** Lines of a text output shown before "show all". */
    static final int MAX_LINES = 200;
    /** Characters of a text output shown before "show all". */
    static final int MAX_CHARS = 20_000;
    /** Rows of an HTML table shown. */
    static final int MAX_ROWS = 200;

    /** An empty view. */
    public OutputsView() {
        super(4);
        getStyleClass().add("outputs");
    }

    /**
     * Shows outputs.
     *
     * @param outputs nbformat 4 outputs
     */
    public void show(List<ObjectNode> outputs) {
        getChildren().clear();
        for (OutputItem item : OutputItem.of(outputs)) {
            getChildren().add(render(item));
        }
        setVisible(!outputs.isEmpty());
        setManaged(!outputs.isEmpty());
    }

    private static Node render(OutputItem item) {
        return switch (item) {
            case OutputItem.Stream stream -> clipped(stream.text(), "stream-" + stream.name());
            case OutputItem.Text text -> clipped(text.text(), "text-output");
            case OutputItem.Error error -> clipped(error.traceback().isEmpty()
                    ? error.ename() + ": " + error.evalue() : error.traceback(), "error-output");
            case OutputItem.Json json -> clipped(json.json(), "json-output");
            case OutputItem.Markdown markdown -> MarkdownRenderer.render(markdown.markdown());
            case OutputItem.Image image -> image(image);
            case OutputItem.Table table -> table(table.table());
        };
    }

    private static Node clipped(String text, String style) {
        VBox box = new VBox(2);
        box.getStyleClass().addAll("output", style);
        Clip clip = Clip.of(text, MAX_LINES, MAX_CHARS);
        TextFlow flow = ansi(clip.shown());
        box.getChildren().add(flow);
        if (clip.truncated()) {
            Hyperlink more = new Hyperlink("Show all (" + clip.hiddenLines() + " more lines)");
            more.getStyleClass().add("show-all");
            more.setOnAction(event -> box.getChildren().setAll(ansi(text)));
            box.getChildren().add(more);
        }
        return box;
    }

    private static TextFlow ansi(String text) {
        TextFlow flow = new TextFlow();
        flow.getStyleClass().add("ansi");
        String shown = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        for (AnsiSpan span : AnsiText.parse(shown)) {
            Text node = new Text(span.text());
            node.getStyleClass().addAll("output-text", "mono");
            StringBuilder style = new StringBuilder();
            // inline style, not setFill: the stylesheet's -fx-fill would win over a programmatic fill
            span.foreground().ifPresent(rgb -> style.append(String.format("-fx-fill: #%06x;", rgb)));
            if (span.bold()) {
                style.append("-fx-font-weight: bold;");
            }
            if (span.italic()) {
                style.append("-fx-font-style: italic;");
            }
            if (span.underline()) {
                node.setUnderline(true);
            }
            if (span.background().isPresent()) {
                style.append(String.format("-fx-background-color: #%06x;", span.background().getAsInt()));
            }
            node.setStyle(style.toString());
            flow.getChildren().add(node);
        }
        return flow;
    }

    private static Node image(OutputItem.Image item) {
        Image image = new Image(new ByteArrayInputStream(item.bytes()));
        if (image.isError()) {
            Label label = new Label("[" + item.mimeType() + " that cannot be decoded]");
            label.getStyleClass().add("error-output");
            return label;
        }
        ImageView view = new ImageView(image);
        view.setPreserveRatio(true);
        view.setFitWidth(Math.min(image.getWidth(), 900));
        view.getStyleClass().add("output-image");
        return view;
    }

    private static Node table(HtmlTable table) {
        VBox box = new VBox(2);
        GridPane grid = new GridPane();
        grid.getStyleClass().add("html-table");
        int row = 0;
        for (List<String> cells : table.header()) {
            addRow(grid, row++, cells, "th", true);
        }
        int shownRows = Math.min(MAX_ROWS, table.body().size());
        for (int i = 0; i < shownRows; i++) {
            addRow(grid, row++, table.body().get(i), "td", false);
        }
        box.getChildren().add(grid);
        String note = table.note();
        if (table.body().size() > shownRows) {
            note = (table.body().size() - shownRows) + " more rows. " + note;
        }
        if (!note.isEmpty()) {
            Label label = new Label(note);
            label.getStyleClass().add("table-note");
            box.getChildren().add(label);
        }
        return box;
    }

    private static void addRow(GridPane grid, int row, List<String> cells, String style, boolean header) {
        for (int column = 0; column < cells.size(); column++) {
            Label label = new Label(cells.get(column));
            label.getStyleClass().add(style);
            if (column == 0 && !header) {
                label.getStyleClass().add("th");
            }
            label.setMaxWidth(Double.MAX_VALUE);
            grid.add(label, column, row);
        }
    }
}
