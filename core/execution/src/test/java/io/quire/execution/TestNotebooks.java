package io.quire.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.notebook.Notebook;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds notebooks for runner tests as nbformat JSON, and reads results back as JSON. */
final class TestNotebooks {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final AtomicInteger IDS = new AtomicInteger();

    private TestNotebooks() {
    }

    /** A code cell with an id, no outputs, and the given tags. */
    static ObjectNode code(String source, String... tags) {
        ObjectNode cell = cell("code", source, tags);
        cell.putNull("execution_count");
        cell.putArray("outputs");
        return cell;
    }

    /** A markdown cell with an id. */
    static ObjectNode markdown(String source, String... tags) {
        return cell("markdown", source, tags);
    }

    private static ObjectNode cell(String type, String source, String... tags) {
        ObjectNode cell = JSON.objectNode();
        cell.put("cell_type", type);
        cell.put("id", "cell-" + IDS.incrementAndGet());
        ObjectNode metadata = cell.putObject("metadata");
        if (tags.length > 0) {
            ArrayNode array = metadata.putArray("tags");
            for (String tag : tags) {
                array.add(tag);
            }
        }
        cell.put("source", source);
        return cell;
    }

    /** An nbformat 4.5 notebook for the given kernel (language python). */
    static Notebook notebook(String kernelName, ObjectNode... cells) {
        return notebook(kernelName, 5, cells);
    }

    /** A notebook of the given minor version; below 5 the cells' ids are dropped, as such files have none. */
    static Notebook notebook(String kernelName, int minor, ObjectNode... cells) {
        ObjectNode nb = JSON.objectNode();
        nb.put("nbformat", 4);
        nb.put("nbformat_minor", minor);
        ObjectNode kernelspec = nb.putObject("metadata").putObject("kernelspec");
        kernelspec.put("name", kernelName);
        kernelspec.put("display_name", kernelName);
        kernelspec.put("language", "python");
        ArrayNode array = nb.putArray("cells");
        for (ObjectNode cell : cells) {
            ObjectNode copy = cell.deepCopy();
            if (minor < 5) {
                copy.remove("id");
            }
            array.add(copy);
        }
        return Notebook.fromJson(nb);
    }

    /** The cells of a notebook as JSON. */
    static List<JsonNode> cells(Notebook notebook) {
        List<JsonNode> cells = new ArrayList<>();
        notebook.toJson().path("cells").forEach(cells::add);
        return cells;
    }

    /** A multi-line text field (string or list of strings) as one string. */
    static String text(JsonNode node) {
        if (node.isArray()) {
            StringBuilder text = new StringBuilder();
            node.forEach(part -> text.append(part.asText()));
            return text.toString();
        }
        return node.asText();
    }

    /** The {@code output_type}s of a cell's outputs, in order. */
    static List<String> outputTypes(JsonNode cell) {
        List<String> types = new ArrayList<>();
        cell.path("outputs").forEach(output -> types.add(output.path("output_type").asText()));
        return types;
    }

    /** Whether a cell carries a tag. */
    static boolean hasTag(JsonNode cell, String tag) {
        for (JsonNode node : cell.path("metadata").path("tags")) {
            if (node.asText().equals(tag)) {
                return true;
            }
        }
        return false;
    }
}
