package io.quire.collab;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.notebook.Cell;
import io.quire.notebook.CodeCell;
import io.quire.notebook.Notebook;
import io.quire.notebook.NotebookFormatException;
import io.quire.notebook.Output;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Reads and writes deltas as JSON, the form clients send and the log stores.
 *
 * <p>Every delta is one object with {@code type}, {@code delta_id} (UUID), {@code file_id} (UUID), {@code author}
 * and {@code base_seq}, plus the fields of its type:
 *
 * <pre>
 * insert_cell           index, cell (an nbformat 4.5 cell object with an id)
 * delete_cell           cell_id
 * move_cell             cell_id, new_index
 * edit_source           cell_id, ops: [5, "text", -3]  (retain 5, insert "text", delete 3; UTF-16 code units)
 * set_cell_type         cell_id, cell_type: code | markdown | raw
 * set_cell_metadata     cell_id, path: ["jupyter", "source_hidden"], value (absent: remove the key)
 * set_notebook_metadata path, value (absent: remove the key)
 * append_outputs        cell_id, outputs (nbformat output objects, at least one)
 * replace_outputs       cell_id, outputs, execution_count (optional)
 * clear_outputs         cell_id
 * execute               target: cells (with cell_ids) | all | above (with cell_id) | below (with cell_id)
 * </pre>
 *
 * <p>Reading is strict: an unknown type or field, a missing field, a value of the wrong kind, a duplicate key or a
 * malformed cell or output is refused with a {@link DeltaFormatException} naming the JSON path.
 */
