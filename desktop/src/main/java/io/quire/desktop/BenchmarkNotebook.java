package io.quire.desktop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Writes a large notebook for open-time benchmarks, shaped like a real data-analysis notebook: every fifth cell is
 * markdown (heading, paragraph, list), the others are code cells with a few lines of source; most code cells print to
 * stdout, every third one ends in a pandas DataFrame ({@code text/html} as pandas writes it, one in ten of them a
 * {@code Styler} table that needs a browser engine, plus {@code text/plain}), every fourth one shows a matplotlib-like
 * figure (a real PNG, base64, plus {@code text/plain}), and one in fifty ends in an error with an ANSI traceback.
 * Figures and tables make up most of the bytes; the tables' row count is chosen so that the file comes out at about
 * the size asked for (the figures and tables of at least 5 rows set a floor: about 1.2 MB per 100 cells).
 *
 * <p>{@code java -cp ... io.quire.desktop.BenchmarkNotebook FILE [CELLS] [--size SIZE]} writes one (default 1,000
 * cells and 20 MB; SIZE in bytes or with a {@code KB}/{@code MB} suffix, 1 MB = 1,000,000 bytes); then
 * {@code quire desktop --exit-after-first-screen FILE} logs the time to the first screen. Deterministic: the same
 * arguments write the same file.
 */
public final class BenchmarkNotebook {
    /** The default size, as in the desktop issue: 20 MB. */
    public static final long DEFAULT_SIZE = 20_000_000;
    private static final int MIN_ROWS = 5;
    private static final int FIGURES = 8;
    private static final String PANDAS_STYLE = """
            <style scoped>
                .dataframe tbody tr th:only-of-type {
                    vertical-align: middle;
                }

                .dataframe tbody tr th {
                    vertical-align: top;
                }

                .dataframe thead th {
                    text-align: right;
                }
            </style>
            """;
    private static final String[] COLUMNS = {"date", "region", "product", "units", "price", "revenue", "margin",
        "score"};
    private static final String[] REGIONS = {"north", "south", "east", "west", "central"};
    private static final String[] PRODUCTS = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta"};

    private BenchmarkNotebook() {
    }

