package io.quire.server.v1;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Executions kept in memory, for {@code GET /api/v1/executions/{id}}. Active executions are always kept; of the
 * finished ones (which hold their outputs), only the most recent {@code maxFinished} are, the oldest forgotten first,
 * so memory stays bounded on a long-lived server. Thread-safe (one lock; every operation is a few map operations).
 */
final class ExecutionRegistry {
    private final int maxFinished;
    private final Map<String, ExecutionRecord> executions = new HashMap<>();
    private final Deque<String> finished = new ArrayDeque<>();

    ExecutionRegistry(int maxFinished) {
        if (maxFinished < 1) {
            throw new IllegalArgumentException("maxFinished must be positive, got " + maxFinished);
        }
        this.maxFinished = maxFinished;
    }

    /** Adds or replaces an execution; a finished one may push the oldest finished one out. */
    synchronized void put(ExecutionRecord execution) {
        ExecutionRecord before = executions.put(execution.id(), execution);
        boolean wasFinished = before != null && before.status().isFinished();
        if (execution.status().isFinished() && !wasFinished) {
            finished.addLast(execution.id());
            while (finished.size() > maxFinished) {
                executions.remove(finished.removeFirst());
            }
        }
    }

    synchronized Optional<ExecutionRecord> find(String id) {
        return Optional.ofNullable(executions.get(id));
    }
}
