package io.quire.desktop.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * What to show for an output: each nbformat output maps to one item by its type and richest MIME type this editor
 * renders. Consecutive stream outputs of one stream are joined (the server keeps each stream message as its own
 * output) so carriage returns work across them.
 */
public sealed interface OutputItem {

    /**
     * Text written to {@code stdout} or {@code stderr}, carriage returns applied, ANSI codes kept for styling.
     *
     * @param name the stream name
     * @param text the text
     */
    record Stream(String name, String text) implements OutputItem {
        /** Validates the fields. */
        public Stream {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * An error with its traceback (ANSI-coloured lines, as kernels send them).
     *
     * @param ename     the exception name
     * @param evalue    the exception message
     * @param traceback the traceback lines joined with newlines
     */
    record Error(String ename, String evalue, String traceback) implements OutputItem {
        /** Validates the fields. */
        public Error {
            Objects.requireNonNull(ename, "ename");
            Objects.requireNonNull(evalue, "evalue");
            Objects.requireNonNull(traceback, "traceback");
        }
    }

    /**
     * Plain text ({@code text/plain}, or another text form shown as text).
     *
     * @param text the text (may hold ANSI codes)
     */
    record Text(String text) implements OutputItem {
        /** Validates the fields. */
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A raster image: PNG, JPEG or GIF.
     *
     * @param mimeType {@code image/png}, {@code image/jpeg} or {@code image/gif}
     * @param bytes    the decoded image
     */
    record Image(String mimeType, byte[] bytes) implements OutputItem {
        /** Validates the fields. */
        public Image {
            Objects.requireNonNull(mimeType, "mimeType");
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Image image && image.mimeType.equals(mimeType)
                    && java.util.Arrays.equals(image.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return mimeType.hashCode() * 31 + java.util.Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Image[" + mimeType + ", " + bytes.length + " bytes]";
        }
    }

    /**
     * A plain table from {@code text/html}: a pandas DataFrame without custom styling, drawn natively.
     *
     * @param table the table
     */
    record Table(HtmlTable table) implements OutputItem {
        /** Validates the fields. */
        public Table {
            Objects.requireNonNull(table, "table");
        }
    }

    /**
     * Any other {@code text/html}: rendered by a browser engine (WebView) with scripts off.
     *
     * @param html the HTML fragment
     */
    record Html(String html) implements OutputItem {
        /** Validates the fields. */
        public Html {
            Objects.requireNonNull(html, "html");
        }
    }

    /**
     * An {@code image/svg+xml} document, rendered by a browser engine (WebView).
     *
     * @param svg the SVG source
     */
    record Svg(String svg) implements OutputItem {
        /** Validates the fields. */
        public Svg {
            Objects.requireNonNull(svg, "svg");
        }
    }

    /**
     * A {@code text/latex} formula (or several), typeset as images.
     *
     * @param formulas the formulas, delimiters removed (see {@link MathText#formulas})
     * @param source   the original text, shown when a formula cannot be typeset
     */
    record Latex(List<String> formulas, String source) implements OutputItem {
        /** Copies the formulas. */
        public Latex {
            formulas = List.copyOf(formulas);
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * Markdown ({@code text/markdown}).
     *
     * @param markdown the source
     */
    record Markdown(String markdown) implements OutputItem {
        /** Validates the fields. */
        public Markdown {
            Objects.requireNonNull(markdown, "markdown");
        }
    }

    /**
     * JSON ({@code application/json}, or a {@code +json} type when the bundle has no plain text), shown as a
     * collapsible tree.
     *
     * @param json the value
     */
    record Json(JsonNode json) implements OutputItem {
        /** Validates the fields. */
        public Json {
            Objects.requireNonNull(json, "json");
        }
    }

    /**
     * The items for a cell's outputs.
     *
     * @param outputs nbformat 4 outputs
     * @return the items, in order
     */
    static List<OutputItem> of(List<ObjectNode> outputs) {
        List<OutputItem> items = new ArrayList<>();
        StringBuilder stream = new StringBuilder();
        String streamName = "";
        for (ObjectNode output : outputs) {
            String type = output.path("output_type").asText();
            if (type.equals("stream")) {
                String name = output.path("name").asText("stdout");
                if (!name.equals(streamName) && !stream.isEmpty()) {
                    items.add(new Stream(streamName, StreamText.applyCarriageReturns(stream.toString())));
                    stream.setLength(0);
                }
                streamName = name;
                stream.append(text(output.path("text")));
                continue;
            }
            if (!stream.isEmpty()) {
                items.add(new Stream(streamName, StreamText.applyCarriageReturns(stream.toString())));
                stream.setLength(0);
                streamName = "";
            }
            switch (type) {
                case "error" -> {
                    List<String> lines = new ArrayList<>();
                    output.path("traceback").forEach(line -> lines.add(line.asText()));
                    items.add(new Error(output.path("ename").asText(), output.path("evalue").asText(),
                            String.join("\n", lines)));
                }
                case "execute_result", "display_data" -> items.add(rich(output.path("data")));
                default -> items.add(new Text("[output of type " + type + "]"));
            }
        }
        if (!stream.isEmpty()) {
            items.add(new Stream(streamName, StreamText.applyCarriageReturns(stream.toString())));
        }
        return List.copyOf(items);
    }

    /**
     * The richest rendering of a MIME bundle, in JupyterLab's order of preference: HTML (a plain pandas table natively,
     * other HTML in a browser engine), markdown, LaTeX, SVG, PNG, JPEG, GIF, JSON, then plain text.
     *
     * @param data the MIME bundle
     * @return the item
     */
    static OutputItem rich(JsonNode data) {
        if (data.has("text/html")) {
            String html = text(data.get("text/html"));
            if (HtmlTable.isPlainTable(html)) {
                var table = HtmlTable.parse(html);
                if (table.isPresent()) {
                    return new Table(table.get());
                }
            }
            return new Html(html);
        }
        if (data.has("text/markdown")) {
            return new Markdown(text(data.get("text/markdown")));
        }
        if (data.has("text/latex")) {
            String latex = text(data.get("text/latex"));
            List<String> formulas = MathText.formulas(latex);
            if (!formulas.isEmpty()) {
                return new Latex(formulas, latex);
            }
            if (!data.has("text/plain")) {
                return new Text(latex);
            }
        }
        if (data.has("image/svg+xml")) {
            return new Svg(text(data.get("image/svg+xml")));
        }
        for (String image : List.of("image/png", "image/jpeg", "image/gif")) {
            if (data.has(image)) {
                try {
                    String base64 = text(data.get(image)).replaceAll("\\s", "");
                    return new Image(image, Base64.getDecoder().decode(base64));
                } catch (IllegalArgumentException e) {
                    return new Text("[" + image + " that is not base64: " + e.getMessage() + "]");
                }
            }
        }
        if (data.has("application/json")) {
            return new Json(data.get("application/json"));
        }
        if (data.has("text/plain")) {
            return new Text(text(data.get("text/plain")));
        }
        var names = data.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (name.endsWith("+json")) {
                return new Json(data.get(name));
            }
        }
        List<String> types = new ArrayList<>();
        data.fieldNames().forEachRemaining(types::add);
        return new Text("[no renderer for " + String.join(", ", types) + "]");
    }

    private static String text(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue();
        }
        StringBuilder text = new StringBuilder();
        node.forEach(part -> text.append(part.asText()));
        return text.toString();
    }
}
