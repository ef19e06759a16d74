package io.quire.server.v1;

import java.util.Locale;

/** Where an execution is in its life; every status but {@link #QUEUED} and {@link #RUNNING} is final. */
enum ExecutionStatus {
    /** Waiting behind earlier executions of its session. */
    QUEUED,
    /** Its cells are running. */
    RUNNING,
    /** Every cell ran (or was skipped because it no longer exists or is no longer code). */
    SUCCEEDED,
    /** A cell raised an error, the kernel died, or the session went away. */
    FAILED,
    /** Cancelled by a client, or by a restart or deletion of its session. */
    CANCELLED;

    boolean isFinished() {
        return this != QUEUED && this != RUNNING;
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
