package io.quire.server.v1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.server.http.JsonBodies;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A run as the API shows it and as a {@link RunRegistry} stores it. Immutable; each change makes a new record.
 *
 * @param id         the run's id
 * @param tenant     whose run it is ({@link io.quire.server.http.RequestScope#tenant}); not shown by the API
 * @param fileId     the id of the notebook run
 * @param path       the notebook's path when the run was started (where outputs are saved)
 * @param status     where the run is
 * @param kernel     the kernel spec name
 * @param createdAt  when the run was accepted
 * @param startedAt  when it started running
 * @param finishedAt when it ended
 * @param cellsDone  how many cells have finished
 * @param cellsTotal how many cells the notebook has (0 until the run started)
 * @param failure    why it did not succeed
 */
public record RunRecord(String id, String tenant, String fileId, String path, RunStatus status, String kernel, Instant createdAt,
        Optional<Instant> startedAt, Optional<Instant> finishedAt, int cellsDone, int cellsTotal,
        Optional<Failure> failure) {

    /**
     * Why a run did not succeed.
     *
     * @param cellIndex      the failing cell's position in the saved notebook; empty if no cell ran
     * @param executionCount the failing cell's execution count, if it got one
     * @param ename          the error's name
     * @param evalue         the error's message
     */
    public record Failure(Optional<Integer> cellIndex, Optional<Integer> executionCount, String ename, String evalue) {
        /** Validates the fields. */
        public Failure {
            Objects.requireNonNull(cellIndex, "cellIndex");
            Objects.requireNonNull(executionCount, "executionCount");
            Objects.requireNonNull(ename, "ename");
            Objects.requireNonNull(evalue, "evalue");
        }
    }

    /** Validates the fields. */
    public RunRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(failure, "failure");
        if (cellsDone < 0 || cellsTotal < 0) {
            throw new IllegalArgumentException("cell counts must not be negative, got " + cellsDone + "/" + cellsTotal);
        }
    }

    /**
     * A new, queued run.
     *
     * @param id      the run's id
     * @param tenant  whose run it is
     * @param fileId  the notebook's id
     * @param path    the notebook's path
     * @param kernel  the kernel spec name
     * @param created when it was accepted
     * @return the record
     */
    public static RunRecord queued(String id, String tenant, String fileId, String path, String kernel, Instant created) {
        return new RunRecord(id, tenant, fileId, path, RunStatus.QUEUED, kernel, created, Optional.empty(), Optional.empty(),
                0, 0, Optional.empty());
    }

    RunRecord running(Instant at) {
        return new RunRecord(id, tenant, fileId, path, RunStatus.RUNNING, kernel, createdAt, Optional.of(at), finishedAt,
                cellsDone, cellsTotal, failure);
    }

    RunRecord progress(int done, int total) {
        return new RunRecord(id, tenant, fileId, path, status, kernel, createdAt, startedAt, finishedAt, done, total, failure);
    }

    RunRecord finished(RunStatus end, Instant at, Optional<Failure> why) {
        if (!end.isFinished()) {
            throw new IllegalArgumentException("a run cannot finish with status " + end);
        }
        return new RunRecord(id, tenant, fileId, path, end, kernel, createdAt, startedAt, Optional.of(at), cellsDone,
                cellsTotal, why);
    }

    /**
     * The run resource of the API.
     *
     * @return the JSON object
     */
    public ObjectNode toJson() {
        ObjectNode json = JsonBodies.MAPPER.createObjectNode();
        json.put("id", id);
        json.put("file_id", fileId);
        json.put("status", status.wireName());
        json.put("kernel", kernel);
        json.put("created_at", createdAt.toString());
        json.put("started_at", startedAt.map(Instant::toString).orElse(null));
        json.put("finished_at", finishedAt.map(Instant::toString).orElse(null));
        json.put("cells_done", cellsDone);
        json.put("cells_total", cellsTotal);
        failure.ifPresent(why -> {
            ObjectNode failed = json.putObject("failure");
            failed.put("cell_index", why.cellIndex().orElse(null));
            failed.put("execution_count", why.executionCount().orElse(null));
            failed.put("ename", why.ename());
            failed.put("evalue", why.evalue());
        });
        return json;
    }
}
