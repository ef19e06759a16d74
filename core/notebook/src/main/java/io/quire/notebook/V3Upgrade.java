package io.quire.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Upgrades an nbformat 3 notebook tree to nbformat 4.5, with the same result as nbformat's own v3-to-v4 conversion:
 * worksheets flattened into one cell list, heading cells become markdown headings, {@code input}/{@code prompt_number}
 * become {@code source}/{@code execution_count}, {@code pyout}/{@code pyerr} become {@code execute_result}/{@code
 * error}, v3 MIME aliases ({@code png}, {@code html}, ...) become MIME types, and each cell gets a new random id.
 * The original version is recorded in {@code metadata.orig_nbformat}.
 */
final class V3Upgrade {
    private static final Map<String, String> MIME_ALIASES = Map.of(
            "text", "text/plain",
            "html", "text/html",
            "svg", "image/svg+xml",
            "png", "image/png",
            "jpeg", "image/jpeg",
            "latex", "text/latex",
            "json", "application/json",
            "javascript", "application/javascript");

    private V3Upgrade() {
    }

    static ObjectNode upgrade(ObjectNode v3) {
        ObjectNode nb = v3.deepCopy();
        ObjectNode metadata = nb.get("metadata") instanceof ObjectNode m ? m : nb.putObject("metadata");
        JsonNode origMajor = nb.remove("orig_nbformat");
        JsonNode origMinor = nb.remove("orig_nbformat_minor");
        metadata.set("orig_nbformat", truthy(origMajor) ? origMajor : Json.FACTORY.numberNode(3));
        metadata.set("orig_nbformat_minor", truthy(origMinor) ? origMinor : Json.FACTORY.numberNode(0));
        nb.put("nbformat", 4);
        nb.put("nbformat_minor", Notebook.CURRENT_MINOR);
        ArrayNode cells = Json.FACTORY.arrayNode();
        JsonNode worksheets = nb.remove("worksheets");
        if (worksheets != null && !worksheets.isArray()) {
            throw new NotebookFormatException("$.worksheets", "must be a list in an nbformat 3 notebook");
        }
        int ws = 0;
        for (JsonNode worksheet : worksheets == null ? List.<JsonNode>of() : worksheets) {
            int index = 0;
            for (JsonNode cell : worksheet.path("cells")) {
                String path = "$.worksheets[" + ws + "].cells[" + index++ + "]";
                if (!(cell instanceof ObjectNode object)) {
                    throw new NotebookFormatException(path, "a cell must be an object");
                }
                cells.add(upgradeCell(object, path));
            }
            ws++;
        }
        nb.set("cells", cells);
        metadata.remove("name");
        metadata.remove("signature");
        return nb;
    }

    private static ObjectNode upgradeCell(ObjectNode cell, String path) {
        if (!(cell.get("metadata") instanceof ObjectNode)) {
            cell.putObject("metadata");
        }
        cell.put("id", UUID.randomUUID().toString().replace("-", "").substring(0, 8));
        String type = cell.path("cell_type").asText("");
        switch (type) {
            case "code" -> {
                cell.remove("language");
                if (cell.has("collapsed")) {
                    ((ObjectNode) cell.get("metadata")).set("collapsed", cell.remove("collapsed"));
                }
                JsonNode input = cell.remove("input");
                cell.set("source", input == null ? Json.FACTORY.textNode("") : input);
                JsonNode prompt = cell.remove("prompt_number");
                cell.set("execution_count", prompt == null ? Json.FACTORY.nullNode() : prompt);
                ArrayNode outputs = Json.FACTORY.arrayNode();
                int index = 0;
                for (JsonNode output : cell.path("outputs")) {
                    if (!(output instanceof ObjectNode object)) {
                        throw new NotebookFormatException(path + ".outputs[" + index + "]", "an output must be an object");
                    }
                    outputs.add(upgradeOutput(object, path + ".outputs[" + index + "]"));
                    index++;
                }
                cell.set("outputs", outputs);
            }
            case "heading" -> {
                cell.put("cell_type", "markdown");
                JsonNode level = cell.remove("level");
                if (level != null && !(level.isIntegralNumber() && level.canConvertToInt()
                        && level.intValue() >= 1 && level.intValue() <= 6)) {
                    throw new NotebookFormatException(path + ".level", "a heading level must be an integer from 1 to 6, got "
                            + level);
                }
                int hashes = level == null ? 1 : level.intValue();
                String source = cell.has("source") ? NotebookCodec.text(cell.get("source"), path + ".source").text() : "";
                cell.put("source", "#".repeat(hashes) + " " + String.join(" ", pythonSplitLines(source)));
            }
            case "html" -> cell.put("cell_type", "markdown");
            default -> {
                // markdown and raw cells keep their fields
            }
        }
        return cell;
    }

    private static ObjectNode upgradeOutput(ObjectNode output, String path) {
        String type = output.path("output_type").asText("");
        switch (type) {
            case "pyout", "display_data" -> {
                if (!(output.get("metadata") instanceof ObjectNode)) {
                    output.putObject("metadata");
                }
                if (type.equals("pyout")) {
                    output.put("output_type", "execute_result");
                    JsonNode prompt = output.remove("prompt_number");
                    output.set("execution_count", prompt == null ? Json.FACTORY.nullNode() : prompt);
                }
                ObjectNode data = Json.object();
                List<String> keys = new ArrayList<>();
                output.fieldNames().forEachRemaining(keys::add);
                for (String key : keys) {
                    if (!key.equals("output_type") && !key.equals("execution_count") && !key.equals("metadata")) {
                        data.set(MIME_ALIASES.getOrDefault(key, key), output.remove(key));
                    }
                }
                ObjectNode metadata = (ObjectNode) output.get("metadata");
                List<String> metaKeys = new ArrayList<>();
                metadata.fieldNames().forEachRemaining(metaKeys::add);
                for (String key : metaKeys) {
                    if (MIME_ALIASES.containsKey(key)) {
                        metadata.set(MIME_ALIASES.get(key), metadata.remove(key));
                    }
                }
                JsonNode json = data.get("application/json");
                if (json != null && (json.isTextual() || json.isArray())) {
                    String text = NotebookCodec.text(json, path + ".json").text();
                    try {
                        data.set("application/json", NotebookCodec.parseTree(text.getBytes(StandardCharsets.UTF_8)));
                    } catch (IOException e) {
                        throw new NotebookFormatException(path + ".json", "is not valid JSON: " + e.getMessage(), e);
                    }
                }
                output.set("data", data);
            }
            case "pyerr" -> output.put("output_type", "error");
            case "stream" -> {
                JsonNode stream = output.remove("stream");
                output.set("name", stream == null ? Json.FACTORY.textNode("stdout") : stream);
            }
            default -> {
                // unknown output types are kept as they are
            }
        }
        return output;
    }

    /** Python's {@code str.splitlines()}: breaks at every line boundary Python knows, no trailing empty line. */
    private static List<String> pythonSplitLines(String text) {
        List<String> lines = new ArrayList<>(List.of(
                text.split("\r\n|[\n\r\u000B\u000C\u001C\u001D\u001E\u0085\u2028\u2029]", -1)));
        if (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        return lines;
    }

    private static boolean truthy(JsonNode node) {
        return node != null && !node.isNull() && !(node.isNumber() && node.intValue() == 0);
    }
}