    /**
     * Writes the notebook and prints its size.
     *
     * @param args {@code FILE [CELLS] [--size SIZE]}
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        Path file = null;
        int cells = 1000;
        long size = DEFAULT_SIZE;
        boolean cellsSeen = false;
        try {
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--size")) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--size needs a value, e.g. 20MB");
                    }
                    size = parseSize(args[++i]);
                } else if (args[i].startsWith("--")) {
                    throw new IllegalArgumentException("unknown option " + args[i]);
                } else if (file == null) {
                    file = Path.of(args[i]);
                } else if (!cellsSeen) {
                    cells = Integer.parseInt(args[i]);
                    cellsSeen = true;
                } else {
                    throw new IllegalArgumentException("unexpected argument " + args[i]);
                }
            }
            if (file == null) {
                throw new IllegalArgumentException("no file given");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("BenchmarkNotebook: " + e.getMessage());
            System.err.println("usage: BenchmarkNotebook FILE [CELLS] [--size SIZE]   (defaults: 1000 cells, 20MB)");
            System.exit(2);
            return;
        }
        write(file, cells, size);
        try {
            System.err.printf(Locale.ROOT, "wrote %s: %d cells, %,d bytes%n", file, cells, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a size: a number of bytes, or a number with a {@code KB} or {@code MB} suffix (decimal units).
     *
     * @param text the size
     * @return the bytes
     * @throws IllegalArgumentException when it is not a positive size
     */
    static long parseSize(String text) {
        String value = text.strip().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (value.endsWith("MB")) {
            unit = 1_000_000;
            value = value.substring(0, value.length() - 2);
        } else if (value.endsWith("KB")) {
            unit = 1_000;
            value = value.substring(0, value.length() - 2);
        }
        try {
            double number = Double.parseDouble(value.strip());
            if (!(number > 0)) {
                throw new IllegalArgumentException("the size must be positive, got " + text);
            }
            return Math.round(number * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: " + text + " (bytes, or e.g. 500KB, 20MB)", e);
        }
    }

    /**
     * Writes a notebook of a number of cells, about 20 MB.
     *
     * @param file  where
     * @param cells how many cells
     */
    public static void write(Path file, int cells) {
        write(file, cells, DEFAULT_SIZE);
    }

    /**
     * Writes a notebook of a number of cells and about a given size.
     *
     * @param file  where
     * @param cells how many cells (at least 1)
     * @param size  the size to aim at, in bytes
     * @throws IllegalArgumentException when cells or size are not positive
     */
    public static void write(Path file, int cells, long size) {
        if (cells < 1) {
            throw new IllegalArgumentException("a notebook needs at least one cell, got " + cells);
        }
        if (size < 1) {
            throw new IllegalArgumentException("the size must be positive, got " + size);
        }
        ObjectMapper json = new ObjectMapper();
        List<String> figures = figures();
        // First with the smallest tables, to see how many bytes are left for table rows.
        ObjectNode small = notebook(json, cells, figures, MIN_ROWS);
        long smallSize = bytes(json, small);
        int tables = tableCount(cells);
        int rows = MIN_ROWS;
        if (tables > 0 && size > smallSize) {
            ObjectNode larger = notebook(json, cells, figures, MIN_ROWS + 10);
            double perRow = (bytes(json, larger) - smallSize) / (10.0 * tables);
            rows = MIN_ROWS + (int) Math.floor((size - smallSize) / (perRow * tables));
        }
        ObjectNode notebook = small;
        if (rows > MIN_ROWS) {
            notebook = notebook(json, cells, figures, rows);
            // One correction: the rows' random contents make the first estimate a few percent off.
            long first = bytes(json, notebook);
            double perRow = (first - smallSize) / (double) ((rows - MIN_ROWS) * tables);
            int corrected = Math.max(MIN_ROWS, rows + (int) Math.round((size - first) / (perRow * tables)));
            if (corrected != rows) {
                notebook = notebook(json, cells, figures, corrected);
            }
        }
        try {
            json.writeValue(file.toFile(), notebook);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static long bytes(ObjectMapper json, ObjectNode notebook) {
        try {
            return json.writeValueAsBytes(notebook).length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int tableCount(int cells) {
        int tables = 0;
        for (int i = 0; i < cells; i++) {
            if (i % 5 != 0 && codeIndex(i) % 3 == 0) {
                tables++;
            }
        }
        return tables;
    }

    private static int codeIndex(int cell) {
        return cell - cell / 5 - 1;
    }

    private static ObjectNode notebook(ObjectMapper json, int cells, List<String> figures, int rows) {
        ObjectNode notebook = json.createObjectNode();
        notebook.put("nbformat", 4).put("nbformat_minor", 5);
        ObjectNode metadata = notebook.putObject("metadata");
        metadata.putObject("kernelspec").put("name", "python3").put("display_name", "Python 3")
                .put("language", "python");
        metadata.putObject("language_info").put("name", "python").put("version", "3.11.2");
        ArrayNode array = notebook.putArray("cells");
        Random random = new Random(42);
        for (int i = 0; i < cells; i++) {
            ObjectNode cell = array.addObject();
            cell.put("id", String.format(Locale.ROOT, "cell-%04d", i));
            if (i % 5 == 0) {
                cell.put("cell_type", "markdown");
                cell.putObject("metadata");
                cell.set("source", lines(json, markdown(i)));
                continue;
            }
            int code = codeIndex(i);
            cell.put("cell_type", "code").put("execution_count", code + 1);
            cell.putObject("metadata");
            boolean table = code % 3 == 0;
            boolean figure = code % 4 == 1;
            boolean error = code % 50 == 49;
            cell.set("source", lines(json, source(code, table, figure, error)));
            ArrayNode outputs = cell.putArray("outputs");
            if (code % 3 != 2) {
                outputs.addObject().put("output_type", "stream").put("name", "stdout")
                        .set("text", lines(json, stdout(code, random)));
            }
            if (figure) {
                ObjectNode display = outputs.addObject().put("output_type", "display_data");
                display.putObject("metadata");
                display.putObject("data").put("image/png", figures.get(code % figures.size()))
                        .set("text/plain", lines(json, "<Figure size 640x480 with 1 Axes>"));
            }
            if (table) {
                ObjectNode result = outputs.addObject().put("output_type", "execute_result")
                        .put("execution_count", code + 1);
                result.putObject("metadata");
                boolean styled = code % 30 == 0;
                result.putObject("data")
                        .<ObjectNode>set("text/html", lines(json, styled ? styledTable(code, rows, random)
                                : pandasTable(rows, random)))
                        .set("text/plain", lines(json, plainTable(rows)));
            }
            if (error) {
                ObjectNode failure = outputs.addObject().put("output_type", "error").put("ename", "KeyError")
                        .put("evalue", "'revenue_" + code + "'");
                ArrayNode traceback = failure.putArray("traceback");
                traceback.add("\u001b[0;31m-----------------------------------------------------------------"
                        + "----------\u001b[0m");
                traceback.add("\u001b[0;31mKeyError\u001b[0m                                  Traceback (most recent"
                        + " call last)");
                traceback.add("Cell \u001b[0;32mIn[" + (code + 1) + "], line 3\u001b[0m\n\u001b[1;32m      1\u001b[0m"
                        + " summary \u001b[38;5;241m=\u001b[39m frame\u001b[38;5;241m.\u001b[39mgroupby("
                        + "\u001b[38;5;124m\"region\"\u001b[39m)\u001b[38;5;241m.\u001b[39msum()");
                traceback.add("\u001b[0;31mKeyError\u001b[0m: 'revenue_" + code + "'");
            }
        }
        return notebook;
    }

    /** nbformat multiline text: a list of lines, each but the last ending in a newline, as Jupyter writes it. */
    private static ArrayNode lines(ObjectMapper json, String text) {
        ArrayNode array = json.createArrayNode();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            end = end < 0 ? text.length() : end + 1;
            array.add(text.substring(start, end));
            start = end;
        }
        return array;
    }

    private static String markdown(int cell) {
        return "## Section " + (cell / 5 + 1) + ": revenue by region\n\n"
                + "The next cells load the **weekly extract**, clean it and compare regions. Values are in "
                + "*thousands*; see `frame.describe()` for the spread.\n\n"
                + "- drop rows without a region\n- convert `price` to float\n- plot units against revenue";
    }

    private static String source(int code, boolean table, boolean figure, boolean error) {
        StringBuilder source = new StringBuilder();
        source.append("# step ").append(code).append('\n');
        source.append("frame = load_extract(\"sales-").append(code % 52).append(".parquet\")\n");
        source.append("frame = frame.dropna(subset=[\"region\"])\n");
        source.append("frame[\"revenue\"] = frame[\"units\"] * frame[\"price\"]\n");
        source.append("print(f\"{len(frame)} rows, {frame['revenue'].sum():,.2f} total\")\n");
        if (figure) {
            source.append("fig, ax = plt.subplots()\n");
            source.append("ax.plot(frame[\"date\"], frame[\"revenue\"].rolling(7).mean())\n");
            source.append("ax.set_title(\"revenue, 7-day mean\")\nplt.show()\n");
        }
        if (error) {
            source.append("summary = frame.groupby(\"region\").sum()\n");
            source.append("summary[\"revenue_").append(code).append("\"]\n");
        }
        if (table) {
            source.append("frame.head(").append(code % 7 + 5).append(')');
        }
        return source.toString().strip();
    }

    private static String stdout(int code, Random random) {
        StringBuilder out = new StringBuilder();
        int lines = 3 + code % 12;
        for (int i = 0; i < lines; i++) {
            out.append(String.format(Locale.ROOT, "batch %3d: %6d rows, %10.2f total, loss %.5f%n", i,
                    random.nextInt(100_000), random.nextDouble() * 1e6, random.nextDouble()));
        }
        return out.toString();
    }

    private static String[] row(int index, Random random) {
        int units = random.nextInt(500);
        double price = 5 + random.nextDouble() * 95;
        return new String[] {String.format(Locale.ROOT, "2026-%02d-%02d", index % 12 + 1, index % 28 + 1),
            REGIONS[random.nextInt(REGIONS.length)], PRODUCTS[random.nextInt(PRODUCTS.length)],
            Integer.toString(units), String.format(Locale.ROOT, "%.2f", price),
            String.format(Locale.ROOT, "%.2f", units * price), String.format(Locale.ROOT, "%.4f",
                random.nextDouble() * 0.4), String.format(Locale.ROOT, "%.6f", random.nextGaussian())};
    }

    private static String pandasTable(int rows, Random random) {
        StringBuilder html = new StringBuilder("<div>\n").append(PANDAS_STYLE);
        html.append("<table border=\"1\" class=\"dataframe\">\n  <thead>\n    <tr style=\"text-align: right;\">\n");
        html.append("      <th></th>\n");
        for (String column : COLUMNS) {
            html.append("      <th>").append(column).append("</th>\n");
        }
        html.append("    </tr>\n  </thead>\n  <tbody>\n");
        for (int r = 0; r < rows; r++) {
            html.append("    <tr>\n      <th>").append(r).append("</th>\n");
            for (String value : row(r, random)) {
                html.append("      <td>").append(value).append("</td>\n");
            }
            html.append("    </tr>\n");
        }
        html.append("  </tbody>\n</table>\n<p>").append(rows).append(" rows \u00d7 ").append(COLUMNS.length)
                .append(" columns</p>\n</div>");
        return html.toString();
    }

    private static String styledTable(int code, int rows, Random random) {
        String id = "T_" + Integer.toHexString(0x5f3a0 + code);
        StringBuilder html = new StringBuilder("<style type=\"text/css\">\n");
        html.append("#").append(id).append("_row0_col5 {\n  background-color: #08306b;\n  color: #f1f1f1;\n}\n");
        html.append("</style>\n<table id=\"").append(id).append("\">\n  <thead>\n    <tr>\n");
        html.append("      <th class=\"blank level0\" >&nbsp;</th>\n");
        for (int c = 0; c < COLUMNS.length; c++) {
            html.append("      <th id=\"").append(id).append("_level0_col").append(c)
                    .append("\" class=\"col_heading level0 col").append(c).append("\" >").append(COLUMNS[c])
                    .append("</th>\n");
        }
        html.append("    </tr>\n  </thead>\n  <tbody>\n");
        for (int r = 0; r < rows; r++) {
            html.append("    <tr>\n      <th id=\"").append(id).append("_level0_row").append(r)
                    .append("\" class=\"row_heading level0 row").append(r).append("\" >").append(r).append("</th>\n");
            String[] values = row(r, random);
            for (int c = 0; c < values.length; c++) {
                html.append("      <td id=\"").append(id).append("_row").append(r).append("_col").append(c)
                        .append("\" class=\"data row").append(r).append(" col").append(c)
                        .append("\" style=\"background-color: rgba(8, 48, 107, ")
                        .append(String.format(Locale.ROOT, "%.2f", random.nextDouble())).append(")\" >")
                        .append(values[c]).append("</td>\n");
            }
            html.append("    </tr>\n");
        }
        return html.append("  </tbody>\n</table>\n").toString();
    }

    private static String plainTable(int rows) {
        StringBuilder text = new StringBuilder("         date region product  units  price  revenue  margin  score\n");
        for (int r = 0; r < Math.min(rows, 10); r++) {
            text.append(String.format(Locale.ROOT, "%-4d  2026-01-%02d  north   alpha    %3d  12.50  %7.2f  0.1200  0.5%n",
                    r, r % 28 + 1, r, r * 12.5));
        }
        return text.append('[').append(rows).append(" rows x 8 columns]").toString();
    }

    /** A few line-and-scatter plots of 640×480, as PNG in base64 (the bytes a matplotlib figure takes). */
    private static List<String> figures() {
        List<String> figures = new ArrayList<>();
        Random random = new Random(7);
        for (int f = 0; f < FIGURES; f++) {
            BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = image.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, 640, 480);
                g.setColor(Color.BLACK);
                g.drawRect(80, 58, 496, 370);
                for (int tick = 0; tick <= 8; tick++) {
                    g.drawLine(80 + tick * 62, 428, 80 + tick * 62, 434);
                    g.drawString(Integer.toString(tick * 10), 74 + tick * 62, 450);
                }
                g.drawString("revenue, 7-day mean (figure " + f + ")", 230, 48);
                g.setColor(new Color(31, 119, 180, 120));
                for (int p = 0; p < 1500; p++) {
                    double x = random.nextDouble();
                    double y = 0.5 + 0.35 * Math.sin(x * 6 + f) + random.nextGaussian() * 0.08;
                    g.fillOval(80 + (int) (x * 490), 58 + (int) ((1 - y) * 365), 5, 5);
                }
                g.setColor(new Color(255, 127, 14));
                g.setStroke(new BasicStroke(2f));
                int lastX = 80;
                int lastY = 240;
                for (int x = 0; x <= 490; x += 2) {
                    int y = 58 + (int) ((1 - (0.5 + 0.35 * Math.sin(x / 490.0 * 6 + f))) * 365);
                    g.drawLine(lastX, lastY, 80 + x, y);
                    lastX = 80 + x;
                    lastY = y;
                }
            } finally {
                g.dispose();
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            try {
                ImageIO.write(image, "png", png);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            figures.add(Base64.getEncoder().encodeToString(png.toByteArray()) + "\n");
        }
        return figures;
    }
}
