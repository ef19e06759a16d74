package io.quire.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A server-side run of a whole notebook. Outputs are saved into the notebook on the server as the run goes.
 *
 * @param id         the run's id; opaque
 * @param fileId     the id of the notebook being run
 * @param status     where the run is
 * @param kernel     the kernel spec it runs on, once known
 * @param createdAt  when the run was accepted
 * @param startedAt  when it started, once it has
 * @param finishedAt when it ended, once it has
 * @param cellsDone  how many cells have finished
 * @param cellsTotal how many cells the notebook has (0 until the run started)
 * @param failure    why it did not succeed, for failed, timed-out, interrupted and kernel-died runs
 */
public record Run(String id, String fileId, RunStatus status, Optional<String> kernel, Instant createdAt,
        Optional<Instant> startedAt, Optional<Instant> finishedAt, int cellsDone, int cellsTotal,
        Optional<RunFailure> failure) {

    /** Validates the fields. */
    public Run {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(failure, "failure");
    }

    /**
     * Reads a run resource.
     *
     * @param json the JSON object
     * @return the run
     * @throws QuireException if a required field is missing
     */
    public static Run create(JsonNode json) {
        String what = "run";
        JsonNode failure = json.get("failure");
        return new Run(Wire.text(json, "id", what), Wire.text(json, "file_id", what),
                RunStatus.fromWire(Wire.text(json, "status", what)), Wire.optionalText(json, "kernel"),
                Wire.instant(json, "created_at", what), Wire.optionalInstant(json, "started_at", what),
                Wire.optionalInstant(json, "finished_at", what), Wire.integer(json, "cells_done", what),
                Wire.integer(json, "cells_total", what),
                failure != null && failure.isObject() ? Optional.of(RunFailure.create(failure)) : Optional.empty());
    }

    /**
     * Whether the run has ended.
     *
     * @return true for a final status
     */
    public boolean isFinished() {
        return status.isFinished();
    }
}
