package io.quire.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An execution of cells in a kernel session, run on the server: outputs are captured there and saved into the
 * notebook whether or not the client stays connected.
 *
 * @param id         the execution's id; opaque
 * @param sessionId  the session it runs in
 * @param fileId     the notebook's file id
 * @param kernelId   the kernel it runs on, once it started
 * @param status     where it is
 * @param createdAt  when it was accepted
 * @param startedAt  when it started, once it has
 * @param finishedAt when it ended, once it has
 * @param cells      its cells, in execution order, with their outputs
 * @param error      why it did not succeed
 */
public record Execution(String id, String sessionId, String fileId, Optional<String> kernelId, ExecutionStatus status,
        Instant createdAt, Optional<Instant> startedAt, Optional<Instant> finishedAt, List<ExecutionCell> cells,
        Optional<ExecutionProblem> error) {

    /** Validates and copies the fields. */
    public Execution {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(kernelId, "kernelId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        cells = List.copyOf(cells);
        Objects.requireNonNull(error, "error");
    }

    /**
     * Reads an execution resource.
     *
     * @param json the JSON object
     * @return the execution
     * @throws QuireException if a required field is missing
     */
    public static Execution create(JsonNode json) {
        String what = "execution";
        List<ExecutionCell> cells = new ArrayList<>();
        json.path("cells").forEach(cell -> cells.add(ExecutionCell.create(cell)));
        return new Execution(Wire.text(json, "id", what), Wire.text(json, "session_id", what),
                Wire.text(json, "file_id", what), Wire.optionalText(json, "kernel_id"),
                ExecutionStatus.fromWire(Wire.text(json, "status", what)), Wire.instant(json, "created_at", what),
                Wire.optionalInstant(json, "started_at", what), Wire.optionalInstant(json, "finished_at", what), cells,
                ExecutionProblem.optional(json, "error"));
    }

    /**
     * Whether the execution has ended.
     *
     * @return true for a final status
     */
    public boolean isFinished() {
        return status.isFinished();
    }

    /**
     * The cell with an id.
     *
     * @param cellId the nbformat cell id
     * @return the cell, or empty if this execution does not run it
     */
    public Optional<ExecutionCell> cell(String cellId) {
        return cells.stream().filter(cell -> cell.cellId().equals(cellId)).findFirst();
    }
}
