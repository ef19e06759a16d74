package io.quire.desktop.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.desktop.Appearance;
import io.quire.desktop.Theme;
import io.quire.testing.Await;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javafx.concurrent.Worker;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.image.ImageView;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import javafx.scene.text.Text;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/** Every output type rendered headless (TestFX + Monocle), in a window of its own. */
class OutputsViewTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LOAD = Duration.ofSeconds(30);
    private final FxRobot robot = new FxRobot();
    private Appearance appearance;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupStages();
    }

    private OutputsView show(String outputsJson) throws Exception {
        OutputsView view = new OutputsView();
        List<ObjectNode> outputs = outputs(outputsJson);
        FxToolkit.setupStage(stage -> {
            StackPane root = new StackPane(view);
            Scene scene = new Scene(root, 900, 700);
            appearance = new Appearance(Theme.LIGHT);
            appearance.attach(scene);
            view.show(outputs);
            stage.setScene(scene);
            stage.show();
        });
        robot.interact(() -> { });
        return view;
    }

    private static List<ObjectNode> outputs(String json) throws Exception {
        List<ObjectNode> list = new ArrayList<>();
        JSON.readTree(json).forEach(node -> list.add((ObjectNode) node));
        return list;
    }

    private static String display(String mime, String valueJson) {
        return "{\"output_type\": \"display_data\", \"metadata\": {}, \"data\": {\"" + mime + "\": " + valueJson + "}}";
    }

    private <T> T fx(Supplier<T> supplier) {
        AtomicReference<T> value = new AtomicReference<>();
        robot.interact(() -> value.set(supplier.get()));
        return value.get();
    }

    private HtmlView loaded(String selector) {
        return loaded(selector, 45);
    }

    private HtmlView loaded(String selector, double minHeight) {
        HtmlView view = robot.lookup(selector).queryAs(HtmlView.class);
        Await.until(LOAD, "the page of " + selector + " loaded and measured", () -> fx(() ->
                view.webView().getEngine().getLoadWorker().getState() == Worker.State.SUCCEEDED
                        && view.webView().getPrefHeight() > minHeight));
        return view;
    }

    /** Counts pixels of a node's snapshot near a colour. */
    private int pixels(Node node, int rgb) {
        return fx(() -> {
            WritableImage image = node.snapshot(null, null);
            int count = 0;
            for (int y = 0; y < (int) image.getHeight(); y++) {
                for (int x = 0; x < (int) image.getWidth(); x++) {
                    int argb = image.getPixelReader().getArgb(x, y);
                    if (Math.abs(((argb >> 16) & 255) - ((rgb >> 16) & 255)) < 40
                            && Math.abs(((argb >> 8) & 255) - ((rgb >> 8) & 255)) < 40
                            && Math.abs((argb & 255) - (rgb & 255)) < 40) {
                        count++;
                    }
                }
            }
            return count;
        });
    }

    /** Counts the opaque pixels of an image view's image near a colour. */
    private int opaque(ImageView view, int rgb) {
        return fx(() -> {
            int count = 0;
            var image = view.getImage();
            for (int y = 0; y < (int) image.getHeight(); y++) {
                for (int x = 0; x < (int) image.getWidth(); x++) {
                    int argb = image.getPixelReader().getArgb(x, y);
                    if ((argb >>> 24) > 200 && Math.abs(((argb >> 16) & 255) - ((rgb >> 16) & 255)) < 30
                            && Math.abs(((argb >> 8) & 255) - ((rgb >> 8) & 255)) < 30
                            && Math.abs((argb & 255) - (rgb & 255)) < 30) {
                        count++;
                    }
                }
            }
            return count;
        });
    }

    private static String image(String format, Color colour) throws Exception {
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(colour);
        graphics.fillRect(0, 0, 40, 30);
        graphics.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, bytes)).isTrue();
        return "\"" + Base64.getEncoder().encodeToString(bytes.toByteArray()) + "\"";
    }

    @Test
    void html_isRenderedByWebKit_sizedToItsContent_withScriptsOff() throws Exception {
        show("[" + display("text/html", JSON.writeValueAsString(
                "<h2 style='color:#ff0000'>Title</h2><ul><li>one</li><li>two</li></ul>"
                        + "<p id='p'>text</p><script>document.getElementById('p').textContent='script ran'</script>"))
                + "]");
        HtmlView view = loaded(".html-output");
        assertThat(fx(() -> view.webView().getEngine().executeScript("document.getElementById('p').textContent")))
                .as("the output's script did not run").isEqualTo("text");
        assertThat(fx(() -> view.webView().getPrefHeight())).as("heading + list + paragraph").isBetween(80.0, 400.0);
        assertThat(pixels(view, 0xff0000)).as("the red heading is drawn").isGreaterThan(20);
    }

    @Test
    void html_shrinksWhenItGetsWider() throws Exception {
        OutputsView outputs = show("[" + display("text/html", JSON.writeValueAsString(
                "<p>" + "word ".repeat(200) + "</p>")) + "]");
        robot.interact(() -> outputs.setMaxWidth(250));
        HtmlView view = loaded(".html-output", 10);
        Await.until(LOAD, "tall when narrow", () -> fx(() -> view.webView().getPrefHeight()) > 500);
        double narrow = fx(() -> view.webView().getPrefHeight());
        robot.interact(() -> outputs.setMaxWidth(Double.MAX_VALUE));
        Await.until(LOAD, "short when wide", () -> fx(() -> view.webView().getPrefHeight()) < narrow / 2);
    }

    @Test
    void svg_isDrawnAtItsNaturalSize() throws Exception {
        show("[" + display("image/svg+xml", JSON.writeValueAsString(
                "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"60\">"
                        + "<rect width=\"120\" height=\"60\" fill=\"#0000ff\"/></svg>")) + "]");
        HtmlView view = robot.lookup(".svg-output").queryAs(HtmlView.class);
        Await.until(LOAD, "svg measured", () -> fx(() -> view.webView().getPrefWidth()) == 120.0);
        assertThat(fx(() -> view.webView().getPrefHeight())).isEqualTo(60.0);
        Await.until(LOAD, "svg drawn", () -> pixels(view, 0x0000ff) > 120 * 60 * 9 / 10);
    }

    @Test
    void darkTheme_reloadsPagesWithLightText() throws Exception {
        show("[" + display("text/html", "\"<p id='p'>x</p>\"") + "]");
        HtmlView view = loaded(".html-output", 10);
        assertThat(fx(() -> view.webView().getEngine().executeScript(
                "getComputedStyle(document.body).color"))).isEqualTo("rgb(31, 35, 40)");
        robot.interact(() -> appearance.theme(Theme.DARK));
        Await.until(LOAD, "dark page", () -> "rgb(230, 237, 243)".equals(fx(() -> {
            try {
                return view.webView().getEngine().executeScript("getComputedStyle(document.body).color");
            } catch (RuntimeException e) {
                return "loading";
            }
        })));
    }

    @Test
    void pngJpegAndGif_areImages() throws Exception {
        show("[" + display("image/png", image("png", Color.RED)) + "," + display("image/jpeg", image("jpeg", Color.GREEN))
                + "," + display("image/gif", image("gif", Color.BLUE)) + "]");
        List<ImageView> images = robot.lookup(".output-image").queryAllAs(ImageView.class).stream().toList();
        assertThat(images).hasSize(3);
        assertThat(images).allSatisfy(view -> assertThat(view.getImage().getWidth()).isEqualTo(40));
    }

    @Test
    void latex_isTypesetAsAnImage_andABadFormulaShowsItsSource() throws Exception {
        show("[" + display("text/latex", JSON.writeValueAsString("$$\\frac{a}{b} + \\sqrt{x}$$")) + ","
                + display("text/latex", JSON.writeValueAsString("$\\undefinedcmd{a}$")) + "]");
        ImageView math = robot.lookup(".math-display").queryAs(ImageView.class);
        assertThat(math.getImage()).isNotNull();
        assertThat(math.getFitHeight()).as("a fraction is taller than a line").isGreaterThan(25);
        assertThat(opaque(math, 0x1f2328)).as("dark glyphs in the light theme").isGreaterThan(20);
        assertThat(robot.lookup(".math-error").queryAs(Label.class).getText()).contains("\\undefinedcmd{a}")
                .contains("Unknown symbol or command");
    }

    @Test
    void latex_followsTheTheme() throws Exception {
        show("[" + display("text/latex", JSON.writeValueAsString("$$x^2 + \\frac{1}{y}$$")) + "]");
        ImageView math = robot.lookup(".math-display").queryAs(ImageView.class);
        assertThat(opaque(math, 0xe6edf3)).as("no light glyphs in the light theme").isZero();
        assertThat(opaque(math, 0x1f2328)).as("dark glyphs in the light theme").isGreaterThan(20);
        robot.interact(() -> appearance.theme(Theme.DARK));
        assertThat(opaque(math, 0xe6edf3)).as("light glyphs in the dark theme").isGreaterThan(20);
    }

    @Test
    void markdownMath_isTypesetInline() throws Exception {
        show("[" + display("text/markdown", JSON.writeValueAsString("Euler: $e^{i\\pi} + 1 = 0$, `$code$`")) + "]");
        assertThat(robot.lookup(".math").queryAll()).hasSize(1);
        assertThat(robot.lookup(".md-text").queryAllAs(Text.class).stream().map(Text::getText))
                .contains("Euler: ", "$code$");
    }

    @Test
    void json_isACollapsibleTree() throws Exception {
        show("[" + display("application/json", "{\"name\": \"quire\", \"tags\": [1, 2, 3], \"nested\": {\"deep\": true}}")
                + "]");
        assertThat(labels()).contains("root:", "{3 keys}", "name:", "\"quire\"", "tags:", "[3 items]");
        assertThat(labels()).as("second level starts collapsed").doesNotContain("deep:");
        Node nested = robot.lookup(".json-line").queryAll().stream()
                .filter(line -> line.lookupAll(".json-key").stream().anyMatch(k -> ((Label) k).getText().equals("nested:")))
                .findFirst().orElseThrow();
        robot.interact(() -> nested.getOnMouseClicked().handle(null));
        assertThat(labels()).contains("deep:", "true");
    }

    @Test
    void bigJsonArrays_showAPageAtATime() throws Exception {
        StringBuilder array = new StringBuilder("[0");
        for (int i = 1; i < 250; i++) {
            array.append(',').append(i);
        }
        show("[" + display("application/json", "{\"a\": " + array + "]}") + "]");
        Node a = robot.lookup(".json-line").queryAll().stream()
                .filter(line -> line.lookupAll(".json-key").stream().anyMatch(k -> ((Label) k).getText().equals("a:")))
                .findFirst().orElseThrow();
        robot.interact(() -> a.getOnMouseClicked().handle(null));
        assertThat(labels()).contains("99:").doesNotContain("100:");
        Hyperlink more = robot.lookup(".show-all").queryAs(Hyperlink.class);
        assertThat(more.getText()).isEqualTo("Show 100 more of 150");
        robot.interact(more::fire);
        assertThat(labels()).contains("199:").doesNotContain("200:");
    }

    private List<String> labels() {
        return fx(() -> robot.lookup(".json-output .label").queryAllAs(Label.class).stream().map(Label::getText)
                .toList());
    }

    @Test
    void longText_isCutWithShowAll() throws Exception {
        String text = "line\n".repeat(OutputsView.MAX_LINES + 50);
        show("[{\"output_type\": \"stream\", \"name\": \"stdout\", \"text\": " + JSON.writeValueAsString(text) + "}]");
        Hyperlink more = robot.lookup(".show-all").queryAs(Hyperlink.class);
        assertThat(more.getText()).isEqualTo("Show all (50 more lines)");
        robot.interact(more::fire);
        assertThat(robot.lookup(".show-all").queryAll()).isEmpty();
    }

    @Test
    void bigTables_showTheFirstRowsWithShowAll() throws Exception {
        StringBuilder html = new StringBuilder("<table><thead><tr><th>i</th></tr></thead><tbody>");
        for (int i = 0; i < OutputsView.MAX_ROWS + 5; i++) {
            html.append("<tr><td>").append(i).append("</td></tr>");
        }
        html.append("</tbody></table>");
        show("[" + display("text/html", JSON.writeValueAsString(html.toString())) + "]");
        assertThat(robot.lookup(".html-table .td").queryAll()).hasSize(OutputsView.MAX_ROWS);
        Hyperlink more = robot.lookup(".show-all").queryAs(Hyperlink.class);
        assertThat(more.getText()).isEqualTo("Show all (5 more rows)");
        robot.interact(more::fire);
        assertThat(robot.lookup(".html-table .td").queryAll()).hasSize(OutputsView.MAX_ROWS + 5);
    }

    @Test
    void collapseAndScroll_toggleFromTheGutter() throws Exception {
        OutputsView view = show("[{\"output_type\": \"stream\", \"name\": \"stdout\", \"text\": "
                + JSON.writeValueAsString("x\n".repeat(150)) + "}]");
        robot.interact(() -> robot.lookup(".collapse-outputs").queryButton().fire());
        assertThat(view.collapsedProperty().get()).isTrue();
        assertThat(robot.lookup(".outputs-collapsed").queryAs(Label.class).getText()).contains("1 output collapsed");
        assertThat(robot.lookup(".output-text").tryQuery()).isEmpty();
        robot.interact(() -> view.collapsedProperty().set(false));
        robot.interact(() -> robot.lookup(".scroll-outputs").queryButton().fire());
        ScrollPane scroll = robot.lookup(".outputs-scroll").queryAs(ScrollPane.class);
        assertThat(fx(scroll::getHeight)).isLessThanOrEqualTo(OutputsView.SCROLL_HEIGHT + 4);
        assertThat(robot.lookup(".output-text").tryQuery()).isPresent();
    }

    @Test
    void equalOutputs_keepTheirNodes_acrossShows() throws Exception {
        String html = display("text/html", "\"<b>kept</b>\"");
        OutputsView view = show("[" + html + "]");
        HtmlView first = robot.lookup(".html-output").queryAs(HtmlView.class);
        List<ObjectNode> more = outputs("[" + html + ", {\"output_type\": \"stream\", \"name\": \"stdout\", \"text\": \"x\"}]");
        robot.interact(() -> view.show(more));
        assertThat(robot.lookup(".html-output").queryAs(HtmlView.class)).isSameAs(first);
        assertThat(view.items()).hasSize(2);
    }

    @Test
    void fontSize_scalesTextAndClamps() throws Exception {
        show("[{\"output_type\": \"stream\", \"name\": \"stdout\", \"text\": \"hello\"}]");
        Text text = robot.lookup(".output-text").queryAs(Text.class);
        double before = fx(() -> text.getFont().getSize());
        robot.interact(() -> appearance.fontSize(28));
        assertThat(fx(() -> text.getFont().getSize())).isGreaterThan(before * 1.8);
        robot.interact(() -> appearance.fontSize(100));
        assertThat(appearance.fontSize()).isEqualTo(Appearance.MAX_SIZE);
    }

    @Test
    void streamsErrorsAndPlainText_keepAnsiColours() throws Exception {
        show("[{\"output_type\": \"stream\", \"name\": \"stderr\", \"text\": \"\\u001b[32mok\\u001b[0m\"},"
                + "{\"output_type\": \"error\", \"ename\": \"E\", \"evalue\": \"v\", \"traceback\": [\"\\u001b[31mE\\u001b[0m: v\"]},"
                + "{\"output_type\": \"execute_result\", \"execution_count\": 1, \"metadata\": {}, \"data\": {\"text/plain\": \"42\"}}]");
        assertThat(robot.lookup(".stream-stderr").queryAll()).hasSize(1);
        assertThat(robot.lookup(".error-output").queryAll()).hasSize(1);
        assertThat(robot.lookup(".text-output").queryAll()).hasSize(1);
        Text ok = robot.lookup(".output-text").queryAllAs(Text.class).stream()
                .filter(text -> text.getText().equals("ok")).findFirst().orElseThrow();
        assertThat(ok.getFill()).isEqualTo(javafx.scene.paint.Color.rgb(0x00, 0xA2, 0x50));
    }
}
