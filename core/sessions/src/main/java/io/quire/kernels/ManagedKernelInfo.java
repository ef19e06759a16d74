package io.quire.kernels;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.kernel.KernelOwner;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one managed kernel with the fields of Jupyter Server's kernel model
 * ({@code GET /api/kernels/{id}}, see {@link #toJson()}) and what Quire knows beyond it (owner, size, phase), which
 * is not part of that JSON.
 *
 * @param id             the kernel id (a UUID string)
 * @param name           the kernel spec name
 * @param lastActivity   when activity was last seen on the kernel
 * @param executionState the execution state ({@code starting} also while waiting for capacity, see {@link #phase()})
 * @param connections    how many WebSocket connections are attached
 * @param reason         why the kernel is dead, when it is
 * @param owner          who the kernel belongs to, when it was started for someone
 * @param size           the hardware size name it was started with, or empty for the provisioner's default
 * @param phase          where it is in its start
 */
public record ManagedKernelInfo(String id, String name, Instant lastActivity, ExecutionState executionState,
                                int connections, Optional<String> reason, Optional<KernelOwner> owner,
                                Optional<String> size, KernelPhase phase) {

    /** Rejects nulls and negative connection counts. */
    public ManagedKernelInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lastActivity, "lastActivity");
        Objects.requireNonNull(executionState, "executionState");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(phase, "phase");
        if (connections < 0) {
            throw new IllegalArgumentException("connections must not be negative but was " + connections);
        }
    }

    /**
     * A kernel of nobody with the default size; its phase is {@link KernelPhase#STARTING} when the execution state is
     * {@link ExecutionState#STARTING}, else {@link KernelPhase#READY}.
     *
     * @param id             the kernel id
     * @param name           the kernel spec name
     * @param lastActivity   when activity was last seen
     * @param executionState the execution state
     * @param connections    how many WebSocket connections are attached
     * @param reason         why the kernel is dead, when it is
     */
    public ManagedKernelInfo(String id, String name, Instant lastActivity, ExecutionState executionState,
                             int connections, Optional<String> reason) {
        this(id, name, lastActivity, executionState, connections, reason, Optional.empty(), Optional.empty(),
                executionState == ExecutionState.STARTING ? KernelPhase.STARTING : KernelPhase.READY);
    }

    /** @return the kernel spec name, the same as {@link #name()} (Jupyter's name for it) */
    public String specName() {
        return name;
    }

    /** @return {@link #lastActivity()} as ISO 8601 in UTC with a {@code Z} suffix, as Jupyter Server writes it */
    public String lastActivityText() {
        return lastActivity.toString();
    }

    /**
     * @return the model as Jupyter Server's JSON: {@code id, name, last_activity, execution_state,
     *         connections} and {@code reason} when there is one; owner, size and phase are not included
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
