package io.quire.desktop.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Height estimates of off-screen cells, from the model alone. */
class CellHeightsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode output(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    /** The first bytes of a PNG of a given size: signature, then the IHDR chunk. */
    private static String pngHeader(int width, int height) {
        byte[] bytes = new byte[33];
        byte[] start = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        System.arraycopy(start, 0, bytes, 0, start.length);
        for (int i = 0; i < 4; i++) {
            bytes[16 + i] = (byte) (width >>> (24 - 8 * i));
            bytes[20 + i] = (byte) (height >>> (24 - 8 * i));
        }
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void image_takesItsHeightFromThePngHeader_scaledToTheMaximumWidth() {
        assertThat(CellHeights.imageHeight(pngHeader(640, 480))).isEqualTo(480);
        assertThat(CellHeights.imageHeight(pngHeader(1800, 600))).isCloseTo(300, within(0.01));
        assertThat(CellHeights.imageHeight("%%%% not base64")).as("not an image: a one-line note")
                .isEqualTo(CellHeights.TEXT_LINE);
        assertThat(CellHeights.imageHeight(Base64.getEncoder().encodeToString(new byte[40])))
                .as("no PNG header: a typical figure's height").isEqualTo(480);
    }

    @Test
    void outputs_countLinesAndTableRows_cappedAsTheViewCapsThem() throws Exception {
        assertThat(CellHeights.output(output("{\"output_type\": \"stream\", \"text\": [\"a\\n\", \"b\\n\"]}")))
                .isEqualTo(2 * CellHeights.TEXT_LINE);
        assertThat(CellHeights.output(output("{\"output_type\": \"stream\", \"text\": \""
                + "x\\n".repeat(5000) + "\"}"))).isEqualTo(200 * CellHeights.TEXT_LINE);
        assertThat(CellHeights.output(output("{\"output_type\": \"execute_result\", \"data\": {\"text/html\":"
                + " \"<table><tr><th>a</th></tr><tr><td>1</td></tr></table>\"}}")))
                .isEqualTo(2 * CellHeights.TABLE_ROW + CellHeights.TEXT_LINE);
        assertThat(CellHeights.output(output("{\"output_type\": \"display_data\", \"data\": {\"text/html\":"
                + " \"<b>hi</b>\"}}"))).isEqualTo(CellHeights.WEB);
    }

    @Test
    void cell_growsWithItsSourceAndOutputs_andShrinksWhenCollapsed() throws Exception {
        ObjectNode figure = output("{\"output_type\": \"display_data\", \"data\": {\"image/png\": \""
                + pngHeader(640, 480) + "\"}}");
        CellViewModel small = new CellViewModel("a", CellType.CODE, "x = 1", List.of(), Optional.empty(),
                JSON.createObjectNode());
        CellViewModel big = new CellViewModel("b", CellType.CODE, "x = 1\ny = 2\nz = 3", List.of(figure),
                Optional.empty(), JSON.createObjectNode());
        assertThat(CellHeights.estimate(big) - CellHeights.estimate(small))
                .isCloseTo(2 * CellHeights.LINE + 480 + 6, within(0.01));
        big.outputsCollapsedProperty().set(true);
        assertThat(CellHeights.estimate(big)).isLessThan(CellHeights.estimate(small) + 100);
    }
}
