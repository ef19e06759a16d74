package io.quire.kernels;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one managed kernel with the fields of Jupyter Server's kernel model
 * ({@code GET /api/kernels/{id}}).
 *
 * @param id             the kernel id (a UUID string)
 * @param name           the kernel spec name
 * @param lastActivity   when activity was last seen on the kernel
 * @param executionState the execution state
 * @param connections    how many WebSocket connections are attached
 * @param reason         why the kernel is dead, when it is
 */
public record ManagedKernelInfo(String id, String name, Instant lastActivity, ExecutionState executionState,
                                int connections, Optional<String> reason) {

    /** Rejects nulls and negative connection counts. */
    public ManagedKernelInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lastActivity, "lastActivity");
        Objects.requireNonNull(executionState, "executionState");
        Objects.requireNonNull(reason, "reason");
        if (connections < 0) {
            throw new IllegalArgumentException("connections must not be negative but was " + connections);
        }
    }

    /** @return {@link #lastActivity()} as ISO 8601 in UTC with a {@code Z} suffix, as Jupyter Server writes it */
    public String lastActivityText() {
        return lastActivity.toString();
    }

    /**
     * @return the model as Jupyter Server's JSON: {@code id, name, last_activity, execution_state,
     *         connections} and {@code reason} when there is one
     */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode()
                .put("id", id)
                .put("name", name)
                .put("last_activity", lastActivityText())
                .put("execution_state", executionState.wireName())
                .put("connections", connections);
        reason.filter(text -> !text.isEmpty()).ifPresent(text -> json.put("reason", text));
        return json;
    }
}
