package io.quire.desktop.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.beans.InvalidationListener;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/**
 * The outputs of one code cell, rendered from {@link OutputItem}s: streams and errors as ANSI-coloured monospace text,
 * plain text, PNG/JPEG/GIF images, plain pandas tables as a grid, other HTML and SVG in a {@link HtmlView}
 * (WebKit), LaTeX typeset by {@link MathRenderer}, markdown, JSON as a collapsible {@link JsonTreeView}.
 *
 * <p>Design: {@link #show} is called on every change of a cell's outputs (each poll of a running execution replaces
 * them), so it keeps the node of every item that is equal to one it showed before and builds only new ones; an
 * HTML output does not reload and flicker while a stream grows below it, and an {@code update_display_data} rebuilds
 * only the updated display. Huge outputs are cut: text after {@value #MAX_LINES} lines or {@value #MAX_CHARS}
 * characters, tables after {@value #MAX_ROWS} rows, HTML over {@value #MAX_HTML_CHARS} characters is not loaded
 * until asked, each with a "show all" link. A gutter on the left collapses the outputs (JupyterLab's click on the
 * output prompt) or makes them scroll inside a box of {@value #SCROLL_HEIGHT} pixels; both are properties the cell
 * binds, since the notebook list recycles this view between cells.
 */
public final class OutputsView extends VBox {
    /** Lines of a text output shown before "show all". */
    static final int MAX_LINES = 200;
    /** Characters of a text output shown before "show all". */
    static final int MAX_CHARS = 20_000;
    /** Rows of an HTML table shown before "show all". */
    static final int MAX_ROWS = 200;
    /** HTML longer than this is loaded only on request. */
    static final int MAX_HTML_CHARS = 2_000_000;
    /** Height of the outputs when they scroll. */
    static final double SCROLL_HEIGHT = 400;

    private static final Pattern FONT_SIZE = Pattern.compile("-fx-font-size:\\s*([0-9.]+)px");

    private final BooleanProperty collapsed = new SimpleBooleanProperty(false);
    private final BooleanProperty scrolled = new SimpleBooleanProperty(false);
    private final VBox content = new VBox(4);
    private final ScrollPane scroll = new ScrollPane();
    private final Label collapsedNote = new Label();
    private final HBox row;
    private List<OutputItem> items = List.of();
    private Map<OutputItem, Deque<Node>> nodes = new HashMap<>();

    /** An empty view. */
    public OutputsView() {
        getStyleClass().add("outputs");
        content.getStyleClass().add("outputs-content");
        scroll.getStyleClass().add("outputs-scroll");
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        content.heightProperty().addListener((property, was, height) ->
                scroll.setPrefViewportHeight(Math.min(SCROLL_HEIGHT, height.doubleValue())));
        collapsedNote.getStyleClass().add("outputs-collapsed");
        collapsedNote.setOnMouseClicked(event -> collapsed.set(false));

        Button collapse = new Button();
        collapse.getStyleClass().addAll("outputs-toggle", "flat", "collapse-outputs");
        collapse.setFocusTraversable(false);
        collapse.setTooltip(new Tooltip("Collapse or expand the outputs"));
        collapse.setOnAction(event -> collapsed.set(!collapsed.get()));
        Button scrolling = new Button("\u21f3");
        scrolling.getStyleClass().addAll("outputs-toggle", "flat", "scroll-outputs");
        scrolling.setFocusTraversable(false);
        scrolling.setTooltip(new Tooltip("Scroll the outputs in a box, or show them whole"));
        scrolling.setOnAction(event -> scrolled.set(!scrolled.get()));
        VBox gutter = new VBox(0, collapse, scrolling);
        gutter.getStyleClass().add("outputs-gutter");
        row = new HBox(2, gutter);
        getChildren().add(row);
        InvalidationListener layout = observable -> {
            collapse.setText(collapsed.get() ? "\u25b8" : "\u25be");
            scrolling.setVisible(!collapsed.get());
            arrange();
        };
        collapsed.addListener(layout);
        scrolled.addListener(layout);
        layout.invalidated(collapsed);
    }

