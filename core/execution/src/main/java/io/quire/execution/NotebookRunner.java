package io.quire.execution;

import io.quire.execution.parameters.ParameterTranslator;
import io.quire.kernel.ExecuteReply;
import io.quire.kernel.KernelException;
import io.quire.kernel.RunningKernel;
import io.quire.notebook.Cell;
import io.quire.notebook.CodeCell;
import io.quire.notebook.Notebook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Runs every code cell of a notebook, in order, on one kernel, the way papermill does: parameters injected, outputs
 * captured as Jupyter's executor captures them, papermill's timing and status metadata recorded, and on the first
 * failing cell the run stops and the notebook is marked as papermill marks it.
 *
 * <p>Design: one runner thread walks the cells; kernel output arrives on the kernel client's I/O thread and is
 * applied to the run's working copy under a lock, which the runner also takes to snapshot the notebook for saving.
 * Saving is the listener's job; the runner asks for a save when the run starts, after each cell (at most every
 * {@code saveInterval}), and at the end. {@link #cancel()} may be called from any thread (a Ctrl-C handler): it
 * interrupts the kernel and makes the run stop after the current cell.
 */
public final class NotebookRunner {
    private final KernelStarter kernels;
    private final Clock clock;
    private final Supplier<String> cellIds;
    private final Duration saveInterval;
    private final String version;
    private volatile boolean cancelled;
    private volatile RunningKernel current;

    private NotebookRunner(KernelStarter kernels, Clock clock, Supplier<String> cellIds, Duration saveInterval,
            String version) {
        this.kernels = kernels;
        this.clock = clock;
        this.cellIds = cellIds;
        this.saveInterval = saveInterval;
        this.version = version;
    }

    /**
     * A runner that starts kernels with the given factory.
     *
     * @param kernels starts the kernel for each run
     * @param version the version recorded in {@code metadata.papermill.version}
     * @return the runner
     */
    public static NotebookRunner create(KernelStarter kernels, String version) {
        return new NotebookRunner(kernels, Clock.systemUTC(),
                () -> UUID.randomUUID().toString().replace("-", "").substring(0, 8), Duration.ofMillis(200), version);
    }

    /**
     * The same runner with another clock (for tests) and save interval.
     *
     * @param otherClock   the clock for timestamps
     * @param interval     the least time between two saves during the run
     * @return a new runner
     */
    public NotebookRunner with(Clock otherClock, Duration interval) {
        return new NotebookRunner(kernels, otherClock, cellIds, interval, version);
    }

    /**
     * Asks a run in progress to stop: the kernel is interrupted, and the run ends after the current cell with
     * {@link RunResult.Outcome#INTERRUPTED}. Safe to call from any thread, also before the run starts.
     */
    public void cancel() {
        cancelled = true;
        RunningKernel kernel = current;
        if (kernel != null) {
            try {
                kernel.interrupt();
            } catch (KernelException e) {
                // the kernel is going away anyway; the run sees it die
            }
        }
    }

    /**
     * Runs a notebook.
     *
     * @param request  what to run
     * @param listener follows the run and saves the notebook
     * @return how the run ended, with the final notebook
     * @throws RunException if the run cannot start (no kernel name, no parameter translator, kernel start failed)
     */
    public RunResult run(RunRequest request, RunListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        cancelled = false;
        Notebook notebook = request.notebook();
        Optional<String> kernelName = request.kernelName().or(notebook::kernelName);
        Optional<String> injected = Optional.empty();
        if (!request.parameters().isEmpty()) {
            String kernel = kernelName.orElseThrow(() -> new RunException(
                    "No kernel name found in the notebook (metadata.kernelspec.name) and none given with -k"));
            Optional<String> language = request.language().or(notebook::language);
            ParameterTranslator translator = ParameterTranslator.find(kernel, language).orElseThrow(() ->
                    new RunException("No parameter translator for kernel '" + kernel + "' or language '"
                            + language.orElse("") + "' (Quire renders parameters for Python)"));
            injected = Optional.of(translator.codify(request.parameters()));
        }
        NotebookRun run = NotebookRun.prepare(notebook, request.parameters(), injected, request.inputPath(),
                request.outputPath(), version, cellIds);
        if (injected.isPresent() && !run.hasParametersCell()) {
            listener.warning("Input notebook does not contain a cell with tag 'parameters'; parameters injected at the top");
        }
        if (request.prepareOnly()) {
            Notebook prepared = run.snapshot();
            listener.save(prepared, true);
            return new RunResult(prepared, RunResult.Outcome.SUCCEEDED, Optional.empty());
        }
        String kernel = kernelName.orElseThrow(() -> new RunException(
                "No kernel name found in the notebook (metadata.kernelspec.name) and none given with -k"));
        return execute(run, kernel, request, listener);
    }

    private RunResult execute(NotebookRun run, String kernelName, RunRequest request, RunListener listener) {
        Object lock = run;
        run.start(clock.instant());
        listener.started(kernelName, run.size());
        listener.save(run.snapshot(), false);
        Optional<RunResult.CellFailure> failure = Optional.empty();
        RunResult.Outcome outcome = RunResult.Outcome.SUCCEEDED;
        boolean addErrorCells = false;
        Instant lastSave = clock.instant();
        try (RunningKernel kernel = kernels.start(kernelName, request.cwd(), request.startTimeout())) {
            current = kernel;
            if (cancelled) {
                kernel.interrupt();
            }
            CellExecutor executor = CellExecutor.create(run, lock, clock);
            for (int i = 0; i < run.size() && outcome == RunResult.Outcome.SUCCEEDED; i++) {
                if (cancelled) {
                    outcome = RunResult.Outcome.INTERRUPTED;
                    failure = Optional.of(new RunResult.CellFailure(i, Optional.empty(), "Interrupted",
                            "interrupted before this cell ran"));
                    break;
                }
                synchronized (lock) {
                    run.cellStarted(i, clock.instant());
                }
                listener.cellStarted(i, run.size());
                Cell cell = run.cell(i);
                if (cell instanceof CodeCell code && !code.source().text().isBlank() && !code.hasTag("skip-execution")) {
                    CellOutcome result = executeCell(run, i, code, kernel, executor, request, listener);
                    if (result.failure().isPresent()) {
                        failure = result.failure();
                        outcome = result.outcome();
                        synchronized (lock) {
                            run.cellFailed(i);
                        }
                        addErrorCells = result.outcome() == RunResult.Outcome.CELL_FAILED;
                    } else if (result.stop()) {
                        synchronized (lock) {
                            run.cellFailed(i);
                        }
                        synchronized (lock) {
                            run.cellCompleted(i, clock.instant());
                        }
                        listener.cellFinished(i, run.size());
                        break;
                    }
                }
                synchronized (lock) {
                    run.cellCompleted(i, clock.instant());
                }
                listener.cellFinished(i, run.size());
                Instant now = clock.instant();
                if (Duration.between(lastSave, now).compareTo(saveInterval) >= 0) {
                    Notebook snapshot;
                    synchronized (lock) {
                        snapshot = run.snapshot();
                    }
                    listener.save(snapshot, false);
                    lastSave = now;
                }
            }
            synchronized (lock) {
                run.languageInfo(kernel.info().raw().path("language_info"));
            }
        } catch (RuntimeException e) {
            // the kernel did not start or failed outside any cell: still leave a complete record of what ran
            Notebook partial;
            synchronized (lock) {
                run.complete(clock.instant());
                partial = run.snapshot();
            }
            listener.save(partial, true);
            throw e;
        } finally {
            current = null;
        }
        Notebook result;
        synchronized (lock) {
            run.complete(clock.instant());
            if (addErrorCells) {
                run.addErrorCells(failure.orElseThrow().cellIndex());
            }
            result = run.snapshot();
        }
        // the error cells (one at the top, one right before the failing cell) move the failing cell down by two
        int shift = addErrorCells ? 2 : 0;
        Optional<RunResult.CellFailure> reported = failure.map(f -> new RunResult.CellFailure(
                f.cellIndex() + shift, f.executionCount(), f.ename(), f.evalue()));
        listener.save(result, true);
        return new RunResult(result, outcome, reported);
    }

    private record CellOutcome(RunResult.Outcome outcome, Optional<RunResult.CellFailure> failure, boolean stop) {
        static final CellOutcome OK = new CellOutcome(RunResult.Outcome.SUCCEEDED, Optional.empty(), false);
    }

    private CellOutcome executeCell(NotebookRun run, int index, CodeCell cell, RunningKernel kernel,
            CellExecutor executor, RunRequest request, RunListener listener) {
        Object lock = run;
        synchronized (lock) {
            run.executionReset(index);
        }
        CellResult result = executor.execute(kernel, index, cell.source().text(), request.executionTimeout(),
                new CellExecutor.Events() {
                    @Override
                    public void timing(String key, Instant at) {
                        run.executionTiming(index, key, at);
                    }

                    @Override
                    public void executionCount(int count) {
                        run.executionCount(index, count);
                    }

                    @Override
                    public void output(String stream, String text) {
                        listener.output(stream, text);
                    }
                });
        ExecuteReply reply;
        switch (result) {
            case CellResult.TimedOut(Duration limit, Optional<String> interruptFailure) -> {
                String seconds = seconds(limit);
                if (interruptFailure.isPresent()) {
                    return new CellOutcome(RunResult.Outcome.KERNEL_DIED, Optional.of(new RunResult.CellFailure(index,
                            executionCount(run, index), "DeadKernel", "timed out after " + seconds
                            + " and could not be interrupted: " + interruptFailure.get())), true);
                }
                return new CellOutcome(RunResult.Outcome.TIMED_OUT, Optional.of(new RunResult.CellFailure(index,
                        executionCount(run, index), "Timeout", "timed out after " + seconds + " and was interrupted")),
                        true);
            }
            case CellResult.KernelDied(String message) -> {
                return new CellOutcome(RunResult.Outcome.KERNEL_DIED, Optional.of(new RunResult.CellFailure(index,
                        executionCount(run, index), "DeadKernel", "the kernel died: " + message)), true);
            }
            case CellResult.Replied(ExecuteReply replied) -> reply = replied;
        }
        if (reply.status() == ExecuteReply.Status.OK) {
            return CellOutcome.OK;
        }
        String ename = reply.ename().orElse("");
        String evalue = reply.evalue().orElse("");
        if (ename.equals("SystemExit") && (evalue.isEmpty() || evalue.equals("0"))) {
            return new CellOutcome(RunResult.Outcome.SUCCEEDED, Optional.empty(), true);
        }
        if (cancelled) {
            return new CellOutcome(RunResult.Outcome.INTERRUPTED, Optional.of(new RunResult.CellFailure(index,
                    executionCount(run, index), "Interrupted", "interrupted (" + ename + ")")), true);
        }
        if (reply.status() == ExecuteReply.Status.ABORTED) {
            ename = ename.isEmpty() ? "Aborted" : ename;
            evalue = evalue.isEmpty() ? "the kernel aborted the execution" : evalue;
        }
        return new CellOutcome(RunResult.Outcome.CELL_FAILED, Optional.of(new RunResult.CellFailure(index,
                executionCount(run, index), ename, evalue)), true);
    }

    private static String seconds(Duration duration) {
        double seconds = duration.toNanos() / 1e9;
        return (seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds)) + " s";
    }

    private static Optional<Integer> executionCount(NotebookRun run, int index) {
        synchronized (run) {
            return run.cell(index) instanceof CodeCell code ? code.executionCount() : Optional.empty();
        }
    }
}
