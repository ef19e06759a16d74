package io.quire.execution;

import io.quire.notebook.Notebook;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run ended.
 *
 * @param notebook the notebook as written: outputs, timings, and error cells when a cell failed
 * @param outcome  how the run ended
 * @param failure  the failing cell, for every outcome but {@link Outcome#SUCCEEDED}
 */
public record RunResult(Notebook notebook, Outcome outcome, Optional<CellFailure> failure) {

    /** How a run ended. */
    public enum Outcome {
        /** Every cell ran (or a cell ended the run with {@code sys.exit(0)}). */
        SUCCEEDED,
        /** A cell raised an error. */
        CELL_FAILED,
        /** A cell ran longer than the execution timeout. */
        TIMED_OUT,
        /** The run was cancelled (Ctrl-C). */
        INTERRUPTED,
        /** The kernel died. */
        KERNEL_DIED
    }

    /**
     * The cell that ended a run.
     *
     * @param cellIndex      the cell's position in the written notebook
     * @param executionCount its execution count, if it got one
     * @param ename          the error's name ({@code NameError}, {@code Timeout}, {@code DeadKernel}, ...)
     * @param evalue         the error's message
     */
    public record CellFailure(int cellIndex, Optional<Integer> executionCount, String ename, String evalue) {
        /** Validates the fields. */
        public CellFailure {
            Objects.requireNonNull(executionCount, "executionCount");
            Objects.requireNonNull(ename, "ename");
            Objects.requireNonNull(evalue, "evalue");
        }

        /**
         * A one-line description, such as {@code cell In [3] raised NameError: name 'x' is not defined}.
         *
         * @return the summary
         */
        public String summary() {
            String where = "cell In [" + executionCount.map(String::valueOf).orElse(" ") + "]";
            return switch (ename) {
                case "Timeout", "DeadKernel", "Interrupted" -> where + ": " + evalue;
                default -> where + " raised " + ename + (evalue.isEmpty() ? "" : ": " + evalue);
            };
        }
    }

    /** Validates the fields. */
    public RunResult {
        Objects.requireNonNull(notebook, "notebook");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(failure, "failure");
    }
}
