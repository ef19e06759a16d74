package io.quire.client;

import java.util.Locale;

/** Where an execution is. Every status but {@link #QUEUED}, {@link #RUNNING} and {@link #UNKNOWN} is final. */
public enum ExecutionStatus {
    /** Waiting behind earlier executions of its session. */
    QUEUED,
    /** Its cells are running. */
    RUNNING,
    /** Every cell ran (cells that had disappeared are skipped). */
    SUCCEEDED,
    /** A cell raised an error, the kernel died, or the session went away (see {@link Execution#error()}). */
    FAILED,
    /** Cancelled by a client, or by a restart or deletion of the session. */
    CANCELLED,
    /** A status this version of the SDK does not know; treated as not finished. */
    UNKNOWN;

    /**
     * Whether the execution has ended.
     *
     * @return true for every final status
     */
    public boolean isFinished() {
        return switch (this) {
            case QUEUED, RUNNING, UNKNOWN -> false;
            case SUCCEEDED, FAILED, CANCELLED -> true;
        };
    }

    /**
     * The status for its wire name.
     *
     * @param text a wire name such as {@code succeeded}
     * @return the status; {@link #UNKNOWN} for a name this SDK does not know
     */
    public static ExecutionStatus fromWire(String text) {
        for (ExecutionStatus status : values()) {
            if (status != UNKNOWN && status.wireName().equals(text)) {
                return status;
            }
        }
        return UNKNOWN;
    }

    /**
     * The wire name.
     *
     * @return the name in the API
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
