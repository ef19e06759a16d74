package io.quire.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One cell of an execution.
 *
 * @param cellId         the nbformat cell id
 * @param status         where it is
 * @param executionCount its execution count, once the kernel gave one
 * @param outputs        its outputs as nbformat 4 JSON ({@code stream}, {@code display_data}, {@code execute_result},
 *                       {@code error}), as captured on the server so far
 * @param error          why it failed or was skipped
 */
public record ExecutionCell(String cellId, CellStatus status, Optional<Integer> executionCount, List<ObjectNode> outputs,
        Optional<ExecutionProblem> error) {

    /** Validates and copies the fields. */
    public ExecutionCell {
        Objects.requireNonNull(cellId, "cellId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(executionCount, "executionCount");
        outputs = List.copyOf(outputs);
        Objects.requireNonNull(error, "error");
    }

    /**
     * Reads a cell of an execution resource.
     *
     * @param json the JSON object
     * @return the cell
     */
    public static ExecutionCell create(JsonNode json) {
        String what = "execution cell";
        List<ObjectNode> outputs = new ArrayList<>();
        json.path("outputs").forEach(output -> {
            if (output instanceof ObjectNode object) {
                outputs.add(object);
            }
        });
        return new ExecutionCell(Wire.text(json, "cell_id", what), CellStatus.fromWire(Wire.text(json, "status", what)),
                Wire.optionalInt(json, "execution_count"), outputs, ExecutionProblem.optional(json, "error"));
    }

    /**
     * The text of the cell's {@code stream} outputs of one stream, joined.
     *
     * @param name {@code stdout} or {@code stderr}
     * @return the text, empty if there is none
     */
    public String stream(String name) {
        StringBuilder text = new StringBuilder();
        for (ObjectNode output : outputs) {
            if ("stream".equals(output.path("output_type").asText()) && name.equals(output.path("name").asText())) {
                Wire.appendText(text, output.path("text"));
            }
        }
        return text.toString();
    }
}