    /**
     * Whether the outputs are hidden behind a one-line note.
     *
     * @return the property
     */
    public BooleanProperty collapsedProperty() {
        return collapsed;
    }

    /**
     * Whether the outputs scroll inside a box of limited height.
     *
     * @return the property
     */
    public BooleanProperty scrolledProperty() {
        return scrolled;
    }

    /**
     * Shows outputs, keeping the nodes of items shown before.
     *
     * @param outputs nbformat 4 outputs
     */
    public void show(List<ObjectNode> outputs) {
        List<OutputItem> next = OutputItem.of(outputs);
        Map<OutputItem, Deque<Node>> kept = new HashMap<>();
        List<Node> children = new ArrayList<>(next.size());
        for (OutputItem item : next) {
            Deque<Node> old = nodes.get(item);
            Node node = old != null && !old.isEmpty() ? old.poll() : render(item);
            kept.computeIfAbsent(item, key -> new ArrayDeque<>()).add(node);
            children.add(node);
        }
        nodes = kept;
        items = next;
        content.getChildren().setAll(children);
        setVisible(!next.isEmpty());
        setManaged(!next.isEmpty());
        arrange();
    }

    /**
     * The items shown, for tests.
     *
     * @return the items
     */
    List<OutputItem> items() {
        return items;
    }

    private void arrange() {
        Node body;
        if (collapsed.get()) {
            collapsedNote.setText("\u2026 " + items.size() + (items.size() == 1 ? " output" : " outputs")
                    + " collapsed (click to expand)");
            scroll.setContent(null);
            body = collapsedNote;
        } else if (scrolled.get()) {
            scroll.setContent(content);
            body = scroll;
        } else {
            scroll.setContent(null);
            body = content;
        }
        HBox.setHgrow(body, Priority.ALWAYS);
        if (row.getChildren().size() < 2) {
            row.getChildren().add(body);
        } else if (row.getChildren().get(1) != body) {
            row.getChildren().set(1, body);
        }
    }

