package io.quire.notebook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes nbformat JSON.
 *
 * <p>Design: the JSON is parsed into a Jackson tree with exact decimals (so numbers in metadata are written back as
 * read), duplicate keys refused, and no limit on string length (multi-megabyte base64 images are ordinary). The tree
 * is then mapped onto records field by field; every field the model does not name goes to the record's
 * {@code extra}. Writing reverses the mapping and serialises the tree with {@link CanonicalJsonWriter} the way
 * nbformat does ({@code indent=1}, sorted keys, a trailing newline), so files Quire saves diff cleanly against files
 * Jupyter saved.
 */
final class NotebookCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(Integer.MAX_VALUE)
                            .maxNestingDepth(2_000)
                            .maxNumberLength(10_000)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                    .build())
            .nodeFactory(Json.FACTORY)
            // keep decimals exactly as written: 1.0 must stay a float, not become the integer 1
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Reads whole documents into the trees {@link #MAPPER} builds, faster for long strings. */
    private static final JsonTreeReader TREES = new JsonTreeReader(MAPPER.reader());

    /** Reads one value out of a document parsed piece by piece (the head read). */
    private static final com.fasterxml.jackson.databind.ObjectReader VALUE_READER = MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Set<String> NOTEBOOK_FIELDS = Set.of("nbformat", "nbformat_minor", "metadata", "cells");
    private static final Set<String> CODE_FIELDS =
            Set.of("id", "cell_type", "source", "metadata", "execution_count", "outputs");
    private static final Set<String> TEXT_CELL_FIELDS = Set.of("id", "cell_type", "source", "metadata", "attachments");
    private static final Set<String> STREAM_FIELDS = Set.of("output_type", "name", "text");
    private static final Set<String> DISPLAY_FIELDS = Set.of("output_type", "data", "metadata");
    private static final Set<String> RESULT_FIELDS = Set.of("output_type", "execution_count", "data", "metadata");
    private static final Set<String> ERROR_FIELDS = Set.of("output_type", "ename", "evalue", "traceback");

    private NotebookCodec() {
    }

    static Notebook read(byte[] bytes) {
        JsonNode root;
        try {
            root = TREES.readTree(bytes);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String where = location == null ? ""
                    : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            throw new NotebookFormatException("$", "not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            // the bytes are in memory: any I/O failure here is undecodable input (e.g. a truncated UTF-32 sequence)
            throw new NotebookFormatException("$", "not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new NotebookFormatException("$", "not a notebook: the file is empty");
        }
        return fromTree(root);
    }

    static Notebook fromTree(JsonNode root) {
        if (!root.isObject()) {
            throw new NotebookFormatException("$", "not a notebook: the top-level JSON value is "
                    + article(root.getNodeType().name().toLowerCase()) + ", not an object");
        }
        ObjectNode object = (ObjectNode) root;
        JsonNode major = object.get("nbformat");
        if (major == null) {
            throw new NotebookFormatException("$", "not a notebook: there is no 'nbformat' field");
        }
        if (!major.isIntegralNumber() || !major.canConvertToInt()) {
            throw new NotebookFormatException("$.nbformat", "must be an integer, got " + major);
        }
        int version = major.intValue();
        return switch (version) {
            case 4 -> readV4(object);
            case 3 -> readV4(V3Upgrade.upgrade(object));
            case 1, 2 -> throw new NotebookFormatException("$.nbformat", "nbformat " + version
                    + " notebooks are not supported; open the file in Jupyter, which upgrades it, and save it again");
            default -> throw new NotebookFormatException("$.nbformat", "nbformat " + version
                    + " is not a notebook format Quire knows (it reads 3 and 4.0 to 4.5)");
        };
    }

    private static Notebook readV4(ObjectNode root) {
        JsonNode minor = root.get("nbformat_minor");
        if (minor == null || !minor.isIntegralNumber() || !minor.canConvertToInt() || minor.intValue() < 0) {
            throw new NotebookFormatException("$.nbformat_minor",
                    minor == null ? "is missing" : "must be a non-negative integer, got " + minor);
        }
        ObjectNode metadata = optionalObject(root, "metadata", "$.metadata");
        JsonNode cellsNode = root.get("cells");
        if (cellsNode == null) {
            throw new NotebookFormatException("$", "not a notebook: there is no 'cells' list");
        }
        if (!cellsNode.isArray()) {
            throw new NotebookFormatException("$.cells", "must be a list, got " + typeOf(cellsNode));
        }
        List<Cell> cells = new ArrayList<>(cellsNode.size());
        int index = 0;
        for (JsonNode cell : cellsNode) {
            cells.add(readCell(cell, "$.cells[" + index++ + "]"));
        }
        return new Notebook(4, minor.intValue(), metadata, cells, extra(root, NOTEBOOK_FIELDS));
    }

    private static Cell readCell(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new NotebookFormatException(path, "a cell must be an object, got " + typeOf(node));
        }
        ObjectNode cell = (ObjectNode) node;
        String type = requiredText(cell, "cell_type", path);
        Optional<String> id = optionalText(cell, "id", path);
        return switch (type) {
            case "code" -> new CodeCell(id, text(required(cell, "source", path), path + ".source"),
                    optionalObject(cell, "metadata", path + ".metadata"),
                    executionCount(cell, path), readOutputs(cell, path), extra(cell, CODE_FIELDS));
            case "markdown" -> new MarkdownCell(id, text(required(cell, "source", path), path + ".source"),
                    optionalObject(cell, "metadata", path + ".metadata"), attachments(cell, path),
                    extra(cell, TEXT_CELL_FIELDS));
            case "raw" -> new RawCell(id, text(required(cell, "source", path), path + ".source"),
                    optionalObject(cell, "metadata", path + ".metadata"), attachments(cell, path),
                    extra(cell, TEXT_CELL_FIELDS));
            default -> new UnknownCell(cell);
        };
    }

    private static List<Output> readOutputs(ObjectNode cell, String path) {
        JsonNode outputs = cell.get("outputs");
        if (outputs == null || outputs.isNull()) {
            return List.of();
        }
        if (!outputs.isArray()) {
            throw new NotebookFormatException(path + ".outputs", "must be a list, got " + typeOf(outputs));
        }
        List<Output> result = new ArrayList<>(outputs.size());
        int index = 0;
        for (JsonNode output : outputs) {
            result.add(readOutput(output, path + ".outputs[" + index++ + "]"));
        }
        return result;
    }

    private static Output readOutput(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new NotebookFormatException(path, "an output must be an object, got " + typeOf(node));
        }
        ObjectNode output = (ObjectNode) node;
        String type = requiredText(output, "output_type", path);
        return switch (type) {
            case "stream" -> new StreamOutput(requiredText(output, "name", path),
                    text(required(output, "text", path), path + ".text"), extra(output, STREAM_FIELDS));
            case "display_data" -> new DisplayData(bundle(output, path),
                    optionalObject(output, "metadata", path + ".metadata"), extra(output, DISPLAY_FIELDS));
            case "execute_result" -> new ExecuteResult(executionCount(output, path), bundle(output, path),
                    optionalObject(output, "metadata", path + ".metadata"), extra(output, RESULT_FIELDS));
            case "error" -> new ErrorOutput(requiredText(output, "ename", path), requiredText(output, "evalue", path),
                    traceback(output, path), extra(output, ERROR_FIELDS));
            default -> new UnknownOutput(output);
        };
    }

    private static MimeBundle bundle(ObjectNode output, String path) {
        JsonNode data = required(output, "data", path);
        if (!data.isObject()) {
            throw new NotebookFormatException(path + ".data", "must be an object, got " + typeOf(data));
        }
        return MimeBundle.of((ObjectNode) data);
    }

    private static List<String> traceback(ObjectNode output, String path) {
        JsonNode traceback = required(output, "traceback", path);
        if (!traceback.isArray()) {
            throw new NotebookFormatException(path + ".traceback", "must be a list of strings, got " + typeOf(traceback));
        }
        List<String> lines = new ArrayList<>(traceback.size());
        int index = 0;
        for (JsonNode line : traceback) {
            if (!line.isTextual()) {
                throw new NotebookFormatException(path + ".traceback[" + index + "]",
                        "must be a string, got " + typeOf(line));
            }
            lines.add(line.textValue());
            index++;
        }
        return lines;
    }

    private static Optional<Integer> executionCount(ObjectNode node, String path) {
        JsonNode count = node.get("execution_count");
        if (count == null || count.isNull()) {
            return Optional.empty();
        }
        if (!count.isIntegralNumber() || !count.canConvertToInt()) {
            throw new NotebookFormatException(path + ".execution_count", "must be an integer or null, got " + count);
        }
        return Optional.of(count.intValue());
    }

    private static Optional<ObjectNode> attachments(ObjectNode cell, String path) {
        JsonNode attachments = cell.get("attachments");
        if (attachments == null) {
            return Optional.empty();
        }
        if (!attachments.isObject()) {
            throw new NotebookFormatException(path + ".attachments", "must be an object, got " + typeOf(attachments));
        }
        return Optional.of((ObjectNode) attachments);
    }

    /** A multi-line text field: a string or a list of strings. */
    static MultilineText text(JsonNode node, String path) {
        if (node.isTextual()) {
            return MultilineText.single(node.textValue());
        }
        if (node.isArray()) {
            List<String> parts = new ArrayList<>(node.size());
            int index = 0;
            for (JsonNode part : node) {
                if (!part.isTextual()) {
                    throw new NotebookFormatException(path + "[" + index + "]", "must be a string, got " + typeOf(part));
                }
                parts.add(part.textValue());
                index++;
            }
            return new MultilineText(parts, true);
        }
        throw new NotebookFormatException(path, "must be a string or a list of strings, got " + typeOf(node));
    }

    static JsonNode textNode(MultilineText text) {
        if (!text.asList()) {
            return TextNode.valueOf(text.parts().getFirst());
        }
        ArrayNode array = Json.FACTORY.arrayNode(text.parts().size());
        text.parts().forEach(array::add);
        return array;
    }

    private static JsonNode required(ObjectNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw new NotebookFormatException(path, "the required field '" + field + "' is missing");
        }
        return value;
    }

    private static String requiredText(ObjectNode node, String field, String path) {
        JsonNode value = required(node, field, path);
        if (!value.isTextual()) {
            throw new NotebookFormatException(path + "." + field, "must be a string, got " + typeOf(value));
        }
        return value.textValue();
    }

    private static Optional<String> optionalText(ObjectNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new NotebookFormatException(path + "." + field, "must be a string, got " + typeOf(value));
        }
        return Optional.of(value.textValue());
    }

    private static ObjectNode optionalObject(ObjectNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null) {
            return Json.object();
        }
        if (!value.isObject()) {
            throw new NotebookFormatException(path, "must be an object, got " + typeOf(value));
        }
        return (ObjectNode) value;
    }

    private static ObjectNode extra(ObjectNode node, Set<String> known) {
        ObjectNode extra = Json.object();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!known.contains(field.getKey())) {
                extra.set(field.getKey(), field.getValue());
            }
        }
        return extra;
    }

    private static String typeOf(JsonNode node) {
        return article(node.getNodeType().name().toLowerCase());
    }

    private static String article(String type) {
        return switch (type) {
            case "array" -> "a list";
            case "object" -> "an object";
            case "null" -> "null";
            default -> "a " + type;
        };
    }

    // ---------------------------------------------------------------- writing

    static ObjectNode toTree(Notebook notebook) {
        ObjectNode root = Json.object();
        root.setAll(notebook.extra());
        root.put("nbformat", notebook.nbformat());
        root.put("nbformat_minor", notebook.nbformatMinor());
        root.set("metadata", notebook.metadata());
        ArrayNode cells = root.putArray("cells");
        for (Cell cell : notebook.cells()) {
            cells.add(cellTree(cell));
        }
        return root;
    }

    private static ObjectNode cellTree(Cell cell) {
        if (cell instanceof UnknownCell unknown) {
            return unknown.json();
        }
        ObjectNode node = Json.object();
        node.setAll(cell.extra());
        cell.id().ifPresent(id -> node.put("id", id));
        node.put("cell_type", cell.cellType());
        node.set("metadata", cell.metadata());
        node.set("source", textNode(cell.source()));
        switch (cell) {
            case CodeCell code -> {
                node.set("execution_count", count(code.executionCount()));
                ArrayNode outputs = node.putArray("outputs");
                code.outputs().forEach(output -> outputs.add(outputTree(output)));
            }
            case MarkdownCell markdown -> markdown.attachments().ifPresent(a -> node.set("attachments", a));
            case RawCell raw -> raw.attachments().ifPresent(a -> node.set("attachments", a));
            case UnknownCell ignored -> throw new IllegalStateException("handled above");
        }
        return node;
    }

    static ObjectNode outputTree(Output output) {
        if (output instanceof UnknownOutput unknown) {
            return unknown.json();
        }
        ObjectNode node = Json.object();
        node.setAll(output.extra());
        node.put("output_type", output.outputType());
        switch (output) {
            case StreamOutput stream -> {
                node.put("name", stream.name());
                node.set("text", textNode(stream.text()));
            }
            case DisplayData display -> {
                node.set("data", display.data().toJson());
                node.set("metadata", display.metadata());
            }
            case ExecuteResult result -> {
                node.set("execution_count", count(result.executionCount()));
                node.set("data", result.data().toJson());
                node.set("metadata", result.metadata());
            }
            case ErrorOutput error -> {
                node.put("ename", error.ename());
                node.put("evalue", error.evalue());
                ArrayNode traceback = node.putArray("traceback");
                error.traceback().forEach(traceback::add);
            }
            case UnknownOutput ignored -> throw new IllegalStateException("handled above");
        }
        return node;
    }

    private static JsonNode count(Optional<Integer> count) {
        return count.<JsonNode>map(Json.FACTORY::numberNode).orElse(NullNode.getInstance());
    }

    static void write(Notebook notebook, OutputStream out) {
        try {
            writer(notebook).writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] writeBytes(Notebook notebook) {
        return writer(notebook).toBytes();
    }

    static String writeString(Notebook notebook) {
        return new String(writeBytes(notebook), StandardCharsets.UTF_8);
    }

    private static CanonicalJsonWriter writer(Notebook notebook) {
        ObjectNode tree = toTree(notebook);
        long estimate = CanonicalJsonWriter.estimate(tree) + 1;
        CanonicalJsonWriter writer = new CanonicalJsonWriter((int) Math.min(estimate + estimate / 16, 1 << 30));
        writer.tree(tree);
        writer.finish();
        return writer;
    }

    /**
     * Reads the notebook's fields and its first {@code limit} cells; the other cells are skipped token by token
     * (strings are not decoded) and counted. Empty when the document is not an object with a {@code cells} array
     * and {@code nbformat} 4.
     */
    static Optional<NotebookHead> readHead(byte[] bytes, int limit) {
        try {
            return readHead(MAPPER.createParser(bytes), limit);
        } catch (IOException e) {
            throw new NotebookFormatException("$", "not valid JSON: " + e.getMessage(), e);
        }
    }

    /** {@link #readHead(byte[], int)} from a stream, which is read as far as the end of the notebook's object. */
    static Optional<NotebookHead> readHead(java.io.InputStream in, int limit) throws IOException {
        JsonParser parser;
        try {
            parser = MAPPER.createParser(in);
        } catch (JsonProcessingException e) {
            throw new NotebookFormatException("$", "not valid JSON: " + e.getOriginalMessage(), e);
        }
        return readHead(parser, limit);
    }

    private static Optional<NotebookHead> readHead(JsonParser source, int limit) throws IOException {
        ObjectNode root = Json.FACTORY.objectNode();
        int total = 0;
        boolean sawCells = false;
        try (JsonParser parser = source) {
            if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                com.fasterxml.jackson.core.JsonToken value = parser.nextToken();
                if (name.equals("cells") && value == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                    sawCells = true;
                    ArrayNode cells = root.putArray("cells");
                    while (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                        if (total < limit) {
                            cells.add((JsonNode) VALUE_READER.readTree(parser));
                        } else {
                            parser.skipChildren();
                        }
                        total++;
                    }
                } else {
                    root.set(name, (JsonNode) VALUE_READER.readTree(parser));
                }
            }
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String where = location == null ? ""
                    : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            throw new NotebookFormatException("$", "not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (java.io.CharConversionException e) {
            throw new NotebookFormatException("$", "not valid JSON: " + e.getMessage(), e);
        }
        if (!sawCells || root.path("nbformat").asInt(0) != 4) {
            return Optional.empty();
        }
        return Optional.of(new NotebookHead(Notebook.fromJson(root), total));
    }

    /** For tests: Jackson's reader with the settings notebooks are read with. */
    static com.fasterxml.jackson.databind.ObjectReader jacksonReader() {
        return MAPPER.reader();
    }

    /** For tests and tools: parse JSON with the same settings as notebooks. */
    static JsonNode parseTree(byte[] bytes) throws IOException {
        JsonParser parser = MAPPER.createParser(bytes);
        return MAPPER.readTree(parser);
    }
}
