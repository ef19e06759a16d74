package io.quire.server.collab;

import io.quire.notebook.Output;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What a file's shared execution tells its {@link SharedExecutionListener}s (and, through the real-time channel,
 * every client of the file): kernel status, per-cell execution state, and output chunks while a cell runs. The
 * persisted truth stays the delta log; these events are the live view of the node that runs the kernel.
 */
public sealed interface SharedExecutionEvent {

    /** @return the file */
    UUID fileId();

    /** The state of a file's kernel. */
    enum KernelStatus {
        /** Being started for the first execute request (or after a takeover or shutdown). */
        STARTING,
        /** Running, nothing to do. */
        IDLE,
        /** Running a cell. */
        BUSY,
        /** Being restarted. */
        RESTARTING,
        /** Not running: died, shut down, failed to start, or this node lost the file's kernel lease. */
        DEAD
    }

    /** Where a cell of an execute request is. */
    enum CellState {
        /** Waiting its turn. */
        QUEUED,
        /** Running on the kernel. */
        RUNNING,
        /** Ran and the kernel replied ok. */
        DONE,
        /** Ran and failed (an exception, or the kernel died); the rest of its request is cancelled. */
        ERROR,
        /** Stopped by an interrupt, a restart, or a node's death (then marked by the node that took over). */
        INTERRUPTED,
        /** Never ran: an interrupt, restart or shutdown, or an earlier cell of its request failed. */
        CANCELLED,
        /** Never ran: the cell was deleted or is no longer a code cell when its turn came. */
        SKIPPED
    }

    /**
     * The kernel's status changed.
     *
     * @param fileId the file
     * @param status the new status
     * @param reason why, where it is not the ordinary course (a death, a restart and by whom, a lost lease)
     */
    record KernelStatusChanged(UUID fileId, KernelStatus status, Optional<String> reason)
            implements SharedExecutionEvent {
        /** Validates the fields. */
        public KernelStatusChanged {
            Objects.requireNonNull(fileId, "fileId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A cell of an execute request changed state.
     *
     * @param fileId         the file
     * @param executeSeq     the seq of the execute delta the cell runs for
     * @param cellId         the cell
     * @param state          the new state
     * @param reason         why, for the states that are not the ordinary course
     * @param executionCount the kernel's execution count, once known
     */
    record CellStateChanged(UUID fileId, long executeSeq, String cellId, CellState state, Optional<String> reason,
                            Optional<Integer> executionCount) implements SharedExecutionEvent {
        /** Validates the fields. */
        public CellStateChanged {
            Objects.requireNonNull(fileId, "fileId");
            Objects.requireNonNull(cellId, "cellId");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(executionCount, "executionCount");
        }
    }

    /**
     * Outputs of a running cell, sent with the delta that persists them (at most every flush interval): either new
     * outputs to append to the cell's outputs, or the cell's whole output list (after {@code clear_output} or
     * {@code update_display_data}, and when the cell ends).
     *
     * @param fileId     the file
     * @param executeSeq the seq of the execute delta the cell runs for
     * @param cellId     the cell
     * @param outputs    the outputs
     * @param replace    true: {@code outputs} is the whole list; false: append them
     */
    record OutputChunk(UUID fileId, long executeSeq, String cellId, List<Output> outputs, boolean replace)
            implements SharedExecutionEvent {
        /** Validates and copies the fields. */
        public OutputChunk {
            Objects.requireNonNull(fileId, "fileId");
            Objects.requireNonNull(cellId, "cellId");
            outputs = List.copyOf(outputs);
        }
    }
}
