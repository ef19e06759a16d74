package io.quire.server.v1;

import java.util.Locale;

/** Where one cell of an execution is. */
enum CellStatus {
    /** Not started yet. */
    QUEUED,
    /** Running on the kernel. */
    RUNNING,
    /** Ran without error. */
    SUCCEEDED,
    /** Raised an error, or the kernel died while it ran. */
    FAILED,
    /** Interrupted by a cancel, or never ran because the execution was cancelled. */
    CANCELLED,
    /** Not run: an earlier cell failed, or the cell is gone or no longer code (see its error). */
    SKIPPED;

    boolean isFinished() {
        return this != QUEUED && this != RUNNING;
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