    private static Node render(OutputItem item) {
        return switch (item) {
            case OutputItem.Stream stream -> clipped(stream.text(), "stream-" + stream.name());
            case OutputItem.Text text -> clipped(text.text(), "text-output");
            case OutputItem.Error error -> clipped(error.traceback().isEmpty()
                    ? error.ename() + ": " + error.evalue() : error.traceback(), "error-output");
            case OutputItem.Json json -> new JsonTreeView(json.json());
            case OutputItem.Markdown markdown -> MarkdownRenderer.render(markdown.markdown());
            case OutputItem.Image image -> image(image);
            case OutputItem.Table table -> table(table.table(), MAX_ROWS);
            case OutputItem.Html html -> html(html.html());
            case OutputItem.Svg svg -> new HtmlView(svg.svg(), true);
            case OutputItem.Latex latex -> latex(latex);
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

    private static Node html(String html) {
        if (html.length() <= MAX_HTML_CHARS) {
            return new HtmlView(html, false);
        }
        VBox box = new VBox(2);
        box.getStyleClass().addAll("output", "html-output-large");
        Label note = new Label(String.format("Large HTML output (%.1f MB) not loaded.", html.length() / 1e6));
        note.getStyleClass().add("table-note");
        Hyperlink show = new Hyperlink("Show all");
        show.getStyleClass().add("show-all");
        show.setOnAction(event -> box.getChildren().setAll(new HtmlView(html, false)));
        box.getChildren().addAll(note, show);
        return box;
    }

    private static Node latex(OutputItem.Latex latex) {
        VBox box = new VBox(4);
        box.getStyleClass().addAll("output", "latex-output");
        for (String formula : latex.formulas()) {
            box.getChildren().add(MathRenderer.node(formula, true));
        }
        return box;
    }

    private static Node table(HtmlTable table, int maxRows) {
        VBox box = new VBox(2);
        box.getStyleClass().add("table-output");
        GridPane grid = new GridPane();
        grid.getStyleClass().add("html-table");
        int row = 0;
        for (List<String> cells : table.header()) {
            addRow(grid, row++, cells, "th", true);
        }
        int shownRows = Math.min(maxRows, table.body().size());
        for (int i = 0; i < shownRows; i++) {
            addRow(grid, row++, table.body().get(i), i % 2 == 0 ? "td-odd" : "td-even", false);
        }
        box.getChildren().add(grid);
        if (table.body().size() > shownRows) {
            Hyperlink more = new Hyperlink("Show all (" + (table.body().size() - shownRows) + " more rows)");
            more.getStyleClass().add("show-all");
            more.setOnAction(event -> box.getChildren().setAll(((VBox) table(table, Integer.MAX_VALUE))
                    .getChildren()));
            box.getChildren().add(more);
        }
        if (!table.note().isEmpty()) {
            Label label = new Label(table.note());
            label.getStyleClass().add("table-note");
            box.getChildren().add(label);
        }
        return box;
    }

    private static void addRow(GridPane grid, int row, List<String> cells, String style, boolean header) {
        for (int column = 0; column < cells.size(); column++) {
            Label label = new Label(cells.get(column));
            label.getStyleClass().addAll(header ? "head" : "td", style);
            if (column == 0 && !header) {
                label.getStyleClass().add("th");
            }
            label.setMaxWidth(Double.MAX_VALUE);
            grid.add(label, column, row);
        }
    }

    /**
     * How a window looks, read from its root node: the {@code dark} style class that
     * {@code io.quire.desktop.Theme} sets, and the root's {@code -fx-font-size}.
     *
     * @param dark     whether the dark theme is on
     * @param fontSize the base font size in pixels
     */
    record Look(boolean dark, double fontSize) {
        /** The base font size when the root sets none. */
        static final double DEFAULT_FONT_SIZE = 14;

        static Look of(Scene scene) {
            Parent root = scene == null ? null : scene.getRoot();
            if (root == null) {
                return new Look(false, DEFAULT_FONT_SIZE);
            }
            double size = DEFAULT_FONT_SIZE;
            Matcher matcher = FONT_SIZE.matcher(Objects.requireNonNullElse(root.getStyle(), ""));
            if (matcher.find()) {
                size = Double.parseDouble(matcher.group(1));
            }
            return new Look(root.getStyleClass().contains("dark"), size);
        }
    }

    /**
     * Calls {@code apply} when a node is put in a window and again whenever that window's theme or font size
     * changes (outputs drawn outside CSS, such as web pages and typeset math, follow the theme this way).
     * Listeners are moved when the node changes windows, so a recycled node leaks none.
     *
     * @param node  the node
     * @param apply receives the look; called on the JavaFX thread
     */
    static void followLook(Node node, Consumer<Look> apply) {
        Look[] last = {null};
        InvalidationListener changed = observable -> {
            Look look = Look.of(node.getScene());
            if (!look.equals(last[0])) {
                last[0] = look;
                apply.accept(look);
            }
        };
        node.sceneProperty().addListener((property, was, scene) -> {
            if (was != null && was.getRoot() != null) {
                was.getRoot().getStyleClass().removeListener(changed);
                was.getRoot().styleProperty().removeListener(changed);
            }
            if (scene != null && scene.getRoot() != null) {
                scene.getRoot().getStyleClass().addListener(changed);
                scene.getRoot().styleProperty().addListener(changed);
                changed.invalidated(null);
            }
        });
        if (node.getScene() != null) {
            node.getScene().getRoot().getStyleClass().addListener(changed);
            node.getScene().getRoot().styleProperty().addListener(changed);
            changed.invalidated(null);
        }
    }
}
