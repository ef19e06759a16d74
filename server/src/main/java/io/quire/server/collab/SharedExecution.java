package io.quire.server.collab;

import io.quire.collab.CollabException;
import io.quire.collab.Delta;
import io.quire.collab.DeltaHeader;
import io.quire.collab.DeltaLog;
import io.quire.collab.DeltaRejectedException;
import io.quire.collab.FencedException;
import io.quire.collab.KernelLease;
import io.quire.collab.LeaseProgress;
import io.quire.collab.LeaseState;
import io.quire.collab.RejectReason;
import io.quire.collab.SequencedDelta;
import io.quire.execution.CellExecutor;
import io.quire.execution.CellResult;
import io.quire.execution.RunException;
import io.quire.kernel.ExecuteReply;
import io.quire.kernel.KernelOwner;
import io.quire.kernel.RunningKernel;
import io.quire.kernels.KernelRequest;
import io.quire.kernels.ManagedKernelInfo;
import io.quire.notebook.Cell;
import io.quire.notebook.CodeCell;
import io.quire.notebook.ErrorOutput;
import io.quire.notebook.Notebook;
import io.quire.notebook.Output;
import io.quire.server.collab.SharedExecutionEvent.CellState;
import io.quire.server.collab.SharedExecutionEvent.CellStateChanged;
import io.quire.server.collab.SharedExecutionEvent.KernelStatus;
import io.quire.server.collab.SharedExecutionEvent.KernelStatusChanged;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared execution of one notebook file on one server node: it observes the file's {@link DeltaLog}, queues its
 * execute requests in log order, and, while this node holds the file's kernel lease, runs them on the file's kernel
 * and writes the outputs back into the log. Obtain one from {@link SharedExecutions#open}.
 *
 * <p><b>Queue.</b> Each sequenced {@link Delta.ExecuteRequest} becomes a request whose target is expanded against the
 * document at its seq (code cells only, in order) and whose cells' sources are taken from that document, so an edit
 * sequenced after the request does not change what runs. Requests run one after another in seq order; within one,
 * a cell that fails cancels the rest (Jupyter's stop on error). A cell deleted (or turned into markdown) before its
 * turn is skipped; one deleted while it runs finishes on the kernel, and its outputs are dropped.
 *
 * <p><b>Outputs.</b> A cell's run is persisted as deltas by the author {@link SharedExecutions#author()}:
 * {@code clear_outputs} when it starts, then, every flush interval while its outputs change, {@code append_outputs}
 * (stream chunks coalesced) or {@code replace_outputs} (after {@code clear_output} or {@code update_display_data}),
 * and {@code replace_outputs} with the execution count when it ends. Each is appended under the lease's fence, so a
 * node that lost the lease persists nothing more.
 *
 * <p><b>Lease.</b> The worker acquires the file's lease before running anything (a node that cannot, waits: another
 * node runs the queue) and records its progress with the lease (last request done, cell running). The lease is
 * renewed by {@link #checkLease()}, which {@link SharedExecutions} calls periodically, and released by
 * {@link #close()}. A node that acquires an expired lease whose holder was running a cell appends an error output
 * {@code Interrupted} to that cell, reports it {@link CellState#INTERRUPTED}, cancels the rest of its request, and
 * goes on with the later requests on a new kernel. A node that finds its lease lost shuts its kernel down and reports
 * {@link KernelStatus#DEAD}.
 *
 * <p><b>Threads.</b> One worker (a task on the executor of {@link SharedExecutions}) runs while there is work; it is
 * the only thread that runs cells and writes outputs. Control calls ({@link #interrupt}, {@link #restart},
 * {@link #shutdown}) come from any thread; they flag the queue under the lock and act on the kernel outside it.
 * State shared by them is guarded by {@code lock}; the captured outputs by {@code outputsLock}.
 */
public final class SharedExecution implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedExecution.class);
    private static final int TRACKED_CELLS = 100;
    private static final String NO_KERNEL_YET = "no kernel is running for this file";

    private final UUID fileId;
    private final DeltaLog log;
    private final FileContext context;
    private final SharedExecutions.Settings settings;
    private final List<SharedExecutionListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private final Object outputsLock = new Object();
    private volatile DeltaLog.Subscription subscription;

    // guarded by lock
    private final TreeMap<Long, Request> pending = new TreeMap<>();
    private Optional<KernelLease> lease = Optional.empty();
    private Optional<String> kernelId = Optional.empty();
    private CellExecutor executor;
    private KernelStatus status = KernelStatus.DEAD;
    private Optional<String> statusReason = Optional.of(NO_KERNEL_YET);
    private Run current;
    private boolean workerActive;
    private boolean closed;
    private long doneSeq;

    // guarded by outputsLock: the outputs of recently run cells, by run index (display ids may reach back)
    private final Map<Integer, Tracked> tracked = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Tracked> eldest) {
            return size() > TRACKED_CELLS;
        }
    };
    private int runIndex;

    /** An execute request of the log. Fields other than the final ones are guarded by lock. */
    private static final class Request {
        final long seq;
        final String author;
        final List<String> cellIds;
        final Map<String, String> sources;
        int next;
        boolean cancelled;

        Request(long seq, String author, List<String> cellIds, Map<String, String> sources) {
            this.seq = seq;
            this.author = author;
            this.cellIds = cellIds;
            this.sources = sources;
        }
    }

    /** The request the worker runs; {@code stop} says why its running cell was stopped, if it was. */
    private static final class Run {
        final Request request;
        volatile Optional<String> stop = Optional.empty();

        Run(Request request) {
            this.request = request;
        }
    }

    /** One cell's captured and persisted outputs. */
    private static final class Tracked {
        final long executeSeq;
        final String cellId;
        final List<Output> live = new ArrayList<>(); // guarded by outputsLock
        List<Output> persisted = List.of();           // worker only
        Optional<Integer> count = Optional.empty();   // guarded by outputsLock
        boolean resync;                               // worker only
        volatile boolean gone;
        volatile boolean lost;
        boolean finished;

        Tracked(long executeSeq, String cellId) {
            this.executeSeq = executeSeq;
            this.cellId = cellId;
        }
    }

    /** How persisting one delta went. */
    private enum Persisted { OK, CELL_GONE, LEASE_LOST, FAILED }

    SharedExecution(DeltaLog log, FileContext context, SharedExecutions.Settings settings) {
        this.fileId = log.fileId();
        this.log = log;
        this.context = Objects.requireNonNull(context, "context");
        this.settings = settings;
    }

    /** Subscribes to the log and queues the execute requests not yet done. Called once, by SharedExecutions. */
    void start() {
        subscription = log.addListener(this::onDelta);
        long done = settings.leases().read(fileId).map(state -> state.progress().doneSeq()).orElse(0L);
        synchronized (lock) {
            doneSeq = Math.max(doneSeq, done);
        }
        for (SequencedDelta logged : log.deltasAfter(Math.min(done, log.head()))) {
            if (logged.delta() instanceof Delta.ExecuteRequest) {
                enqueue(logged, log.asOf(logged.seq()));
            }
        }
        ensureWorker();
    }

    /** @return the file */
    public UUID fileId() {
        return fileId;
    }

    /**
     * Registers a listener of this file's events.
     *
     * @param listener the listener
     * @return closing it removes the listener
     */
    public DeltaLog.Subscription addListener(SharedExecutionListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * The state as it stands, for a client that just subscribed: the kernel's status and the state of every cell
     * queued or running on this node, as events it can apply like later ones.
     *
     * @return the status
     */
    public Status status() {
        synchronized (lock) {
            List<CellStateChanged> cells = new ArrayList<>();
            for (Request request : pending.values()) {
                if (request.cancelled) {
                    continue;
                }
                for (int i = 0; i < request.cellIds.size(); i++) {
                    boolean running = current != null && current.request == request && i == request.next - 1;
                    if (running || i >= request.next) {
                        cells.add(cellEvent(request.seq, request.cellIds.get(i), running ? CellState.RUNNING
                                : CellState.QUEUED, Optional.empty()));
                    }
                }
            }
            return new Status(new KernelStatusChanged(fileId, status, statusReason), lease.isPresent(), cells);
        }
    }

    /**
     * The state of a file's execution on this node.
     *
     * @param kernel     the kernel's status
     * @param holdsLease whether this node holds the file's kernel lease (runs its executions)
     * @param cells      the cells queued or running, in run order
     */
    public record Status(KernelStatusChanged kernel, boolean holdsLease, List<CellStateChanged> cells) {
        /** Validates and copies the fields. */
        public Status {
            Objects.requireNonNull(kernel, "kernel");
            cells = List.copyOf(cells);
        }
    }

    /**
     * Interrupts the running cell (it ends {@link CellState#INTERRUPTED}) and cancels every queued cell, as
     * Jupyter's stop on error does after a {@code KeyboardInterrupt}. Execute requests sequenced afterwards run
     * normally. Only the node holding the file's lease can interrupt; others answer {@link ControlResult#ELSEWHERE}.
     *
     * @param by who asked (named in the reasons)
     * @return what happened
     */
    public ControlResult interrupt(String by) {
        String reason = "interrupted by " + Objects.requireNonNull(by, "by");
        Optional<String> id;
        synchronized (lock) {
            if (lease.isEmpty()) {
                return elsewhereOrNone();
            }
            boolean queued = pending.values().stream().anyMatch(request -> !request.cancelled);
            if (kernelId.isEmpty() && !queued) {
                return ControlResult.NO_KERNEL;
            }
            id = kernelId;
            cancelQueued(reason);
        }
        if (id.isPresent()) {
            try {
                settings.kernels().interrupt(id.get());
            } catch (RuntimeException e) {
                LOG.info("file {}: interrupting kernel {} failed: {}", fileId, id.get(), e.getMessage());
            }
        }
        return ControlResult.APPLIED;
    }

    /**
     * Restarts the kernel: queued cells are cancelled, the running cell ends {@link CellState#INTERRUPTED}, and the
     * status goes {@link KernelStatus#RESTARTING} then {@link KernelStatus#IDLE} (or {@link KernelStatus#DEAD} if the
     * restart fails). Blocks until the kernel is ready again.
     *
     * @param by who asked
     * @return what happened
     */
    public ControlResult restart(String by) {
        String reason = "kernel restarted by " + Objects.requireNonNull(by, "by");
        Optional<String> id;
        synchronized (lock) {
            if (lease.isEmpty() || kernelId.isEmpty()) {
                return elsewhereOrNone();
            }
            id = kernelId;
            cancelQueued(reason);
        }
        setStatus(KernelStatus.RESTARTING, Optional.of(reason));
        try {
            settings.kernels().restart(id.get());
            setStatus(KernelStatus.IDLE, Optional.empty());
        } catch (RuntimeException e) {
            forgetKernel(id.get(), "the restart failed: " + e.getMessage());
        }
        return ControlResult.APPLIED;
    }

    /**
     * Shuts the kernel down: queued cells are cancelled, the running cell ends {@link CellState#INTERRUPTED}, the
     * status goes {@link KernelStatus#DEAD}. The next execute request starts a new kernel. This node keeps the lease.
     *
     * @param by who asked
     * @return what happened
     */
    public ControlResult shutdown(String by) {
        String reason = "kernel shut down by " + Objects.requireNonNull(by, "by");
        Optional<String> id;
        synchronized (lock) {
            if (lease.isEmpty() || kernelId.isEmpty()) {
                return elsewhereOrNone();
            }
            id = kernelId;
            cancelQueued(reason);
        }
        forgetKernel(id.get(), reason);
        return ControlResult.APPLIED;
    }

    /**
     * Renews this node's lease, or, when it holds none, checks whether the file has work and a free or expired lease
     * and then starts the worker to take it. Reads the deltas other nodes appended first. Called periodically by
     * {@link SharedExecutions}; tests call it directly.
     */
    public void checkLease() {
        synchronized (lock) {
            if (closed) {
                return;
            }
        }
        try {
            log.refresh();
        } catch (RuntimeException e) {
            LOG.warn("file {}: reading the log failed: {}", fileId, e.toString());
        }
        Optional<KernelLease> held;
        synchronized (lock) {
            held = lease;
        }
        if (held.isPresent()) {
            Optional<KernelLease> renewed = settings.leases().renew(held.get(), settings.leaseTtl());
            if (renewed.isEmpty()) {
                lost(held.get(), "this node lost the file's kernel lease (epoch " + held.get().epoch() + ")");
                return;
            }
            synchronized (lock) {
                if (lease.isPresent() && lease.get().epoch() == renewed.get().epoch()) {
                    lease = renewed;
                }
            }
        } else {
            Optional<LeaseState> state = settings.leases().read(fileId);
            state.ifPresent(this::pruneDone);
            if (state.isPresent() && !state.get().lease().expiredAt(settings.leases().clock().instant())) {
                return;
            }
        }
        ensureWorker();
    }

    /**
     * Stops: no more cells start, the kernel is shut down, and the lease is released (with its progress, so another
     * node with clients of the file takes the queue over and marks a cell cut off here as interrupted).
     */
    @Override
    public void close() {
        Optional<String> id;
        Optional<KernelLease> held;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            id = kernelId;
            held = lease;
            kernelId = Optional.empty();
            lease = Optional.empty();
            if (current != null) {
                current.stop = Optional.of("the server node stopped");
            }
        }
        DeltaLog.Subscription subscribed = subscription;
        if (subscribed != null) {
            subscribed.close();
        }
        id.ifPresent(this::shutdownQuietly);
        held.ifPresent(l -> {
            try {
                settings.leases().release(l);
            } catch (RuntimeException e) {
                LOG.warn("file {}: releasing the kernel lease failed (it will expire): {}", fileId, e.toString());
            }
        });
        setStatus(KernelStatus.DEAD, Optional.of("the server node stopped"));
    }

    // ------------------------------------------------------------------------------------------------ the queue

    private void onDelta(SequencedDelta logged) {
        if (logged.delta() instanceof Delta.ExecuteRequest) {
            // called under the log's lock, so the state is the document right after this delta
            enqueue(logged, log.state().notebook());
            ensureWorker();
        }
    }

    private void enqueue(SequencedDelta logged, Notebook document) {
        Delta.ExecuteRequest execute = (Delta.ExecuteRequest) logged.delta();
        List<String> cellIds;
        try {
            cellIds = execute.target().resolve(document);
        } catch (DeltaRejectedException e) {
            LOG.warn("file {}: execute request {} does not fit the document at its seq: {}", fileId, logged.seq(),
                    e.getMessage());
            return;
        }
        Map<String, String> sources = new LinkedHashMap<>();
        for (String cellId : cellIds) {
            sources.put(cellId, document.cell(document.indexOf(cellId).orElseThrow()).source().text());
        }
        Request request = new Request(logged.seq(), execute.header().author(), List.copyOf(cellIds), sources);
        synchronized (lock) {
            if (closed || logged.seq() <= doneSeq || pending.containsKey(logged.seq())) {
                return;
            }
            pending.put(logged.seq(), request);
        }
        for (String cellId : cellIds) {
            emit(cellEvent(request.seq, cellId, CellState.QUEUED, Optional.empty()));
        }
    }

    private void pruneDone(LeaseState state) {
        synchronized (lock) {
            doneSeq = Math.max(doneSeq, state.progress().doneSeq());
            pending.headMap(doneSeq, true).clear();
        }
    }

    /** Flags every queued request cancelled and reports their cells; the running cell gets the reason. */
    private void cancelQueued(String reason) {
        List<CellStateChanged> cancelled = new ArrayList<>();
        for (Request request : pending.values()) {
            if (request.cancelled) {
                continue;
            }
            request.cancelled = true;
            for (int i = request.next; i < request.cellIds.size(); i++) {
                cancelled.add(cellEvent(request.seq, request.cellIds.get(i), CellState.CANCELLED,
                        Optional.of(reason)));
            }
        }
        if (current != null) {
            current.stop = Optional.of(reason);
        }
        cancelled.forEach(this::emit);
    }

    private ControlResult elsewhereOrNone() {
        Optional<LeaseState> state = settings.leases().read(fileId);
        boolean elsewhere = state.isPresent() && !state.get().lease().nodeId().equals(settings.nodeId())
                && !state.get().lease().expiredAt(settings.leases().clock().instant());
        return elsewhere ? ControlResult.ELSEWHERE : ControlResult.NO_KERNEL;
    }

    private void ensureWorker() {
        synchronized (lock) {
            if (workerActive || closed || pending.isEmpty()) {
                return;
            }
            workerActive = true;
        }
        try {
            settings.threads().execute(this::work);
        } catch (RejectedExecutionException e) {
            synchronized (lock) {
                workerActive = false;
            }
            LOG.warn("file {}: cannot start the execution worker: {}", fileId, e.getMessage());
        }
    }

    // ----------------------------------------------------------------------------------------------- the worker

    private void work() {
        try {
            while (true) {
                Request request;
                synchronized (lock) {
                    if (closed || pending.isEmpty()) {
                        workerActive = false;
                        if (kernelId.isPresent() && status == KernelStatus.BUSY) {
                            status = KernelStatus.IDLE;
                            statusReason = Optional.empty();
                            emit(new KernelStatusChanged(fileId, KernelStatus.IDLE, Optional.empty()));
                        }
                        return;
                    }
                    request = pending.firstEntry().getValue();
                }
                Optional<KernelLease> held = ensureLease();
                if (held.isEmpty()) {
                    synchronized (lock) {
                        workerActive = false;
                    }
                    return;
                }
                synchronized (lock) {
                    if (pending.get(request.seq) != request) {
                        continue; // a takeover found it done or cut off
                    }
                }
                if (!runRequest(request, held.get())) {
                    synchronized (lock) {
                        workerActive = false;
                    }
                    return;
                }
                synchronized (lock) {
                    if (closed) {
                        // the node is stopping: the progress keeps the cut-off cell for the next holder to mark
                        workerActive = false;
                        return;
                    }
                    pending.remove(request.seq);
                    doneSeq = Math.max(doneSeq, request.seq);
                }
                if (!record(held.get(), new LeaseProgress(request.seq, Optional.empty()))) {
                    synchronized (lock) {
                        workerActive = false;
                    }
                    return;
                }
            }
        } catch (RuntimeException | Error e) {
            synchronized (lock) {
                workerActive = false;
            }
            LOG.error("file {}: the execution worker failed", fileId, e);
            if (e instanceof Error error) {
                throw error;
            }
        }
    }

    /** The lease to run under: held (renewed when half spent), or acquired now; empty if another node holds it. */
    private Optional<KernelLease> ensureLease() {
        Optional<KernelLease> held;
        synchronized (lock) {
            held = lease;
        }
        if (held.isPresent()) {
            if (held.get().expiresAt().isAfter(settings.leases().clock().instant().plus(settings.leaseTtl()
                    .dividedBy(2)))) {
                return held;
            }
            Optional<KernelLease> renewed = settings.leases().renew(held.get(), settings.leaseTtl());
            if (renewed.isEmpty()) {
                lost(held.get(), "this node lost the file's kernel lease (epoch " + held.get().epoch() + ")");
                return Optional.empty();
            }
            synchronized (lock) {
                lease = renewed;
            }
            return renewed;
        }
        Optional<LeaseState> acquired = settings.leases().acquire(fileId, settings.nodeId(), settings.leaseTtl());
        if (acquired.isEmpty()) {
            return Optional.empty();
        }
        KernelLease taken = acquired.get().lease();
        synchronized (lock) {
            if (closed) {
                settings.leases().release(taken);
                return Optional.empty();
            }
            lease = Optional.of(taken);
        }
        LOG.info("file {}: node {} holds the kernel lease at epoch {}", fileId, settings.nodeId(), taken.epoch());
        pruneDone(acquired.get());
        Optional<LeaseProgress.RunningCell> cut = acquired.get().progress().running();
        if (cut.isPresent() && cut.get().executeSeq() > acquired.get().progress().doneSeq()) {
            if (!markInterrupted(taken, cut.get())) {
                return Optional.empty();
            }
        }
        return Optional.of(taken);
    }

    /** After a takeover: the cell the previous holder was running is marked interrupted, the rest of its request
     * cancelled. */
    private boolean markInterrupted(KernelLease taken, LeaseProgress.RunningCell cut) {
        String reason = "the server node running this cell stopped before it finished; node " + settings.nodeId()
                + " took the file's kernel over (lease epoch " + taken.epoch() + ") and the kernel's state was lost";
        ErrorOutput marker = ErrorOutput.of(SharedExecutions.INTERRUPTED_ENAME, reason, List.of());
        Persisted outcome = persist(new Delta.AppendOutputs(header(), cut.cellId(), List.of(marker)), taken);
        if (outcome == Persisted.LEASE_LOST) {
            return false;
        }
        emit(cellEvent(cut.executeSeq(), cut.cellId(), CellState.INTERRUPTED, Optional.of(reason)));
        List<CellStateChanged> cancelled = new ArrayList<>();
        synchronized (lock) {
            Request request = pending.remove(cut.executeSeq());
            if (request != null) {
                int at = request.cellIds.indexOf(cut.cellId());
                for (int i = at + 1; i < request.cellIds.size(); i++) {
                    cancelled.add(cellEvent(request.seq, request.cellIds.get(i), CellState.CANCELLED,
                            Optional.of("not run: cell '" + cut.cellId() + "' was interrupted")));
                }
            }
            doneSeq = Math.max(doneSeq, cut.executeSeq());
        }
        cancelled.forEach(this::emit);
        return record(taken, new LeaseProgress(cut.executeSeq(), Optional.empty()));
    }

    /** Runs the cells of one request; false when the lease was lost. */
    private boolean runRequest(Request request, KernelLease held) {
        Run run = new Run(request);
        synchronized (lock) {
            current = run;
        }
        try {
            for (int i = 0; i < request.cellIds.size(); i++) {
                String cellId = request.cellIds.get(i);
                synchronized (lock) {
                    if (request.cancelled || closed) {
                        return true; // its cells were reported cancelled when it was flagged
                    }
                    request.next = i + 1;
                }
                Optional<String> skip = skipReason(cellId);
                if (skip.isPresent()) {
                    emit(cellEvent(request.seq, cellId, CellState.SKIPPED, skip));
                    continue;
                }
                if (!record(held, new LeaseProgress(doneSeqNow(),
                        Optional.of(new LeaseProgress.RunningCell(request.seq, cellId))))) {
                    return false;
                }
                Optional<RunningKernel> kernel = ensureKernel(request);
                if (kernel.isEmpty()) {
                    emit(cellEvent(request.seq, cellId, CellState.ERROR, statusReasonNow()));
                    cancelRest(request, i + 1, "not run: the kernel could not start");
                    return true;
                }
                CellOutcome outcome = runCell(run, cellId, kernel.get(), held);
                switch (outcome) {
                    case LOST -> {
                        return false;
                    }
                    case CONTINUE -> {
                    }
                    case STOP -> {
                        cancelRest(request, i + 1, "not run: cell '" + cellId + "' did not finish");
                        return true;
                    }
                }
            }
            return true;
        } finally {
            synchronized (lock) {
                current = null;
            }
        }
    }

    private long doneSeqNow() {
        synchronized (lock) {
            return doneSeq;
        }
    }

    private Optional<String> statusReasonNow() {
        synchronized (lock) {
            return statusReason;
        }
    }

    private Optional<String> skipReason(String cellId) {
        Notebook now = log.document();
        Optional<Integer> at = now.indexOf(cellId);
        if (at.isEmpty()) {
            return Optional.of("cell '" + cellId + "' was deleted before its turn");
        }
        Cell cell = now.cell(at.get());
        if (!(cell instanceof CodeCell)) {
            return Optional.of("cell '" + cellId + "' is no longer a code cell but " + cell.cellType());
        }
        return Optional.empty();
    }

    private void cancelRest(Request request, int from, String reason) {
        List<CellStateChanged> cancelled = new ArrayList<>();
        synchronized (lock) {
            if (request.cancelled) {
                return; // already reported by an interrupt, restart or shutdown
            }
            for (int i = from; i < request.cellIds.size(); i++) {
                cancelled.add(cellEvent(request.seq, request.cellIds.get(i), CellState.CANCELLED,
                        Optional.of(reason)));
            }
            request.cancelled = true;
        }
        cancelled.forEach(this::emit);
    }

    private enum CellOutcome { CONTINUE, STOP, LOST }

    private CellOutcome runCell(Run run, String cellId, RunningKernel kernel, KernelLease held) {
        long seq = run.request.seq;
        Tracked cell = new Tracked(seq, cellId);
        int index;
        CellExecutor cells;
        synchronized (lock) {
            cells = executor;
        }
        synchronized (outputsLock) {
            index = runIndex++;
            tracked.put(index, cell);
        }
        switch (persist(new Delta.ClearOutputs(header(), cellId), held)) {
            case LEASE_LOST -> {
                return CellOutcome.LOST;
            }
            case CELL_GONE -> {
                emit(cellEvent(seq, cellId, CellState.SKIPPED, Optional.of("cell '" + cellId
                        + "' was deleted before its turn")));
                return CellOutcome.CONTINUE;
            }
            case OK, FAILED -> {
            }
        }
        emit(cellEvent(seq, cellId, CellState.RUNNING, Optional.empty()));
        setStatus(KernelStatus.BUSY, Optional.empty());
        String source = run.request.sources.get(cellId);
        if (source.isBlank()) {
            // as Jupyter front ends do: an empty cell is not sent to the kernel; it just loses its outputs
            cell.finished = true;
            emit(cellEvent(seq, cellId, CellState.DONE, Optional.empty()));
            return CellOutcome.CONTINUE;
        }
        CellResult result;
        {
            try {
                result = cells.execute(kernel, index, source, Optional.empty(), new CellExecutor.Events() {
                    @Override
                    public void executionCount(int count) {
                        cell.count = Optional.of(count);
                    }

                    @Override
                    public void tick() {
                        flush(cell, held, false);
                    }
                });
            } catch (RunException e) {
                result = new CellResult.KernelDied(String.valueOf(e.getMessage()));
            }
        }
        cell.finished = true;
        if (!cell.gone && !cell.lost) {
            flush(cell, held, true);
        }
        flushOthers(cell, held);
        if (cell.lost) {
            emit(cellEvent(seq, cellId, CellState.INTERRUPTED, Optional.of(run.stop.orElse(
                    "this node lost the file's kernel lease"))));
            return CellOutcome.LOST;
        }
        Optional<String> dropped = cell.gone ? Optional.of("cell '" + cellId + "' was deleted or changed type while"
                + " it ran; its outputs were dropped") : Optional.empty();
        Optional<Integer> count;
        synchronized (outputsLock) {
            count = cell.count;
        }
        Optional<String> stop = run.stop;
        switch (result) {
            case CellResult.Replied(ExecuteReply reply) when reply.status() == ExecuteReply.Status.OK -> {
                emit(new CellStateChanged(fileId, seq, cellId, CellState.DONE, dropped, count));
                return CellOutcome.CONTINUE;
            }
            case CellResult.Replied(ExecuteReply reply) -> {
                if (stop.isPresent()) {
                    emit(new CellStateChanged(fileId, seq, cellId, CellState.INTERRUPTED, stop, count));
                } else {
                    String ename = reply.ename().orElse(reply.status() == ExecuteReply.Status.ABORTED ? "Aborted"
                            : "Error");
                    emit(new CellStateChanged(fileId, seq, cellId, CellState.ERROR, Optional.of(ename
                            + reply.evalue().filter(v -> !v.isEmpty()).map(v -> ": " + v).orElse("")), count));
                }
                return CellOutcome.STOP;
            }
            case CellResult.KernelDied(String message) -> {
                if (stop.isPresent()) {
                    emit(new CellStateChanged(fileId, seq, cellId, CellState.INTERRUPTED, stop, count));
                } else {
                    String reason = "the kernel died while cell '" + cellId + "' ran: " + message;
                    emit(new CellStateChanged(fileId, seq, cellId, CellState.ERROR, Optional.of(reason), count));
                    Optional<String> id;
                    synchronized (lock) {
                        id = kernelId;
                    }
                    id.ifPresent(kernel1 -> forgetKernel(kernel1, reason));
                }
                return CellOutcome.STOP;
            }
            case CellResult.TimedOut(java.time.Duration limit, Optional<String> ignored) -> {
                emit(new CellStateChanged(fileId, seq, cellId, CellState.ERROR, Optional.of("ran over " + limit),
                        count));
                return CellOutcome.STOP;
            }
        }
    }

    /** Persists what changed in a cell's outputs; at the end, the whole list with the execution count. */
    private void flush(Tracked cell, KernelLease held, boolean last) {
        if (cell.gone || cell.lost) {
            return;
        }
        List<Output> live;
        Optional<Integer> count;
        synchronized (outputsLock) {
            live = List.copyOf(cell.live);
            count = cell.count;
        }
        OutputBatches.Step step = last || cell.resync ? new OutputBatches.Step.Replace(OutputBatches.coalesce(live))
                : OutputBatches.step(cell.persisted, live);
        Delta delta;
        List<Output> sent;
        boolean replace;
        switch (step) {
            case OutputBatches.Step.None ignored -> {
                return;
            }
            case OutputBatches.Step.Append(List<Output> outputs) -> {
                delta = new Delta.AppendOutputs(header(), cell.cellId, outputs);
                sent = outputs;
                replace = false;
            }
            case OutputBatches.Step.Replace(List<Output> outputs) -> {
                delta = new Delta.ReplaceOutputs(header(), cell.cellId, outputs, last ? count : Optional.empty());
                sent = outputs;
                replace = true;
            }
        }
        switch (persist(delta, held)) {
            case OK -> {
                List<Output> persisted = new ArrayList<>(replace ? List.of() : cell.persisted);
                persisted.addAll(sent);
                cell.persisted = List.copyOf(persisted);
                cell.resync = false;
                emit(new SharedExecutionEvent.OutputChunk(fileId, cell.executeSeq, cell.cellId, sent, replace));
            }
            case CELL_GONE -> cell.gone = true;
            case LEASE_LOST -> cell.lost = true;
            case FAILED -> cell.resync = true;
        }
    }

    /** Earlier cells whose outputs an {@code update_display_data} changed. */
    private void flushOthers(Tracked running, KernelLease held) {
        List<Tracked> others;
        synchronized (outputsLock) {
            others = tracked.values().stream().filter(t -> t != running && t.finished && !t.gone).toList();
        }
        for (Tracked other : others) {
            List<Output> live;
            synchronized (outputsLock) {
                live = List.copyOf(other.live);
            }
            if (!(OutputBatches.step(other.persisted, live) instanceof OutputBatches.Step.None)) {
                flushReplaceOnly(other, held, live);
            }
        }
    }

    private void flushReplaceOnly(Tracked cell, KernelLease held, List<Output> live) {
        List<Output> outputs = OutputBatches.coalesce(live);
        switch (persist(new Delta.ReplaceOutputs(header(), cell.cellId, outputs, Optional.empty()), held)) {
            case OK -> {
                cell.persisted = outputs;
                emit(new SharedExecutionEvent.OutputChunk(fileId, cell.executeSeq, cell.cellId, outputs, true));
            }
            case CELL_GONE -> cell.gone = true;
            case LEASE_LOST -> cell.lost = true;
            case FAILED -> {
            }
        }
    }

    private List<Output> outputsOf(int index) {
        // called by the cell executor with outputsLock held
        Tracked cell = tracked.get(index);
        return cell == null ? new ArrayList<>() : cell.live;
    }

    private Persisted persist(Delta delta, KernelLease held) {
        try {
            log.submit(delta, held.fence());
            return Persisted.OK;
        } catch (FencedException e) {
            lost(held, "this node lost the file's kernel lease: " + e.getMessage());
            return Persisted.LEASE_LOST;
        } catch (DeltaRejectedException e) {
            if (e.reason() == RejectReason.CELL_NOT_FOUND || e.reason() == RejectReason.CELL_DELETED
                    || e.reason() == RejectReason.NOT_A_CODE_CELL) {
                return Persisted.CELL_GONE;
            }
            LOG.warn("file {}: output delta refused: {}", fileId, e.getMessage());
            return Persisted.FAILED;
        } catch (CollabException | io.quire.store.StoreException e) {
            LOG.warn("file {}: persisting an output delta failed: {}", fileId, e.getMessage());
            return Persisted.FAILED;
        }
    }

    private boolean record(KernelLease held, LeaseProgress progress) {
        try {
            if (settings.leases().recordProgress(held, progress)) {
                return true;
            }
        } catch (RuntimeException e) {
            LOG.warn("file {}: recording progress with the lease failed: {}", fileId, e.toString());
            return true; // the lease may still be ours; the next renewal decides
        }
        lost(held, "this node lost the file's kernel lease (epoch " + held.epoch() + ")");
        return false;
    }

    private DeltaHeader header() {
        return new DeltaHeader(UUID.randomUUID(), fileId, settings.author(), log.head());
    }

    // ----------------------------------------------------------------------------------------------- the kernel

    private Optional<RunningKernel> ensureKernel(Request request) {
        Optional<String> id;
        synchronized (lock) {
            id = kernelId;
        }
        if (id.isPresent()) {
            try {
                return Optional.of(settings.kernels().running(id.get()));
            } catch (RuntimeException e) {
                forgetKernel(id.get(), "the kernel is gone: " + e.getMessage());
            }
        }
        String spec = log.document().kernelName().orElse(settings.kernels().defaultKernelName());
        setStatus(KernelStatus.STARTING, Optional.empty());
        KernelRequest start = KernelRequest.of(spec).withCwd(context.cwd()).withEnv(Map.of("JPY_SESSION_NAME",
                fileId.toString()));
        if (context.organisation().isPresent() && !request.author.startsWith("quire:")) {
            start = start.withOwner(new KernelOwner(request.author, context.organisation().get()));
        }
        ManagedKernelInfo info;
        RunningKernel kernel;
        try {
            info = settings.kernels().start(start);
            kernel = settings.kernels().running(info.id());
        } catch (RuntimeException e) {
            setStatus(KernelStatus.DEAD, Optional.of("kernel '" + spec + "' could not start: " + e.getMessage()));
            return Optional.empty();
        }
        synchronized (lock) {
            if (closed || lease.isEmpty()) {
                shutdownQuietly(info.id());
                return Optional.empty();
            }
            kernelId = Optional.of(info.id());
            executor = CellExecutor.create(this::outputsOf, outputsLock, settings.leases().clock(),
                    settings.flushInterval());
        }
        setStatus(KernelStatus.IDLE, Optional.empty());
        return Optional.of(kernel);
    }

    private void forgetKernel(String id, String reason) {
        synchronized (lock) {
            if (kernelId.equals(Optional.of(id))) {
                kernelId = Optional.empty();
            }
        }
        shutdownQuietly(id);
        setStatus(KernelStatus.DEAD, Optional.of(reason));
    }

    private void shutdownQuietly(String id) {
        try {
            settings.kernels().shutdown(id);
        } catch (RuntimeException e) {
            LOG.debug("file {}: kernel {} was already gone: {}", fileId, id, e.getMessage());
        }
    }

    /** This node no longer holds the lease: stop running and persisting; another node runs the queue. */
    private void lost(KernelLease held, String reason) {
        Optional<String> id;
        synchronized (lock) {
            if (lease.isEmpty() || lease.get().epoch() != held.epoch()) {
                return;
            }
            lease = Optional.empty();
            id = kernelId;
            kernelId = Optional.empty();
            if (current != null) {
                current.stop = Optional.of(reason);
            }
        }
        LOG.warn("file {}: {}", fileId, reason);
        id.ifPresent(this::shutdownQuietly);
        setStatus(KernelStatus.DEAD, Optional.of(reason));
    }

    // ----------------------------------------------------------------------------------------------- events

    private void setStatus(KernelStatus next, Optional<String> reason) {
        synchronized (lock) {
            if (status == next && statusReason.equals(reason)) {
                return;
            }
            status = next;
            statusReason = reason;
        }
        emit(new KernelStatusChanged(fileId, next, reason));
    }

    private CellStateChanged cellEvent(long seq, String cellId, CellState state, Optional<String> reason) {
        return new CellStateChanged(fileId, seq, cellId, state, reason, Optional.empty());
    }

    private void emit(SharedExecutionEvent event) {
        for (SharedExecutionListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("file {}: an execution listener failed on {}", fileId, event, e);
            }
        }
    }
}
