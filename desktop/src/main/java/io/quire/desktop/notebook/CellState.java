package io.quire.desktop.notebook;

/** Where a cell is in its run, as the editor shows it. */
public enum CellState {
    /** Not run in this editor (or skipped). */
    IDLE,
    /** Waiting for the kernel. */
    QUEUED,
    /** Running on the kernel. */
    RUNNING,
    /** Ran without error. */
    DONE,
    /** Raised an error, was interrupted, or could not be run. */
    ERROR
}