public final class DeltaCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> COMMON = Set.of("type", "delta_id", "file_id", "author", "base_seq");
    private static final Map<String, Set<String>> FIELDS = Map.ofEntries(
            Map.entry("insert_cell", Set.of("index", "cell")),
            Map.entry("delete_cell", Set.of("cell_id")),
            Map.entry("move_cell", Set.of("cell_id", "new_index")),
            Map.entry("edit_source", Set.of("cell_id", "ops")),
            Map.entry("set_cell_type", Set.of("cell_id", "cell_type")),
            Map.entry("set_cell_metadata", Set.of("cell_id", "path", "value")),
            Map.entry("set_notebook_metadata", Set.of("path", "value")),
            Map.entry("append_outputs", Set.of("cell_id", "outputs")),
            Map.entry("replace_outputs", Set.of("cell_id", "outputs", "execution_count")),
            Map.entry("clear_outputs", Set.of("cell_id")),
            Map.entry("execute", Set.of("target", "cell_ids", "cell_id")));

    private DeltaCodec() {
    }

    /**
     * Reads a delta from JSON text.
     *
     * @param json the text
     * @return the delta
     * @throws DeltaFormatException if the text is not a valid delta
     */
    public static Delta read(String json) {
        Objects.requireNonNull(json, "json");
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new DeltaFormatException("$", "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new DeltaFormatException("$", "empty input, expected a delta object");
        }
        return fromJson(tree);
    }

    /**
     * Reads a delta from a JSON tree.
     *
     * @param json the tree
     * @return the delta
     * @throws DeltaFormatException if the tree is not a valid delta
     */
    public static Delta fromJson(JsonNode json) {
        Objects.requireNonNull(json, "json");
        if (!(json instanceof ObjectNode object)) {
            throw new DeltaFormatException("$", "a delta must be a JSON object, got " + kind(json));
        }
        String type = text(object, "type");
        Set<String> fields = FIELDS.get(type);
        if (fields == null) {
            throw new DeltaFormatException("$.type", "unknown delta type '" + type + "'; known types: "
                    + new TreeSet<>(FIELDS.keySet()));
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!COMMON.contains(name) && !fields.contains(name)) {
                throw new DeltaFormatException("$." + name, "unknown field for a " + type + " delta; allowed: "
                        + new TreeSet<>(fields));
            }
        }
        DeltaHeader header = header(object);
        try {
            return switch (type) {
                case "insert_cell" -> new Delta.InsertCell(header, integer(object, "index"), cell(object));
                case "delete_cell" -> new Delta.DeleteCell(header, cellId(object, "cell_id"));
                case "move_cell" -> new Delta.MoveCell(header, cellId(object, "cell_id"),
                        integer(object, "new_index"));
                case "edit_source" -> new Delta.EditSource(header, cellId(object, "cell_id"), ops(object));
                case "set_cell_type" -> new Delta.SetCellType(header, cellId(object, "cell_id"),
                        text(object, "cell_type"));
                case "set_cell_metadata" -> new Delta.SetCellMetadata(header, cellId(object, "cell_id"),
                        path(object), Optional.ofNullable(object.get("value")));
                case "set_notebook_metadata" -> new Delta.SetNotebookMetadata(header, path(object),
                        Optional.ofNullable(object.get("value")));
                case "append_outputs" -> new Delta.AppendOutputs(header, cellId(object, "cell_id"),
                        outputs(object));
                case "replace_outputs" -> new Delta.ReplaceOutputs(header, cellId(object, "cell_id"),
                        outputs(object), optionalInteger(object, "execution_count"));
                case "clear_outputs" -> new Delta.ClearOutputs(header, cellId(object, "cell_id"));
                case "execute" -> new Delta.ExecuteRequest(header, target(object));
                default -> throw new IllegalStateException("type checked above: " + type);
            };
        } catch (IllegalArgumentException e) {
            throw new DeltaFormatException("$", "invalid " + type + " delta: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a delta as compact JSON text.
     *
     * @param delta the delta
     * @return the JSON text
     */
    public static String write(Delta delta) {
        try {
            return MAPPER.writeValueAsString(toJson(delta));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /**
     * Writes a delta as a JSON tree.
     *
     * @param delta the delta
     * @return a new tree
     */
    public static ObjectNode toJson(Delta delta) {
        ObjectNode json = NODES.objectNode();
        DeltaHeader header = delta.header();
        json.put("type", typeOf(delta));
        json.put("delta_id", header.deltaId().toString());
        json.put("file_id", header.fileId().toString());
        json.put("author", header.author());
        json.put("base_seq", header.baseSeq());
        switch (delta) {
            case Delta.InsertCell insert -> {
                json.put("index", insert.index());
                json.set("cell", cellJson(insert.cell()));
            }
            case Delta.DeleteCell delete -> json.put("cell_id", delete.cellId());
            case Delta.MoveCell move -> {
                json.put("cell_id", move.cellId());
                json.put("new_index", move.newIndex());
            }
            case Delta.EditSource edit -> {
                json.put("cell_id", edit.cellId());
                ArrayNode ops = json.putArray("ops");
                for (TextOperation.Component component : edit.operation().components()) {
                    switch (component) {
                        case TextOperation.Retain retain -> ops.add(retain.count());
                        case TextOperation.Delete del -> ops.add(-del.count());
                        case TextOperation.Insert insert -> ops.add(insert.text());
                    }
                }
            }
            case Delta.SetCellType type -> {
                json.put("cell_id", type.cellId());
                json.put("cell_type", type.cellType());
            }
            case Delta.SetCellMetadata set -> {
                json.put("cell_id", set.cellId());
                set.path().forEach(json.putArray("path")::add);
                set.value().ifPresent(value -> json.set("value", value));
            }
            case Delta.SetNotebookMetadata set -> {
                set.path().forEach(json.putArray("path")::add);
                set.value().ifPresent(value -> json.set("value", value));
            }
            case Delta.AppendOutputs append -> {
                json.put("cell_id", append.cellId());
                append.outputs().forEach(output -> json.withArray("outputs").add(output.toJson()));
            }
            case Delta.ReplaceOutputs replace -> {
                json.put("cell_id", replace.cellId());
                ArrayNode outputs = json.putArray("outputs");
                replace.outputs().forEach(output -> outputs.add(output.toJson()));
                replace.executionCount().ifPresent(count -> json.put("execution_count", count));
            }
            case Delta.ClearOutputs clear -> json.put("cell_id", clear.cellId());
            case Delta.ExecuteRequest execute -> {
                switch (execute.target()) {
                    case ExecuteTarget.Cells cells -> {
                        json.put("target", "cells");
                        cells.cellIds().forEach(json.putArray("cell_ids")::add);
                    }
                    case ExecuteTarget.All ignored -> json.put("target", "all");
                    case ExecuteTarget.Above above -> {
                        json.put("target", "above");
                        json.put("cell_id", above.cellId());
                    }
                    case ExecuteTarget.Below below -> {
                        json.put("target", "below");
                        json.put("cell_id", below.cellId());
                    }
                }
            }
        }
        return json;
    }

    /**
     * The wire name of a delta's type, such as {@code edit_source}.
     *
     * @param delta the delta
     * @return its type name
     */
    public static String typeOf(Delta delta) {
        return switch (delta) {
            case Delta.InsertCell ignored -> "insert_cell";
            case Delta.DeleteCell ignored -> "delete_cell";
            case Delta.MoveCell ignored -> "move_cell";
            case Delta.EditSource ignored -> "edit_source";
            case Delta.SetCellType ignored -> "set_cell_type";
            case Delta.SetCellMetadata ignored -> "set_cell_metadata";
            case Delta.SetNotebookMetadata ignored -> "set_notebook_metadata";
            case Delta.AppendOutputs ignored -> "append_outputs";
            case Delta.ReplaceOutputs ignored -> "replace_outputs";
            case Delta.ClearOutputs ignored -> "clear_outputs";
            case Delta.ExecuteRequest ignored -> "execute";
        };
    }

    // ------------------------------------------------------------------------------------------------- reading

    private static DeltaHeader header(ObjectNode object) {
        UUID deltaId = uuid(object, "delta_id");
        UUID fileId = uuid(object, "file_id");
        String author = text(object, "author");
        JsonNode base = required(object, "base_seq");
        if (!base.isIntegralNumber() || !base.canConvertToLong() || base.longValue() < 0) {
            throw new DeltaFormatException("$.base_seq", "must be a non-negative integer, got " + base);
        }
        try {
            return new DeltaHeader(deltaId, fileId, author, base.longValue());
        } catch (IllegalArgumentException e) {
            throw new DeltaFormatException("$.author", e.getMessage(), e);
        }
    }

    private static JsonNode required(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null) {
            throw new DeltaFormatException("$." + field, "is missing");
        }
        return node;
    }

    private static String text(ObjectNode object, String field) {
        JsonNode node = required(object, field);
        if (!node.isTextual()) {
            throw new DeltaFormatException("$." + field, "must be a string, got " + kind(node));
        }
        return node.textValue();
    }

    private static String cellId(ObjectNode object, String field) {
        String id = text(object, field);
        try {
            return Delta.requireCellId(id);
        } catch (IllegalArgumentException e) {
            throw new DeltaFormatException("$." + field, e.getMessage(), e);
        }
    }

    private static UUID uuid(ObjectNode object, String field) {
        String text = text(object, field);
        try {
            UUID uuid = UUID.fromString(text);
            if (!uuid.toString().equalsIgnoreCase(text)) {
                throw new IllegalArgumentException("not in canonical form");
            }
            return uuid;
        } catch (IllegalArgumentException e) {
            throw new DeltaFormatException("$." + field, "must be a UUID, got '" + text + "'", e);
        }
    }

    private static int integer(ObjectNode object, String field) {
        JsonNode node = required(object, field);
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
            throw new DeltaFormatException("$." + field, "must be a non-negative integer, got " + node);
        }
        return node.intValue();
    }

    private static Optional<Integer> optionalInteger(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        return Optional.of(integer(object, field));
    }

    private static TextOperation ops(ObjectNode object) {
        JsonNode ops = required(object, "ops");
        if (!ops.isArray()) {
            throw new DeltaFormatException("$.ops", "must be a list, got " + kind(ops));
        }
        TextOperation.Builder builder = TextOperation.builder();
        for (int i = 0; i < ops.size(); i++) {
            JsonNode op = ops.get(i);
            String path = "$.ops[" + i + "]";
            if (op.isTextual()) {
                if (op.textValue().isEmpty()) {
                    throw new DeltaFormatException(path, "an insert must not be empty");
                }
                builder.insert(op.textValue());
            } else if (op.isIntegralNumber() && op.canConvertToInt() && op.intValue() != 0
                    && op.intValue() != Integer.MIN_VALUE) {
                int n = op.intValue();
                if (n > 0) {
                    builder.retain(n);
                } else {
                    builder.delete(-n);
                }
            } else {
                throw new DeltaFormatException(path, "must be a non-zero integer (positive: retain, negative: "
                        + "delete) or a non-empty string (insert), got " + op);
            }
        }
        return builder.build();
    }

    private static List<String> path(ObjectNode object) {
        JsonNode path = required(object, "path");
        if (!path.isArray() || path.isEmpty()) {
            throw new DeltaFormatException("$.path", "must be a non-empty list of keys, got " + path);
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < path.size(); i++) {
            JsonNode key = path.get(i);
            if (!key.isTextual() || key.textValue().isEmpty()) {
                throw new DeltaFormatException("$.path[" + i + "]", "must be a non-empty string, got " + key);
            }
            keys.add(key.textValue());
        }
        return keys;
    }

    private static Cell cell(ObjectNode object) {
        JsonNode cell = required(object, "cell");
        if (!cell.isObject()) {
            throw new DeltaFormatException("$.cell", "must be an nbformat cell object, got " + kind(cell));
        }
        if (!cell.path("id").isTextual()) {
            throw new DeltaFormatException("$.cell.id", "an inserted cell needs a string id");
        }
        return wrap(cell.deepCopy(), "$.cell").getFirst();
    }

    private static List<Output> outputs(ObjectNode object) {
        JsonNode outputs = required(object, "outputs");
        if (!outputs.isArray()) {
            throw new DeltaFormatException("$.outputs", "must be a list of nbformat outputs, got " + kind(outputs));
        }
        ObjectNode holder = NODES.objectNode();
        holder.put("id", "holder");
        holder.put("cell_type", "code");
        holder.put("source", "");
        holder.putObject("metadata");
        holder.putNull("execution_count");
        holder.set("outputs", outputs.deepCopy());
        return ((CodeCell) wrap(holder, "$").getFirst()).outputs();
    }

    /** Reads cell JSON through the notebook codec, so cells and outputs are checked exactly as in files. */
    private static List<Cell> wrap(ObjectNode cell, String path) {
        ObjectNode notebook = NODES.objectNode();
        notebook.put("nbformat", 4);
        notebook.put("nbformat_minor", Notebook.CURRENT_MINOR);
        notebook.putObject("metadata");
        notebook.putArray("cells").add(cell);
        try {
            return Notebook.fromJson(notebook).cells();
        } catch (NotebookFormatException e) {
            throw new DeltaFormatException(path, e.getMessage().replace("$.cells[0]", path), e);
        }
    }

    private static ExecuteTarget target(ObjectNode object) {
        String target = text(object, "target");
        boolean named = target.equals("cells");
        boolean anchored = target.equals("above") || target.equals("below");
        if (!named && object.has("cell_ids")) {
            throw new DeltaFormatException("$.cell_ids", "only a target of 'cells' takes cell_ids");
        }
        if (!anchored && object.has("cell_id")) {
            throw new DeltaFormatException("$.cell_id", "only a target of 'above' or 'below' takes a cell_id");
        }
        return switch (target) {
            case "cells" -> {
                JsonNode ids = required(object, "cell_ids");
                if (!ids.isArray() || ids.isEmpty()) {
                    throw new DeltaFormatException("$.cell_ids", "must be a non-empty list of cell ids, got " + ids);
                }
                List<String> list = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    JsonNode id = ids.get(i);
                    if (!id.isTextual()) {
                        throw new DeltaFormatException("$.cell_ids[" + i + "]", "must be a string, got " + kind(id));
                    }
                    list.add(id.textValue());
                }
                yield new ExecuteTarget.Cells(list);
            }
            case "all" -> new ExecuteTarget.All();
            case "above" -> new ExecuteTarget.Above(cellId(object, "cell_id"));
            case "below" -> new ExecuteTarget.Below(cellId(object, "cell_id"));
            default -> throw new DeltaFormatException("$.target", "unknown execute target '" + target
                    + "'; known: all, above, below, cells");
        };
    }

    private static ObjectNode cellJson(Cell cell) {
        return (ObjectNode) Notebook.empty().withCells(List.of(cell)).toJson().get("cells").get(0);
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "a list";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase();
        };
    }
}
