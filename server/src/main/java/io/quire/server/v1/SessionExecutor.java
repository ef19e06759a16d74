package io.quire.server.v1;

import io.quire.contents.ContentsException;
import io.quire.contents.ContentsNotFoundException;
import io.quire.execution.CellExecutor;
import io.quire.execution.CellResult;
import io.quire.execution.RunException;
import io.quire.kernel.ExecuteReply;
import io.quire.kernel.KernelException;
import io.quire.kernel.RunningKernel;
import io.quire.kernels.KernelManager;
import io.quire.notebook.Cell;
import io.quire.notebook.CodeCell;
import io.quire.notebook.Notebook;
import io.quire.notebook.Output;
import io.quire.server.http.ApiException;
import io.quire.server.v1.ExecutionRecord.Problem;
import io.quire.sessions.Session;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes cells in kernel sessions on the server, with outputs captured here and saved into the notebook.
 *
 * <p>Design. Each session has a <em>lane</em>: a FIFO queue of executions and at most one worker (a virtual thread)
 * draining it, so the executions of a session run one after another, in the order they were accepted, on the
 * session's kernel (whose state carries over from one to the next). Lanes live in a concurrent map and every change to
 * a lane (enqueue, dequeue, removal when empty, removal of a cancelled queued execution) happens inside that map's
 * atomic {@code compute} for the session, so a lane never has two workers. The worker is the only writer of the
 * record of the execution it runs. Per cell it looks the session up again (it may have been deleted, renamed or given
 * another kernel through the Jupyter API), re-reads the notebook, runs the cell's current source with a
 * {@link CellExecutor}, and writes the cell's outputs and execution count into the file through {@link NotebookCells},
 * always in the scope of the caller who asked for the execution ({@link CallerScope}: their sessions, their contents
 * and permissions)
 * (while the cell runs, every {@link #TICK} when its outputs changed, and when it ends); no client needs to stay
 * connected. A cell that is gone or is no longer code is skipped with a reason; the first cell that fails ends the
 * execution and the rest are skipped, as Jupyter's "run all" does.
 *
 * <p>Cancelling a queued execution removes it from its lane; cancelling a running one sets its flag and interrupts the
 * kernel: the running cell ends with the kernel's {@code KeyboardInterrupt} (its outputs saved) and no further cell
 * starts. A restart or deletion of the session cancels all its executions first.
 */
final class SessionExecutor {
    /** How often a running cell's outputs are saved and published while they change. */
    static final Duration TICK = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(SessionExecutor.class);

    private final KernelManager kernels;
    private final NotebookCells notebooks;
    private final ExecutionRegistry registry;
    private final Executor threads;
    private final Clock clock;
    private final Supplier<String> ids;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Map<String, Job> active = new ConcurrentHashMap<>();

    /** An accepted execution that has not finished. */
    private static final class Job {
        final String id;
        final CallerScope caller;
        final String sessionId;
        final String path;
        final List<String> cellIds;
        volatile Optional<Problem> cancelled = Optional.empty();
        volatile Optional<String> kernelId = Optional.empty();

        Job(String id, CallerScope caller, String sessionId, String path, List<String> cellIds) {
            this.id = id;
            this.caller = caller;
            this.sessionId = sessionId;
            this.path = path;
            this.cellIds = cellIds;
        }
    }

    /** The queue of one session; guarded by the lanes map's per-key lock. */
    private static final class Lane {
        final Deque<Job> queue = new ArrayDeque<>();
    }

    SessionExecutor(KernelManager kernels, NotebookCells notebooks, ExecutionRegistry registry, Executor threads,
            Clock clock, Supplier<String> ids) {
        this.kernels = kernels;
        this.notebooks = notebooks;
        this.registry = registry;
        this.threads = threads;
        this.clock = clock;
        this.ids = ids;
    }

    /**
     * Queues an execution of cells in a session.
     *
     * @param caller  who asks: the session is looked up, and the notebook read and written, in their scope
     * @param session the session
     * @param fileId  the notebook's id
     * @param cellIds the cells, in execution order, each present in the notebook now
     * @return the queued execution
     * @throws ApiException 503 when the server cannot start a worker (it is stopping)
     */
    ExecutionRecord submit(CallerScope caller, Session session, String fileId, List<String> cellIds) {
        String id = ids.get();
        ExecutionRecord queued = ExecutionRecord.queued(id, caller.tenant(), session.id(), fileId, cellIds,
                clock.instant());
        registry.put(queued);
        Job job = new Job(id, caller, session.id(), session.path(), List.copyOf(cellIds));
        active.put(id, job);
        boolean[] startWorker = {false};
        lanes.compute(session.id(), (key, lane) -> {
            Lane current = lane == null ? new Lane() : lane;
            startWorker[0] = lane == null;
            current.queue.addLast(job);
            return current;
        });
        if (startWorker[0]) {
            try {
                threads.execute(() -> drain(session.id()));
            } catch (RejectedExecutionException e) {
                lanes.remove(session.id());
                active.remove(id);
                registry.put(queued.finished(ExecutionStatus.FAILED, clock.instant(), Optional.of(Problem.of(
                        "unavailable", "the server is stopping")), CellStatus.CANCELLED, Optional.empty()));
                throw new ApiException(503, "unavailable", "the server cannot start executions now: " + e.getMessage());
            }
        }
        return queued;
    }

    /**
     * Cancels an execution: a queued one never runs, a running one is interrupted. A finished one is left alone.
     *
     * @param id the execution's id
     * @return the execution as it stands, or empty if unknown
     */
    Optional<ExecutionRecord> cancel(String id) {
        Job job = active.get(id);
        if (job != null) {
            cancel(job, Problem.of("cancelled", "cancelled by a client"), true);
        }
        return registry.find(id);
    }

    /**
     * Cancels every execution of a session (it is being restarted or deleted). Running ones are not interrupted: the
     * restart or shutdown that follows ends them.
     *
     * @param sessionId the session's id
     * @param why       the reason recorded on each execution
     */
    void cancelSession(String sessionId, Problem why) {
        active.values().stream().filter(job -> job.sessionId.equals(sessionId)).toList()
                .forEach(job -> cancel(job, why, false));
    }

    /** Cancels every execution (the server is stopping). */
    void cancelAll() {
        List.copyOf(active.values()).forEach(job -> cancel(job, Problem.of("server_stopping",
                "the server is stopping"), true));
    }

    private void cancel(Job job, Problem why, boolean interrupt) {
        boolean[] removed = {false};
        lanes.computeIfPresent(job.sessionId, (key, lane) -> {
            removed[0] = lane.queue.remove(job);
            return lane;
        });
        if (removed[0]) {
            active.remove(job.id);
            registry.find(job.id).ifPresent(record -> registry.put(record.finished(ExecutionStatus.CANCELLED,
                    clock.instant(), Optional.of(why), CellStatus.CANCELLED, Optional.empty())));
            return;
        }
        if (job.cancelled.isEmpty()) {
            job.cancelled = Optional.of(why);
        }
        Optional<String> kernel = job.kernelId;
        if (interrupt && kernel.isPresent()) {
            try {
                kernels.interrupt(kernel.get());
            } catch (KernelException e) {
                LOG.info("execution {}: interrupting kernel {} failed: {}", job.id, kernel.get(), e.getMessage());
            }
        }
    }

    /** The worker of a lane: runs its executions in order, and removes the lane when it is empty. */
    private void drain(String sessionId) {
        while (true) {
            Job[] next = {null};
            lanes.compute(sessionId, (key, lane) -> {
                if (lane == null) {
                    return null;
                }
                next[0] = lane.queue.pollFirst();
                return next[0] == null ? null : lane;
            });
            if (next[0] == null) {
                return;
            }
            Job job = next[0];
            try {
                execute(job);
            } catch (RuntimeException | Error e) {
                LOG.error("execution {} in session {} failed unexpectedly", job.id, sessionId, e);
                registry.find(job.id).filter(record -> !record.status().isFinished()).ifPresent(record -> registry.put(
                        record.finished(ExecutionStatus.FAILED, clock.instant(), Optional.of(Problem.of(
                                "internal_error", "the server failed the execution: " + e)), CellStatus.SKIPPED,
                                Optional.empty())));
                if (e instanceof Error error) {
                    throw error;
                }
            } finally {
                active.remove(job.id);
            }
        }
    }

    /** One execution, on the worker's thread. */
    private void execute(Job job) {
        ExecutionRecord record = registry.find(job.id).orElseThrow();
        if (job.cancelled.isPresent()) {
            registry.put(record.finished(ExecutionStatus.CANCELLED, clock.instant(), job.cancelled,
                    CellStatus.CANCELLED, Optional.empty()));
            return;
        }
        Run run = new Run(job, record.running(clock.instant()));
        registry.put(run.record);
        run.cells();
    }

    /** The state of one execution while its worker runs it. */
    private final class Run {
        final Job job;
        final Object lock = new Object();
        final List<List<Output>> outputs = new ArrayList<>();
        final List<Optional<Integer>> counts = new ArrayList<>();
        volatile ExecutionRecord record;
        String path;
        boolean dirty;
        boolean fileGone;

        Run(Job job, ExecutionRecord record) {
            this.job = job;
            this.record = record;
            this.path = job.path;
            for (int i = 0; i < job.cellIds.size(); i++) {
                outputs.add(new ArrayList<>());
                counts.add(Optional.empty());
            }
        }

        void cells() {
            CellExecutor executor = CellExecutor.create(outputs::get, lock, clock, TICK);
            for (int i = 0; i < job.cellIds.size(); i++) {
                if (job.cancelled.isPresent()) {
                    finish(ExecutionStatus.CANCELLED, job.cancelled, CellStatus.CANCELLED, Optional.empty());
                    return;
                }
                Optional<Session> session = job.caller.sessions().get(job.sessionId);
                if (session.isEmpty()) {
                    finish(ExecutionStatus.FAILED, Optional.of(Problem.of("session_gone", "session " + job.sessionId
                            + " was deleted or its kernel is gone")), CellStatus.SKIPPED, Optional.empty());
                    return;
                }
                path = session.get().path();
                String kernelId = session.get().kernel().id();
                job.kernelId = Optional.of(kernelId);
                publish(record.onKernel(kernelId));
                if (!runCell(i, executor, kernelId)) {
                    return;
                }
            }
            finish(ExecutionStatus.SUCCEEDED, Optional.empty(), CellStatus.SKIPPED, Optional.empty());
        }

        /** Runs one cell; false when the execution has ended. */
        boolean runCell(int index, CellExecutor executor, String kernelId) {
            String cellId = job.cellIds.get(index);
            Notebook notebook;
            try {
                notebook = notebooks.read(job.caller, path);
            } catch (ContentsNotFoundException e) {
                finish(ExecutionStatus.FAILED, Optional.of(Problem.of("file_not_found", "the notebook '" + path
                        + "' no longer exists")), CellStatus.SKIPPED, Optional.empty());
                return false;
            } catch (ContentsException e) {
                finish(ExecutionStatus.FAILED, Optional.of(Problem.of("file_unreadable", "the notebook '" + path
                        + "' cannot be read: " + e.getMessage())), CellStatus.SKIPPED, Optional.empty());
                return false;
            }
            Optional<Integer> position = notebook.indexOf(cellId);
            if (position.isEmpty()) {
                skip(index, Problem.of("cell_not_found", "cell '" + cellId + "' is no longer in the notebook"));
                return true;
            }
            Cell cell = notebook.cell(position.get());
            if (!(cell instanceof CodeCell code)) {
                skip(index, Problem.of("not_code_cell", "cell '" + cellId + "' is no longer a code cell but "
                        + cell.cellType()));
                return true;
            }
            publish(record.withCell(index, c -> c.with(CellStatus.RUNNING, Optional.empty(), List.of(),
                    Optional.empty())));
            if (code.source().text().isBlank()) {
                // as Jupyter front ends do: an empty cell is not sent; it just loses its outputs
                save(index);
                publish(record.withCell(index, c -> c.with(CellStatus.SUCCEEDED, Optional.empty(), List.of(),
                        Optional.empty())));
                return true;
            }
            RunningKernel kernel;
            try {
                kernel = kernels.running(kernelId);
            } catch (KernelException e) {
                finish(ExecutionStatus.FAILED, Optional.of(Problem.of("kernel_died", "the session's kernel "
                        + kernelId + " is gone: " + e.getMessage())), CellStatus.SKIPPED, Optional.empty());
                return false;
            }
            if (job.cancelled.isPresent()) {
                Optional<Problem> cancelled = job.cancelled;
                publish(record.withCell(index, c -> c.ended(CellStatus.CANCELLED, cancelled)));
                finish(ExecutionStatus.CANCELLED, cancelled, CellStatus.CANCELLED, Optional.empty());
                return false;
            }
            CellResult result;
            try {
                result = executor.execute(kernel, index, code.source().text(), Optional.empty(), events(index));
            } catch (RunException e) {
                result = new CellResult.KernelDied(e.getMessage());
            }
            save(index);
            return ended(index, result);
        }

        CellExecutor.Events events(int index) {
            return new CellExecutor.Events() {
                @Override
                public void executionCount(int count) {
                    counts.set(index, Optional.of(count));
                    dirty = true;
                }

                @Override
                public void outputsChanged() {
                    dirty = true;
                }

                @Override
                public void tick() {
                    boolean changed;
                    synchronized (lock) {
                        changed = dirty;
                    }
                    if (changed) {
                        save(index);
                    }
                }
            };
        }

        /** Decides how a cell that ran ended; false when the execution ends with it. */
        boolean ended(int index, CellResult result) {
            Optional<Problem> cancelled = job.cancelled;
            switch (result) {
                case CellResult.Replied(ExecuteReply reply) when reply.status() == ExecuteReply.Status.OK -> {
                    publish(record.withCell(index, c -> c.ended(CellStatus.SUCCEEDED, Optional.empty())));
                    return true;
                }
                case CellResult.Replied(ExecuteReply reply) -> {
                    if (cancelled.isPresent()) {
                        publish(record.withCell(index, c -> c.ended(CellStatus.CANCELLED, cancelled)));
                        finish(ExecutionStatus.CANCELLED, cancelled, CellStatus.CANCELLED, Optional.empty());
                        return false;
                    }
                    String ename = reply.ename().orElse(reply.status() == ExecuteReply.Status.ABORTED ? "Aborted" : "");
                    String evalue = reply.evalue().orElse(reply.status() == ExecuteReply.Status.ABORTED
                            ? "the kernel aborted the execution" : "");
                    Problem failed = new Problem("cell_error", "cell '" + job.cellIds.get(index) + "' raised "
                            + ename + (evalue.isEmpty() ? "" : ": " + evalue), Optional.of(ename),
                            Optional.of(evalue));
                    publish(record.withCell(index, c -> c.ended(CellStatus.FAILED, Optional.of(failed))));
                    finish(ExecutionStatus.FAILED, Optional.of(failed), CellStatus.SKIPPED, Optional.of(Problem.of(
                            "previous_cell_failed", "not run because cell '" + job.cellIds.get(index) + "' failed")));
                    return false;
                }
                case CellResult.KernelDied(String message) -> {
                    if (cancelled.isPresent()) {
                        publish(record.withCell(index, c -> c.ended(CellStatus.CANCELLED, cancelled)));
                        finish(ExecutionStatus.CANCELLED, cancelled, CellStatus.CANCELLED, Optional.empty());
                        return false;
                    }
                    Problem died = Problem.of("kernel_died", "the kernel died while cell '" + job.cellIds.get(index)
                            + "' ran: " + message);
                    publish(record.withCell(index, c -> c.ended(CellStatus.FAILED, Optional.of(died))));
                    finish(ExecutionStatus.FAILED, Optional.of(died), CellStatus.SKIPPED, Optional.empty());
                    return false;
                }
                case CellResult.TimedOut(Duration limit, Optional<String> ignored) -> {
                    // executions have no timeout; kept for completeness of the switch
                    Problem late = Problem.of("timed_out", "cell '" + job.cellIds.get(index) + "' ran over " + limit);
                    publish(record.withCell(index, c -> c.ended(CellStatus.FAILED, Optional.of(late))));
                    finish(ExecutionStatus.FAILED, Optional.of(late), CellStatus.SKIPPED, Optional.empty());
                    return false;
                }
            }
        }

        void skip(int index, Problem why) {
            publish(record.withCell(index, c -> c.ended(CellStatus.SKIPPED, Optional.of(why))));
        }

        /** Saves a cell's outputs as they stand into the file and into the record. */
        void save(int index) {
            List<Output> captured;
            Optional<Integer> count;
            synchronized (lock) {
                captured = List.copyOf(outputs.get(index));
                count = counts.get(index);
                dirty = false;
            }
            publish(record.withCell(index, c -> c.with(c.status(), count, captured, c.error())));
            if (fileGone) {
                return;
            }
            String cellId = job.cellIds.get(index);
            try {
                if (!notebooks.writeOutputs(job.caller, path, cellId, captured, count)) {
                    LOG.info("execution {}: cell '{}' left '{}' while it ran; its outputs are kept in the execution",
                            job.id, cellId, path);
                }
            } catch (ContentsNotFoundException e) {
                fileGone = true;
                LOG.info("execution {}: '{}' was deleted; outputs are kept in the execution only", job.id, path);
            } catch (ContentsException e) {
                LOG.warn("execution {} could not save the outputs of cell '{}' into '{}': {}", job.id, cellId, path,
                        e.getMessage());
            }
        }

        void finish(ExecutionStatus status, Optional<Problem> why, CellStatus rest, Optional<Problem> restWhy) {
            publish(record.finished(status, clock.instant(), why, rest, restWhy));
        }

        void publish(ExecutionRecord next) {
            record = next;
            registry.put(next);
        }
    }
}
