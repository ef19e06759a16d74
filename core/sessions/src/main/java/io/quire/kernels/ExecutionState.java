package io.quire.kernels;

import java.util.Locale;
import java.util.Optional;

/** The {@code execution_state} of a managed kernel as Jupyter Server reports it in its kernel model. */
public enum ExecutionState {
    /** Waiting for capacity, launched but not yet ready, or no status seen yet (see {@link KernelPhase}). */
    STARTING,
    /** Ready and not handling a tracked request. */
    IDLE,
    /** Handling a tracked request. */
    BUSY,
    /** Being restarted. */
    RESTARTING,
    /** Died without being asked to, or a restart failed; see {@link ManagedKernelInfo#reason()}. */
    DEAD;

    /** @return the lowercase name used on the wire, e.g. {@code idle} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param wireName a lowercase state name as kernels publish it in {@code status} messages
     * @return the state, when it is one of the known names
     */
    public static Optional<ExecutionState> fromWireName(String wireName) {
        for (ExecutionState state : values()) {
            if (state.wireName().equals(wireName)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
