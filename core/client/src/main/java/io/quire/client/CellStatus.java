package io.quire.client;

import java.util.Locale;

/** Where one cell of an execution is. */
public enum CellStatus {
    /** Not started yet. */
    QUEUED,
    /** Running. */
    RUNNING,
    /** Ran without error. */
    SUCCEEDED,
    /** Raised an error, or the kernel died while it ran. */
    FAILED,
    /** Interrupted by a cancel, or never ran because the execution was cancelled. */
    CANCELLED,
    /** Not run: an earlier cell failed, or the cell was deleted or is no longer code (see its error). */
    SKIPPED,
    /** A status this version of the SDK does not know. */
    UNKNOWN;

    /**
     * The status for its wire name.
     *
     * @param text a wire name such as {@code skipped}
     * @return the status; {@link #UNKNOWN} for a name this SDK does not know
     */
    public static CellStatus fromWire(String text) {
        for (CellStatus status : values()) {
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
