package io.quire.client;

import java.util.Locale;

/** A kernel's execution state, as a session reports it. */
public enum KernelState {
    /** Launched, not ready yet. */
    STARTING,
    /** Ready, nothing running. */
    IDLE,
    /** Running something. */
    BUSY,
    /** Being restarted. */
    RESTARTING,
    /** Died; a restart revives it. */
    DEAD,
    /** A state this version of the SDK does not know. */
    UNKNOWN;

    /**
     * The state for its wire name.
     *
     * @param text a wire name such as {@code idle}
     * @return the state; {@link #UNKNOWN} for a name this SDK does not know
     */
    public static KernelState fromWire(String text) {
        for (KernelState state : values()) {
            if (state != UNKNOWN && state.wireName().equals(text)) {
                return state;
            }
        }
        return UNKNOWN;
    }

    /**
     * The wire name.
     *
     * @return the name in the API, such as {@code busy}
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
