package io.quire.desktop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;

/**
 * Writes a large notebook for open-time benchmarks: code cells with stream, table and image outputs between
 * markdown cells (about 20 KB per code cell, so 1,000 cells make about 20 MB).
 *
 * <p>{@code java -cp ... io.quire.desktop.BenchmarkNotebook FILE [CELLS]} writes one; then
 * {@code Main --exit-after-first-screen FILE} logs the time to the first screen.
 */
public final class BenchmarkNotebook {
    private BenchmarkNotebook() {
    }

    /**
     * Writes the notebook.
     *
     * @param args the file, and optionally the cell count (default 1000)
     */
    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: BenchmarkNotebook FILE [CELLS]");
            System.exit(2);
        }
        write(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 1000);
    }

    /**
     * Writes a notebook of a number of cells (every fourth one markdown).
     *
     * @param file  where
     * @param cells how many cells
     */
    public static void write(Path file, int cells) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode notebook = json.createObjectNode();
        notebook.put("nbformat", 4).put("nbformat_minor", 5);
        notebook.putObject("metadata").putObject("kernelspec").put("name", "python3").put("display_name", "Python 3")
                .put("language", "python");
        ArrayNode array = notebook.putArray("cells");
        Random random = new Random(42);
        byte[] image = new byte[9_000];
        random.nextBytes(image);
        String base64 = Base64.getEncoder().encodeToString(image);
        for (int i = 0; i < cells; i++) {
            ObjectNode cell = array.addObject();
            cell.put("id", "cell-" + i);
            cell.putObject("metadata");
            if (i % 4 == 0) {
                cell.put("cell_type", "markdown").put("source", "## Section " + i + "\n\nSome *text* with `code`.");
                continue;
            }
            cell.put("cell_type", "code").put("execution_count", i);
            cell.put("source", "import math\nvalues = [math.sqrt(n) for n in range(" + i + ")]\nprint(len(values))");
            ArrayNode outputs = cell.putArray("outputs");
            outputs.addObject().put("output_type", "stream").put("name", "stdout")
                    .put("text", ("line of output " + i + "\n").repeat(100));
            ObjectNode table = outputs.addObject().put("output_type", "execute_result").put("execution_count", i);
            table.putObject("metadata");
            StringBuilder html = new StringBuilder("<table><thead><tr><th></th><th>a</th><th>b</th></tr></thead><tbody>");
            for (int row = 0; row < 20; row++) {
                html.append("<tr><th>").append(row).append("</th><td>").append(random.nextInt(1000))
                        .append("</td><td>").append(random.nextDouble()).append("</td></tr>");
            }
            table.putObject("data").put("text/html", html.append("</tbody></table>").toString())
                    .put("text/plain", "a table");
            if (i % 10 == 1) {
                ObjectNode display = outputs.addObject().put("output_type", "display_data");
                display.putObject("metadata");
                display.putObject("data").put("image/png", base64).put("text/plain", "<Figure>");
            }
        }
        try {
            json.writeValue(file.toFile(), notebook);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
