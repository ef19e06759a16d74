package io.quire.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Notebooks written into a server's root and read back, for the v1 session tests. */
final class TestNotebooks {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    TestNotebooks(Path root) {
        this.root = root;
    }

    /** A code cell with an id. */
    static ObjectNode code(String id, String source) {
        ObjectNode cell = JSON.createObjectNode();
        cell.put("cell_type", "code");
        cell.put("id", id);
        cell.putObject("metadata");
        cell.put("source", source);
        cell.putNull("execution_count");
        cell.putArray("outputs");
        return cell;
    }

    /** A markdown cell with an id. */
    static ObjectNode markdown(String id, String source) {
        ObjectNode cell = JSON.createObjectNode();
        cell.put("cell_type", "markdown");
        cell.put("id", id);
        cell.putObject("metadata");
        cell.put("source", source);
        return cell;
    }

    /** An nbformat 4.5 notebook for a kernel spec. */
    static ObjectNode notebook(String kernel, ObjectNode... cells) {
        ObjectNode nb = JSON.createObjectNode();
        nb.put("nbformat", 4);
        nb.put("nbformat_minor", 5);
        ObjectNode kernelspec = nb.putObject("metadata").putObject("kernelspec");
        kernelspec.put("name", kernel);
        kernelspec.put("display_name", kernel);
        kernelspec.put("language", "python");
        ArrayNode array = nb.putArray("cells");
        for (ObjectNode cell : cells) {
            array.add(cell);
        }
        return nb;
    }

    /** Writes a notebook under the root; returns its path. */
    String write(String path, JsonNode notebook) {
        try {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(notebook));
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The notebook on disk, or null while it cannot be read. */
    JsonNode read(String path) {
        try {
            return JSON.readTree(root.resolve(path).toFile());
        } catch (IOException e) {
            return null;
        }
    }

    /** The cell with an id in a notebook read from disk. */
    static JsonNode cell(JsonNode notebook, String id) {
        for (JsonNode cell : notebook.path("cells")) {
            if (id.equals(cell.path("id").asText())) {
                return cell;
            }
        }
        throw new AssertionError("no cell '" + id + "' in " + notebook);
    }

    /** The stdout text of a cell's outputs (nbformat JSON). */
    static String stdout(JsonNode cell) {
        StringBuilder text = new StringBuilder();
        cell.path("outputs").forEach(output -> {
            if ("stream".equals(output.path("output_type").asText())
                    && "stdout".equals(output.path("name").asText())) {
                JsonNode part = output.path("text");
                if (part.isArray()) {
                    part.forEach(line -> text.append(line.asText()));
                } else {
                    text.append(part.asText());
                }
            }
        });
        return text.toString();
    }
}
