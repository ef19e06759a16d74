package io.quire.desktop.output;

import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

/**
 * Renders markdown (CommonMark + GFM tables) as light JavaFX nodes: a {@link VBox} of blocks, inline text in
 * {@link TextFlow}s with style classes ({@code md-h1}..{@code md-h6}, {@code md-strong}, {@code md-em},
 * {@code md-code}, {@code md-link}, {@code md-code-block}, {@code md-quote}, {@code md-table}). No WebView: a list of
 * a thousand cells stays cheap. Math ({@code $...$}, {@code $$...$$}, {@code \(...\)}, {@code \[...\]},
 * environments) is taken out before parsing ({@link MathText}) and typeset by {@link MathRenderer} where it was.
 * Raw HTML is shown as its source text.
 */
public final class MarkdownRenderer {
    private static final Parser PARSER = Parser.builder().extensions(List.of(TablesExtension.create())).build();

    private final MathText.Extracted math;

    private MarkdownRenderer(MathText.Extracted math) {
        this.math = math;
    }

    /**
     * Renders markdown.
     *
     * @param markdown the source
     * @return the rendering
     */
    public static VBox render(String markdown) {
        VBox box = new VBox(6);
        box.getStyleClass().add("markdown");
        MathText.Extracted math = MathText.extract(markdown);
        MarkdownRenderer renderer = new MarkdownRenderer(math);
        org.commonmark.node.Node document = PARSER.parse(math.text());
        for (org.commonmark.node.Node block = document.getFirstChild(); block != null; block = block.getNext()) {
            box.getChildren().add(renderer.block(block, 0));
        }
        return box;
    }

    private Node block(org.commonmark.node.Node block, int depth) {
        return switch (block) {
            case Heading heading -> flow(heading, "md-h" + heading.getLevel());
            case Paragraph paragraph -> flow(paragraph, "md-p");
            case FencedCodeBlock code -> codeBlock(math.restore(code.getLiteral()));
            case IndentedCodeBlock code -> codeBlock(math.restore(code.getLiteral()));
            case BulletList list -> list(list, depth, false);
            case OrderedList list -> list(list, depth, true);
            case BlockQuote quote -> {
                VBox box = children(quote, depth);
                box.getStyleClass().add("md-quote");
                yield box;
            }
            case ThematicBreak ignored -> {
                javafx.scene.control.Separator separator = new javafx.scene.control.Separator();
                yield separator;
            }
            case TableBlock table -> table(table);
            default -> {
                TextFlow flow = new TextFlow();
                inline(block, flow, List.of());
                yield flow;
            }
        };
    }

    private VBox children(org.commonmark.node.Node parent, int depth) {
        VBox box = new VBox(4);
        for (org.commonmark.node.Node child = parent.getFirstChild(); child != null; child = child.getNext()) {
            box.getChildren().add(block(child, depth));
        }
        return box;
    }

    private Node list(org.commonmark.node.ListBlock list, int depth, boolean ordered) {
        VBox box = new VBox(2);
        int number = list instanceof OrderedList ol && ol.getMarkerStartNumber() != null ? ol.getMarkerStartNumber() : 1;
        for (org.commonmark.node.Node item = list.getFirstChild(); item != null; item = item.getNext()) {
            if (item instanceof ListItem listItem) {
                Label marker = new Label(ordered ? (number++) + "." : "\u2022");
                marker.setMinWidth(22);
                javafx.scene.layout.HBox row = new javafx.scene.layout.HBox(4, marker, children(listItem, depth + 1));
                box.getChildren().add(row);
            }
        }
        box.setStyle("-fx-padding: 0 0 0 " + (depth == 0 ? 4 : 12) + ";");
        return box;
    }

    private Node codeBlock(String literal) {
        Text text = new Text(literal.endsWith("\n") ? literal.substring(0, literal.length() - 1) : literal);
        text.getStyleClass().addAll("md-code-block-text", "mono");
        TextFlow flow = new TextFlow(text);
        flow.getStyleClass().add("md-code-block");
        return flow;
    }

    private Node table(TableBlock table) {
        GridPane grid = new GridPane();
        grid.getStyleClass().add("md-table");
        int[] row = {0};
        table.accept(new org.commonmark.node.AbstractVisitor() {
            @Override
            public void visit(org.commonmark.node.CustomNode node) {
                if (node instanceof TableRow tableRow) {
                    int column = 0;
                    for (org.commonmark.node.Node cell = tableRow.getFirstChild(); cell != null;
                            cell = cell.getNext()) {
                        TextFlow flow = new TextFlow();
                        inline(cell, flow, List.of());
                        flow.getStyleClass().add(cell instanceof TableCell tc && tc.isHeader() ? "md-th" : "md-td");
                        grid.add(flow, column++, row[0]);
                    }
                    row[0]++;
                } else {
                    visitChildren(node);
                }
            }
        });
        return grid;
    }

    private TextFlow flow(org.commonmark.node.Node block, String style) {
        TextFlow flow = new TextFlow();
        flow.getStyleClass().add(style);
        inline(block, flow, List.of(style + "-text"));
        return flow;
    }

    private void inline(org.commonmark.node.Node parent, TextFlow flow, List<String> styles) {
        for (org.commonmark.node.Node node = parent.getFirstChild(); node != null; node = node.getNext()) {
            switch (node) {
                case org.commonmark.node.Text text -> textWithMath(text.getLiteral(), flow, styles);
                case Code code -> flow.getChildren().add(text(code.getLiteral(), plus(styles, "md-code")));
                case Emphasis emphasis -> inline(emphasis, flow, plus(styles, "md-em"));
                case StrongEmphasis strong -> inline(strong, flow, plus(styles, "md-strong"));
                case Link link -> inline(link, flow, plus(styles, "md-link"));
                case SoftLineBreak ignored -> flow.getChildren().add(text(" ", styles));
                case HardLineBreak ignored -> flow.getChildren().add(text("\n", styles));
                case org.commonmark.node.HtmlInline html -> textWithMath(html.getLiteral(), flow, styles);
                default -> inline(node, flow, styles);
            }
        }
    }

    private static List<String> plus(List<String> styles, String style) {
        return java.util.stream.Stream.concat(styles.stream(), java.util.stream.Stream.of(style)).toList();
    }

    private static Text text(String literal, List<String> styles) {
        Text text = new Text(literal);
        text.getStyleClass().add("md-text");
        text.getStyleClass().addAll(styles);
        return text;
    }

    /** Adds text in which math placeholders become typeset formulas; display math gets a line of its own. */
    private void textWithMath(String literal, TextFlow flow, List<String> styles) {
        for (Object part : math.split(literal)) {
            if (part instanceof MathText.Formula formula) {
                if (formula.display() && !flow.getChildren().isEmpty()) {
                    flow.getChildren().add(text("\n", styles));
                }
                flow.getChildren().add(MathRenderer.node(formula.tex(), formula.display()));
                if (formula.display()) {
                    flow.getChildren().add(text("\n", styles));
                }
            } else {
                flow.getChildren().add(text((String) part, styles));
            }
        }
    }
}
