package io.quire.collab;

import java.util.Objects;
import java.util.Optional;

/**
 * How far the lease holder got through a file's execute requests, kept with the lease so that a node taking over
 * knows what is left and which cell was cut off.
 *
 * @param doneSeq the seq of the last execute request fully handled (run, failed or cancelled); every execute request
 *                at or before it is done, 0 for none
 * @param running the cell running when this was recorded, if any
 */
public record LeaseProgress(long doneSeq, Optional<RunningCell> running) {

    /** No request handled, nothing running. */
    public static final LeaseProgress NONE = new LeaseProgress(0, Optional.empty());

    /** Validates the fields. */
    public LeaseProgress {
        if (doneSeq < 0) {
            throw new IllegalArgumentException("done seq must not be negative, got " + doneSeq);
        }
        Objects.requireNonNull(running, "running");
    }

    /**
     * A cell that runs on the lease holder's kernel.
     *
     * @param executeSeq the seq of the execute request it runs for
     * @param cellId     the cell
     */
    public record RunningCell(long executeSeq, String cellId) {
        /** Validates the fields. */
        public RunningCell {
            if (executeSeq < 1) {
                throw new IllegalArgumentException("execute seq must be at least 1, got " + executeSeq);
            }
            Delta.requireCellId(cellId);
        }
    }
}
