package io.quire.desktop.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;

/**
 * Estimates a cell's height in pixels from its model alone, without building any node, decoding any image or
 * loading any page. The notebook's virtualised list asks for the size of cells that are not on screen to size its
 * scroll bar (JavaFX's {@code VirtualFlow} measures a few more of them after every layout pass, through a hidden
 * "accumulator" cell); {@link CellView} answers such a request with this estimate instead of rendering the cell, so
 * opening or typing in a big notebook never renders cells nobody sees. Cells on screen are measured for real; the
 * estimate only has to be close enough for a steady scroll bar.
 *
 * <p>Rules (the same constants as the views): a source line is {@value #LINE} px, an output text line
 * {@value #TEXT_LINE} px (at most the lines {@code OutputsView} shows before "show all"), a table row
 * {@value #TABLE_ROW} px, a PNG/JPEG/GIF image its height from the file header scaled to at most
 * {@value #MAX_IMAGE_WIDTH} px wide, other HTML and SVG {@value #WEB} px.
 */
final class CellHeights {
    static final double LINE = 18.5;
    static final double TEXT_LINE = 17;
    static final double TABLE_ROW = 25;
    static final double WEB = 300;
    static final double MAX_IMAGE_WIDTH = 900;
    private static final double CELL_PADDING = 22;
    private static final double OUTPUT_GAP = 6;
    private static final int MAX_LINES = 200;
    private static final int MAX_ROWS = 200;

    private CellHeights() {
    }

    /**
     * The estimated height of a cell as the list shows it.
     *
     * @param cell the cell
     * @return the height in pixels, positive
     */
    static double estimate(CellViewModel cell) {
        String source = cell.sourceProperty().get();
        CellType type = cell.typeProperty().get();
        if (type == CellType.MARKDOWN && cell.renderedProperty().get()) {
            return CELL_PADDING + Math.max(1, lines(source, Integer.MAX_VALUE)) * LINE * 1.2;
        }
        double height = CELL_PADDING + Math.max(1, lines(source, Integer.MAX_VALUE)) * LINE + 10;
        if (type != CellType.CODE || cell.outputs().isEmpty()) {
            return height;
        }
        if (cell.outputsCollapsedProperty().get()) {
            return height + TEXT_LINE + OUTPUT_GAP;
        }
        double outputs = 0;
        for (ObjectNode output : cell.outputs()) {
            outputs += output(output) + OUTPUT_GAP;
        }
        return height + (cell.outputsScrolledProperty().get() ? Math.min(400, outputs) : outputs);
    }

    /**
     * The estimated height of one nbformat output.
     *
     * @param output the output JSON
     * @return the height in pixels
     */
    static double output(ObjectNode output) {
        return switch (output.path("output_type").asText()) {
            case "stream" -> TEXT_LINE * Math.max(1, lines(text(output.path("text")), MAX_LINES));
            case "error" -> TEXT_LINE * Math.max(1, Math.min(MAX_LINES, countLines(output.path("traceback"))));
            case "execute_result", "display_data" -> rich(output.path("data"));
            default -> TEXT_LINE;
        };
    }

    private static double rich(JsonNode data) {
        if (data.has("text/html")) {
            String html = text(data.get("text/html"));
            int rows = count(html, "<tr", MAX_ROWS + 1);
            return rows > 0 ? TABLE_ROW * rows + TEXT_LINE : WEB;
        }
        if (data.has("image/svg+xml")) {
            return WEB;
        }
        for (String image : new String[] {"image/png", "image/jpeg", "image/gif"}) {
            if (data.has(image)) {
                return imageHeight(text(data.get(image)));
            }
        }
        if (data.has("text/plain")) {
            return TEXT_LINE * Math.max(1, lines(text(data.get("text/plain")), MAX_LINES));
        }
        return TEXT_LINE * 3;
    }

    /** The displayed height of a base64 image: from the PNG header, else a typical figure's. */
    static double imageHeight(String base64) {
        try {
            String head = base64.substring(0, Math.min(base64.length(), 48)).replaceAll("\\s", "");
            byte[] bytes = Base64.getDecoder().decode(head.substring(0, head.length() / 4 * 4));
            // PNG: 8-byte signature, then the IHDR chunk: length, "IHDR", width, height (big-endian)
            if (bytes.length >= 24 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
                double width = readInt(bytes, 16);
                double height = readInt(bytes, 20);
                if (width > 0 && height > 0) {
                    return height * Math.min(1, MAX_IMAGE_WIDTH / width);
                }
            }
        } catch (IllegalArgumentException e) {
            // not base64: the view shows a one-line note
            return TEXT_LINE;
        }
        return 480;
    }

    private static int readInt(byte[] bytes, int at) {
        return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8
                | (bytes[at + 3] & 0xff);
    }

    private static int countLines(JsonNode array) {
        int lines = 0;
        for (JsonNode line : array) {
            lines += lines(line.asText(""), MAX_LINES);
        }
        return lines;
    }

    /** Lines of a text (a last line without a newline counts), counting at most {@code max}. */
    static int lines(String text, int max) {
        if (text.isEmpty()) {
            return 0;
        }
        int lines = 1;
        for (int i = text.indexOf('\n'); i >= 0 && lines < max; i = text.indexOf('\n', i + 1)) {
            if (i < text.length() - 1) {
                lines++;
            }
        }
        return lines;
    }

    private static int count(String text, String part, int max) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0 && count < max; i = text.indexOf(part, i + part.length())) {
            count++;
        }
        return count;
    }

    private static String text(JsonNode node) {
        return CellViewModel.text(node);
    }
}
