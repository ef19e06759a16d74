package io.quire.desktop.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns the IOPub messages of one execution into nbformat 4 outputs, as JupyterLab does: consecutive stream messages
 * of the same stream join into one output, {@code clear_output(wait=True)} clears when the next output arrives,
 * {@code update_display_data} replaces the outputs with the same {@code transient.display_id}. Used for runs over the
 * kernel channels (docs/decisions/0024), where the editor, not the server, owns the outputs. Not thread-safe.
 */
final class ChannelOutputs {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final List<ObjectNode> outputs = new ArrayList<>();
    private boolean clearOnNext;

    /**
     * Applies an IOPub message.
     *
     * @param msgType the message type
     * @param content its content
     * @return true when the outputs changed
     */
    boolean apply(String msgType, ObjectNode content) {
        Objects.requireNonNull(content, "content");
        return switch (msgType) {
            case "stream" -> {
                clearIfWaiting();
                String name = content.path("name").asText("stdout");
                String text = content.path("text").asText("");
                if (!outputs.isEmpty() && "stream".equals(outputs.getLast().path("output_type").asText())
                        && name.equals(outputs.getLast().path("name").asText())) {
                    ObjectNode last = outputs.getLast().deepCopy();
                    last.put("text", CellViewModel.text(last.path("text")) + text);
                    outputs.set(outputs.size() - 1, last);
                } else {
                    ObjectNode output = NODES.objectNode();
                    output.put("output_type", "stream");
                    output.put("name", name);
                    output.put("text", text);
                    outputs.add(output);
                }
                yield true;
            }
            case "display_data", "execute_result" -> {
                clearIfWaiting();
                ObjectNode output = NODES.objectNode();
                output.put("output_type", msgType);
                output.set("data", content.path("data").isObject() ? content.get("data") : NODES.objectNode());
                output.set("metadata", content.path("metadata").isObject() ? content.get("metadata")
                        : NODES.objectNode());
                if ("execute_result".equals(msgType)) {
                    JsonNode count = content.path("execution_count");
                    output.set("execution_count", count.isInt() ? count : NODES.nullNode());
                }
                String displayId = content.path("transient").path("display_id").asText("");
                if (!displayId.isEmpty()) {
                    // kept out of the saved JSON by strip(); needed to find the output again
                    output.putObject("transient").put("display_id", displayId);
                }
                outputs.add(output);
                yield true;
            }
            case "update_display_data" -> {
                String displayId = content.path("transient").path("display_id").asText("");
                boolean changed = false;
                for (int i = 0; i < outputs.size(); i++) {
                    if (!displayId.isEmpty()
                            && displayId.equals(outputs.get(i).path("transient").path("display_id").asText())) {
                        ObjectNode updated = outputs.get(i).deepCopy();
                        updated.set("data", content.path("data"));
                        updated.set("metadata", content.path("metadata").isObject() ? content.get("metadata")
                                : NODES.objectNode());
                        outputs.set(i, updated);
                        changed = true;
                    }
                }
                yield changed;
            }
            case "error" -> {
                clearIfWaiting();
                ObjectNode output = NODES.objectNode();
                output.put("output_type", "error");
                output.put("ename", content.path("ename").asText(""));
                output.put("evalue", content.path("evalue").asText(""));
                output.set("traceback", content.path("traceback").isArray() ? content.get("traceback")
                        : NODES.arrayNode());
                outputs.add(output);
                yield true;
            }
            case "clear_output" -> {
                if (content.path("wait").asBoolean(false)) {
                    clearOnNext = true;
                    yield false;
                }
                clearOnNext = false;
                boolean had = !outputs.isEmpty();
                outputs.clear();
                yield had;
            }
            default -> false;
        };
    }

    /**
     * Adds an output made by the editor itself (the echo of an answered {@code input()} prompt).
     *
     * @param name the stream
     * @param text the text
     */
    void appendStream(String name, String text) {
        ObjectNode content = NODES.objectNode();
        content.put("name", name);
        content.put("text", text);
        apply("stream", content);
    }

    private void clearIfWaiting() {
        if (clearOnNext) {
            outputs.clear();
            clearOnNext = false;
        }
    }

    /**
     * The outputs so far, as nbformat 4 JSON (without the {@code transient} fields nbformat does not allow).
     *
     * @return a new list
     */
    List<ObjectNode> outputs() {
        List<ObjectNode> saved = new ArrayList<>(outputs.size());
        for (ObjectNode output : outputs) {
            if (output.has("transient")) {
                ObjectNode copy = output.deepCopy();
                copy.remove("transient");
                saved.add(copy);
            } else {
                saved.add(output);
            }
        }
        return saved;
    }
}
