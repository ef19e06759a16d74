package io.quire.client;

/** Where a run is in its life. Every status but {@link #QUEUED} and {@link #RUNNING} is final. */
public enum RunStatus {
    /** Accepted, not started yet. */
    QUEUED,
    /** The kernel is starting or cells are running. */
    RUNNING,
    /** Every cell ran. */
    SUCCEEDED,
    /** A cell raised an error, or the run could not start (see {@link Run#failure()}). */
    FAILED,
    /** A cell ran longer than the run's timeout. */
    TIMED_OUT,
    /** The run was cancelled. */
    INTERRUPTED,
    /** The kernel died. */
    KERNEL_DIED,
    /** A status this version of the SDK does not know; treated as not finished. */
    UNKNOWN;

    /**
     * Whether the run has ended.
     *
     * @return true for every final status
     */
    public boolean isFinished() {
        return switch (this) {
            case QUEUED, RUNNING, UNKNOWN -> false;
            case SUCCEEDED, FAILED, TIMED_OUT, INTERRUPTED, KERNEL_DIED -> true;
        };
    }

    /**
     * The status for its wire name.
     *
     * @param text a wire name such as {@code timed_out}
     * @return the status; {@link #UNKNOWN} for a name this SDK does not know
     */
    public static RunStatus fromWire(String text) {
        for (RunStatus status : values()) {
            if (status != UNKNOWN && status.wireName().equals(text)) {
                return status;
            }
        }
        return UNKNOWN;
    }

    /**
     * The wire name.
     *
     * @return the name in the API, such as {@code kernel_died}
     */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
