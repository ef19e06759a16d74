package io.quire.server.v1;

import java.util.Locale;

/** Where a run is in its life; every status but {@link #QUEUED} and {@link #RUNNING} is final. */
public enum RunStatus {
    /** Accepted, not started. */
    QUEUED,
    /** The kernel is starting or cells are running. */
    RUNNING,
    /** Every cell ran. */
    SUCCEEDED,
    /** A cell raised an error, or the run could not start. */
    FAILED,
    /** A cell ran longer than the run's timeout. */
    TIMED_OUT,
    /** The run was cancelled. */
    INTERRUPTED,
    /** The kernel died. */
    KERNEL_DIED;

    /**
     * Whether the run has ended.
     *
     * @return true for a final status
     */
    public boolean isFinished() {
        return this != QUEUED && this != RUNNING;
    }

    /**
     * The name in the API.
     *
     * @return the lower-case name, such as {@code timed_out}
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
