package io.quire.server.v1;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.notebook.Output;
import io.quire.server.http.JsonBodies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * An execution of cells in a kernel session, as the API shows it. Immutable; each change makes a new record. Only the
 * thread executing it writes it (and a canceller, while it is still queued).
 *
 * @param id         the execution's id
 * @param tenant     whose execution it is ({@link io.quire.server.http.RequestScope#tenant}); not shown by the API
 * @param sessionId  the session it runs in
 * @param fileId     the notebook's id when it was requested
 * @param status     where it is
 * @param kernelId   the kernel it ran on, once it started
 * @param createdAt  when it was accepted
 * @param startedAt  when it started running
 * @param finishedAt when it ended
 * @param cells      its cells, in execution order
 * @param error      why it did not succeed
 */
record ExecutionRecord(String id, String tenant, String sessionId, String fileId, ExecutionStatus status, Optional<String> kernelId,
        Instant createdAt, Optional<Instant> startedAt, Optional<Instant> finishedAt, List<Cell> cells,
        Optional<Problem> error) {

    /**
     * What went wrong, with a stable machine code.
     *
     * @param code    such as {@code cell_error}, {@code kernel_died}, {@code cell_not_found}, {@code cancelled}
     * @param message for people
     * @param ename   the error's name, for {@code cell_error}
     * @param evalue  the error's value, for {@code cell_error}
     */
    record Problem(String code, String message, Optional<String> ename, Optional<String> evalue) {
        Problem {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(ename, "ename");
            Objects.requireNonNull(evalue, "evalue");
        }

        static Problem of(String code, String message) {
            return new Problem(code, message, Optional.empty(), Optional.empty());
        }

        ObjectNode toJson() {
            ObjectNode json = JsonBodies.MAPPER.createObjectNode();
            json.put("code", code);
            json.put("message", message);
            ename.ifPresent(value -> json.put("ename", value));
            evalue.ifPresent(value -> json.put("evalue", value));
            return json;
        }
    }

    /**
     * One cell of an execution.
     *
     * @param cellId         the nbformat cell id
     * @param status         where it is
     * @param executionCount its execution count, once the kernel gave one
     * @param outputs        its outputs as captured (also while it runs)
     * @param error          why it failed or was skipped
     */
    record Cell(String cellId, CellStatus status, Optional<Integer> executionCount, List<Output> outputs,
            Optional<Problem> error) {
        Cell {
            Objects.requireNonNull(cellId, "cellId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(executionCount, "executionCount");
            outputs = List.copyOf(outputs);
            Objects.requireNonNull(error, "error");
        }

        static Cell queued(String cellId) {
            return new Cell(cellId, CellStatus.QUEUED, Optional.empty(), List.of(), Optional.empty());
        }

        Cell with(CellStatus next, Optional<Integer> count, List<Output> captured, Optional<Problem> why) {
            return new Cell(cellId, next, count, captured, why);
        }

        Cell ended(CellStatus next, Optional<Problem> why) {
            return new Cell(cellId, next, executionCount, outputs, why);
        }

        ObjectNode toJson() {
            ObjectNode json = JsonBodies.MAPPER.createObjectNode();
            json.put("cell_id", cellId);
            json.put("status", status.wireName());
            json.put("execution_count", executionCount.orElse(null));
            ArrayNode list = json.putArray("outputs");
            outputs.forEach(output -> list.add(output.toJson()));
            error.ifPresent(why -> json.set("error", why.toJson()));
            return json;
        }
    }

    ExecutionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(kernelId, "kernelId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        cells = List.copyOf(cells);
        Objects.requireNonNull(error, "error");
    }

    static ExecutionRecord queued(String id, String tenant, String sessionId, String fileId, List<String> cellIds, Instant created) {
        return new ExecutionRecord(id, tenant, sessionId, fileId, ExecutionStatus.QUEUED, Optional.empty(), created,
                Optional.empty(), Optional.empty(), cellIds.stream().map(Cell::queued).toList(), Optional.empty());
    }

    ExecutionRecord running(Instant at) {
        return new ExecutionRecord(id, tenant, sessionId, fileId, ExecutionStatus.RUNNING, kernelId, createdAt,
                Optional.of(at), finishedAt, cells, error);
    }

    ExecutionRecord onKernel(String kernel) {
        return new ExecutionRecord(id, tenant, sessionId, fileId, status, Optional.of(kernel), createdAt, startedAt,
                finishedAt, cells, error);
    }

    ExecutionRecord withCell(int index, UnaryOperator<Cell> change) {
        List<Cell> changed = new ArrayList<>(cells);
        changed.set(index, change.apply(changed.get(index)));
        return new ExecutionRecord(id, tenant, sessionId, fileId, status, kernelId, createdAt, startedAt, finishedAt, changed,
                error);
    }

    /**
     * The final record: cells that had not finished end with {@code rest} (and the problem, when given).
     */
    ExecutionRecord finished(ExecutionStatus end, Instant at, Optional<Problem> why, CellStatus rest,
            Optional<Problem> restWhy) {
        if (!end.isFinished()) {
            throw new IllegalArgumentException("an execution cannot finish with status " + end);
        }
        List<Cell> ended = cells.stream().map(cell -> cell.status().isFinished() ? cell : cell.ended(rest, restWhy))
                .toList();
        return new ExecutionRecord(id, tenant, sessionId, fileId, end, kernelId, createdAt, startedAt, Optional.of(at), ended,
                why);
    }

    /** The execution resource of the API, with each cell's outputs as nbformat JSON. */
    ObjectNode toJson() {
        ObjectNode json = JsonBodies.MAPPER.createObjectNode();
        json.put("id", id);
        json.put("session_id", sessionId);
        json.put("file_id", fileId);
        json.put("kernel_id", kernelId.orElse(null));
        json.put("status", status.wireName());
        json.put("created_at", createdAt.toString());
        json.put("started_at", startedAt.map(Instant::toString).orElse(null));
        json.put("finished_at", finishedAt.map(Instant::toString).orElse(null));
        ArrayNode list = json.putArray("cells");
        cells.forEach(cell -> list.add(cell.toJson()));
        error.ifPresent(why -> json.set("error", why.toJson()));
        return json;
    }
}
