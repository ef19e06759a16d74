package io.quire.desktop.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputItemTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<ObjectNode> outputs(String json) throws Exception {
        List<ObjectNode> list = new ArrayList<>();
        JSON.readTree(json).forEach(node -> list.add((ObjectNode) node));
        return list;
    }

    @Test
    void consecutiveStreams_areJoined_andCarriageReturnsApplyAcrossThem() throws Exception {
        List<OutputItem> items = OutputItem.of(outputs("""
                [{"output_type": "stream", "name": "stdout", "text": "10%\\r"},
                 {"output_type": "stream", "name": "stdout", "text": "100%\\n"},
                 {"output_type": "stream", "name": "stderr", "text": "warn\\n"},
                 {"output_type": "stream", "name": "stdout", "text": ["a", "b\\n"]}]
                """));
        assertThat(items).containsExactly(new OutputItem.Stream("stdout", "100%\n"),
                new OutputItem.Stream("stderr", "warn\n"), new OutputItem.Stream("stdout", "ab\n"));
    }

    @Test
    void error_joinsItsTraceback() throws Exception {
        List<OutputItem> items = OutputItem.of(outputs("""
                [{"output_type": "error", "ename": "ValueError", "evalue": "bad",
                  "traceback": ["line 1", "\\u001b[31mValueError\\u001b[0m: bad"]}]
                """));
        assertThat(items).containsExactly(new OutputItem.Error("ValueError", "bad",
                "line 1\n\u001b[31mValueError\u001b[0m: bad"));
    }

    @Test
    void richestMimeType_wins() throws Exception {
        List<OutputItem> items = OutputItem.of(outputs("""
                [{"output_type": "display_data", "metadata": {},
                  "data": {"text/plain": "<Figure>", "image/png": "iVBORw0KGgo="}},
                 {"output_type": "execute_result", "execution_count": 1, "metadata": {},
                  "data": {"text/plain": "   a\\n0  1", "text/html": "<table><tr><th>a</th></tr><tr><td>1</td></tr></table>"}},
                 {"output_type": "execute_result", "execution_count": 2, "metadata": {},
                  "data": {"text/plain": "<b>", "text/html": "<b>bold</b>"}},
                 {"output_type": "display_data", "metadata": {}, "data": {"application/json": {"a": 1}}}]
                """));
        assertThat(items.get(0)).isInstanceOf(OutputItem.Image.class);
        assertThat(((OutputItem.Image) items.get(0)).bytes()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N');
        assertThat(items.get(1)).isInstanceOf(OutputItem.Table.class);
        assertThat(items.get(2)).as("HTML wins over plain text, as in JupyterLab")
                .isEqualTo(new OutputItem.Html("<b>bold</b>"));
        assertThat(items.get(3)).isInstanceOf(OutputItem.Json.class);
        assertThat(((OutputItem.Json) items.get(3)).json().path("a").asInt()).isEqualTo(1);
    }

    @Test
    void unknownMimeType_saysSo() throws Exception {
        List<OutputItem> items = OutputItem.of(outputs("""
                [{"output_type": "display_data", "metadata": {}, "data": {"application/x-widget": "w"}}]
                """));
        assertThat(items).containsExactly(new OutputItem.Text("[no renderer for application/x-widget]"));
    }

    @Test
    void clip_keepsTheFirstLines_andCountsTheRest() {
        Clip clip = Clip.of("1\n2\n3\n4\n5", 2, 1000);
        assertThat(clip.shown()).isEqualTo("1\n2\n");
        assertThat(clip.hiddenLines()).isEqualTo(3);
        assertThat(clip.truncated()).isTrue();
        assertThat(Clip.of("short", 2, 1000).truncated()).isFalse();
        assertThat(Clip.of("x".repeat(50), 10, 20).shown()).hasSize(20);
    }

    private static OutputItem rich(String bundle) throws Exception {
        return OutputItem.rich(JSON.readTree(bundle));
    }

    @Test
    void jupyterLabsOrder_htmlThenMarkdownThenLatexThenSvgThenImagesThenJsonThenText() throws Exception {
        assertThat(rich("{\"text/html\": \"<i>x</i>\", \"image/png\": \"iVBORw0KGgo=\"}"))
                .isEqualTo(new OutputItem.Html("<i>x</i>"));
        assertThat(rich("{\"text/markdown\": \"*x*\", \"text/latex\": \"$x$\"}"))
                .isEqualTo(new OutputItem.Markdown("*x*"));
        assertThat(rich("{\"text/latex\": \"$x^2$\", \"image/png\": \"iVBORw0KGgo=\", \"text/plain\": \"x**2\"}"))
                .isEqualTo(new OutputItem.Latex(List.of("x^2"), "$x^2$"));
        assertThat(rich("{\"image/svg+xml\": \"<svg/>\", \"image/png\": \"iVBORw0KGgo=\"}"))
                .isEqualTo(new OutputItem.Svg("<svg/>"));
        assertThat(rich("{\"image/gif\": \"R0lGODlh\", \"application/json\": {}}"))
                .isEqualTo(new OutputItem.Image("image/gif", java.util.Base64.getDecoder().decode("R0lGODlh")));
        assertThat(rich("{\"application/json\": [1], \"text/plain\": \"[1]\"}")).isInstanceOf(OutputItem.Json.class);
    }

    @Test
    void svgAsAListOfLines_isJoined() throws Exception {
        assertThat(rich("{\"image/svg+xml\": [\"<svg>\\n\", \"</svg>\"]}"))
                .isEqualTo(new OutputItem.Svg("<svg>\n</svg>"));
    }

    @Test
    void styledOrSpanningTables_goToTheBrowserEngine_plainPandasTablesToTheGrid() throws Exception {
        String plain = "<div><style scoped>.dataframe tbody tr th { vertical-align: top; }</style>"
                + "<table border=\\\"1\\\" class=\\\"dataframe\\\"><thead><tr><th></th><th>a</th></tr></thead>"
                + "<tbody><tr><th>0</th><td>1</td></tr></tbody></table><p>1 rows × 1 columns</p></div>";
        assertThat(rich("{\"text/html\": \"" + plain + "\"}")).isInstanceOf(OutputItem.Table.class);
        String styled = "<style type=\\\"text/css\\\">#T_1 td { color: red; }</style><table id=\\\"T_1\\\">"
                + "<tr><td>1</td></tr></table>";
        assertThat(rich("{\"text/html\": \"" + styled + "\"}")).isInstanceOf(OutputItem.Html.class);
    }

    @Test
    void latexWithoutFormulas_fallsBackToPlainText() throws Exception {
        assertThat(rich("{\"text/latex\": \"  \", \"text/plain\": \"blank\"}"))
                .isEqualTo(new OutputItem.Text("blank"));
    }

    @Test
    void vendorJson_isATreeOnlyWithoutPlainText() throws Exception {
        assertThat(rich("{\"application/vnd.custom+json\": {\"a\": 1}, \"text/plain\": \"Custom()\"}"))
                .isEqualTo(new OutputItem.Text("Custom()"));
        assertThat(rich("{\"application/vnd.custom+json\": {\"a\": 1}}")).isInstanceOf(OutputItem.Json.class);
    }
}
