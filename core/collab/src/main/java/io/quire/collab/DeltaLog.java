package io.quire.collab;

import io.quire.collab.Documents.IndexEffect;
import io.quire.collab.spi.DeltaStore;
import io.quire.notebook.Notebook;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sequencer of one notebook file: it puts the file's deltas in one order, transforms each delta against the
 * deltas its author had not seen, persists it, and only then acknowledges it.
 *
 * <p><b>Submitting.</b> A delta based on sequence number n is transformed against the logged deltas n+1..head: a text
 * edit of a cell against every concurrent edit of that cell (ties broken by {@link Delta#precedes(Delta)}); an insert
 * or move position against concurrent inserts, deletes and moves; a delta that names a cell a concurrent delta
 * deleted is refused ({@link RejectReason#CELL_DELETED}). Then it is applied to the current document, which refuses
 * anything that does not fit (missing cell, index out of range, ...). Only a delta that applies is given seq head+1
 * and appended to the {@link DeltaStore}; the in-memory document moves on after the store accepted it, and the
 * {@link Ack} is returned last. A failure anywhere before leaves the log and the document as they were.
 *
 * <p><b>Idempotency.</b> A delta whose id is already in the log is not applied again: its original {@link Ack} is
 * returned (whatever the retry's content; ids are the client's promise of identity).
 *
 * <p><b>Several writers.</b> The store refuses a seq that is not the next one. When another sequencer (another server
 * node) appended first, this one reads the deltas it missed, applies them, and sequences the delta again, up to
 * {@link Config#maxAttempts()} times.
 *
 * <p><b>Snapshots.</b> Every {@link Config#snapshotEvery()} deltas the document is saved as a {@link Snapshot}; opening
 * a log loads the latest snapshot and applies the deltas after it, and {@link #asOf(long)} does the same for any past
 * position. Seq 0 is the document the log started from.
 *
 * <p><b>Listeners.</b> {@link #addListener} registers a {@link DeltaListener}, told of every delta in seq order right
 * after it became part of the document: deltas submitted here and deltas of other writers read while catching up.
 *
 * <p><b>Fenced appends.</b> {@link #submit(Delta, Fence)} appends only while the file's kernel lease is held by the
 * fence's node and epoch (see {@link KernelLeases}); the kernel's output deltas are submitted that way.
 *
 * <p><b>Concurrency.</b> One lock per file, held while sequencing (including the store's append, so deltas of one file
 * are persisted in order); different files never wait for each other. Readers of {@link #state()} take no lock.
 */
public final class DeltaLog {
    private static final Logger LOG = LoggerFactory.getLogger(DeltaLog.class);

    /**
     * How a log behaves.
     *
     * @param snapshotEvery how many deltas between snapshots, at least 1
     * @param historyWindow how many recent deltas are kept in memory for transformation and retry detection; older
     *                      bases are served from the store, at least 1
     * @param maxAttempts   how many times a delta is sequenced again after another writer appended first
     * @param clock         the time deltas are accepted at (stored to the microsecond)
     */
    public record Config(int snapshotEvery, int historyWindow, int maxAttempts, Clock clock) {
        /** Validates the fields. */
        public Config {
            if (snapshotEvery < 1) {
                throw new IllegalArgumentException("snapshotEvery must be at least 1, got " + snapshotEvery);
            }
            if (historyWindow < 1) {
                throw new IllegalArgumentException("historyWindow must be at least 1, got " + historyWindow);
            }
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
            }
            Objects.requireNonNull(clock, "clock");
        }

        /** @return a snapshot every 100 deltas, 10,000 deltas in memory, 10 attempts, the system clock */
        public static Config defaults() {
            return new Config(100, 10_000, 10, Clock.systemUTC());
        }

        /**
         * @param n deltas between snapshots
         * @return this configuration with another snapshot interval
         */
        public Config withSnapshotEvery(int n) {
            return new Config(n, historyWindow, maxAttempts, clock);
        }

        /**
         * @param n deltas kept in memory
         * @return this configuration with another history window
         */
        public Config withHistoryWindow(int n) {
            return new Config(snapshotEvery, n, maxAttempts, clock);
        }

        /**
         * @param n attempts after conflicts with other writers
         * @return this configuration with another attempt limit
         */
        public Config withMaxAttempts(int n) {
            return new Config(snapshotEvery, historyWindow, n, clock);
        }

        /**
         * @param value the clock
         * @return this configuration with another clock
         */
        public Config withClock(Clock value) {
            return new Config(snapshotEvery, historyWindow, maxAttempts, value);
        }
    }

    /**
     * The document at a position of the log.
     *
     * @param seq      the last delta applied
     * @param notebook the document
     */
    public record State(long seq, Notebook notebook) {
        /** Validates the fields. */
        public State {
            Objects.requireNonNull(notebook, "notebook");
        }
    }

    /** A logged delta with what it did to the cell list. */
    private record Entry(SequencedDelta delta, IndexEffect effect) {
    }

    private final UUID fileId;
    private final DeltaStore store;
    private final Config config;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<DeltaListener> listeners = new CopyOnWriteArrayList<>();

    // guarded by lock
    private final List<Entry> window = new ArrayList<>();
    private final Map<UUID, Ack> windowAcks = new HashMap<>();
    private long windowStart;
    private long lastSnapshot;
    private volatile State state;

    private DeltaLog(UUID fileId, DeltaStore store, Config config, Snapshot snapshot) {
        this.fileId = fileId;
        this.store = store;
        this.config = config;
        this.state = new State(snapshot.seq(), snapshot.notebook());
        this.windowStart = snapshot.seq();
        this.lastSnapshot = snapshot.seq();
    }

    /**
     * Opens the log of a file: loads its latest snapshot and the deltas after it, or starts a new log from a document.
     *
     * @param fileId  the file
     * @param store   where the log is kept
     * @param initial the document a new log starts from (ignored when the store already has a log for the file);
     *                every cell needs a unique id (see {@link CellIds#ensure(Notebook)})
     * @param config  the configuration
     * @return the open log
     * @throws IllegalArgumentException if a new log's document has cells without ids or with duplicate ids
     */
    public static DeltaLog open(UUID fileId, DeltaStore store, Notebook initial, Config config) {
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(config, "config");
        Optional<Snapshot> latest = store.latestSnapshot(fileId, Long.MAX_VALUE);
        if (latest.isEmpty()) {
            if (store.head(fileId) > 0) {
                throw new IllegalStateException("the log of file " + fileId + " has deltas but no snapshot to "
                        + "replay them from");
            }
            Documents.requireCellIds(initial);
            store.saveSnapshot(new Snapshot(fileId, 0, now(config.clock()), initial));
            // another opener may have saved its own document first: the stored one wins
            latest = store.latestSnapshot(fileId, Long.MAX_VALUE);
        }
        DeltaLog log = new DeltaLog(fileId, store, config, latest.orElseThrow());
        log.lock.lock();
        try {
            log.catchUp();
        } finally {
            log.lock.unlock();
        }
        return log;
    }

    /** @return the file whose log this is */
    public UUID fileId() {
        return fileId;
    }

    /** @return the current document and the seq of the last delta in it (no lock taken) */
    public State state() {
        return state;
    }

    /** @return the current document */
    public Notebook document() {
        return state.notebook();
    }

    /** @return the seq of the last delta applied (0 before the first) */
    public long head() {
        return state.seq();
    }

    /**
     * Sequences a delta: transforms it against the deltas sequenced after its base, applies it, persists it, and
     * acknowledges it. A delta whose id is already in the log is acknowledged as it was the first time.
     *
     * @param delta the delta
     * @return the acknowledgement, given only after the delta was persisted
     * @throws DeltaRejectedException     if the delta is refused; nothing was persisted or applied
     * @throws SequenceConflictException  if other writers kept appending first, {@link Config#maxAttempts()} times
     * @throws RuntimeException           as thrown by the store; nothing was applied
     */
    public Ack submit(Delta delta) {
        return submit(delta, Optional.empty());
    }

    /**
     * Sequences a delta as {@link #submit(Delta)} does, but appends it only if the file's kernel lease is still held
     * by the fence's node at its epoch (checked by the store atomically with the append).
     *
     * @param delta the delta
     * @param fence the lease tenure the delta is written under
     * @return the acknowledgement, given only after the delta was persisted
     * @throws FencedException            if the lease is not held by that node at that epoch; nothing was persisted
     * @throws DeltaRejectedException     if the delta is refused; nothing was persisted or applied
     * @throws SequenceConflictException  if other writers kept appending first, {@link Config#maxAttempts()} times
     */
    public Ack submit(Delta delta, Fence fence) {
        return submit(delta, Optional.of(Objects.requireNonNull(fence, "fence")));
    }

    /**
     * Registers a listener of sequenced deltas (see {@link DeltaListener} for the calling rules). It is told of the
     * deltas sequenced after this call returns.
     *
     * @param listener the listener
     * @return closing it removes the listener; deltas being delivered at that moment may still reach it
     */
    public Subscription addListener(DeltaListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** A registration of a {@link DeltaListener}; closing it (idempotent) removes the listener. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        /** Removes the listener. */
        @Override
        void close();
    }

    private Ack submit(Delta delta, Optional<Fence> fence) {
        Objects.requireNonNull(delta, "delta");
        if (!delta.header().fileId().equals(fileId)) {
            throw new DeltaRejectedException(RejectReason.WRONG_FILE, "delta " + delta.deltaId() + " is for file "
                    + delta.header().fileId() + ", not " + fileId);
        }
        lock.lock();
        try {
            SequenceConflictException conflict = null;
            for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
                Optional<Ack> earlier = earlierAck(delta);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
                try {
                    return sequence(delta, fence);
                } catch (SequenceConflictException e) {
                    conflict = e;
                    LOG.debug("file {}: another writer appended first ({}); catching up", fileId, e.getMessage());
                    catchUp();
                }
            }
            throw conflict;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads the deltas other writers appended to the store since this log last looked, and applies them.
     *
     * @return the head afterwards
     */
    public long refresh() {
        lock.lock();
        try {
            catchUp();
            return state.seq();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The deltas after a position, as the log holds them (for a client catching up).
     *
     * @param afterSeq the client's position
     * @return the deltas after it, ascending
     * @throws IllegalArgumentException if the position is negative or ahead of the head
     */
    public List<SequencedDelta> deltasAfter(long afterSeq) {
        long head = head();
        requirePosition(afterSeq, head);
        return store.read(fileId, afterSeq, head);
    }

    /**
     * The document as it was after a delta: the latest snapshot at or before it plus the deltas up to it.
     *
     * @param seq the position, 0 (the document the log started from) to the head
     * @return the document then
     * @throws IllegalArgumentException if the position is negative or ahead of the head
     */
    public Notebook asOf(long seq) {
        requirePosition(seq, head());
        return replay(seq, seq, null);
    }

    /**
     * The document as it was at a time: after the last delta accepted at or before it (the starting document when
     * none was).
     *
     * @param time the time
     * @return the document then
     */
    public Notebook asOf(Instant time) {
        Objects.requireNonNull(time, "time");
        return asOf(Math.min(store.seqAt(fileId, time), head()));
    }

    // ------------------------------------------------------------------------------------------------ internals

    private Optional<Ack> earlierAck(Delta delta) {
        Ack known = windowAcks.get(delta.deltaId());
        if (known != null) {
            return Optional.of(known);
        }
        if (delta.header().baseSeq() >= windowStart) {
            // logged after its base, so it would be in the window; another writer's copy shows up as a conflict
            return Optional.empty();
        }
        return store.findByDeltaId(fileId, delta.deltaId()).map(SequencedDelta::ack);
    }

    private Ack sequence(Delta delta, Optional<Fence> fence) {
        State current = state;
        long base = delta.header().baseSeq();
        if (base > current.seq()) {
            catchUp();
            current = state;
            if (base > current.seq()) {
                throw new DeltaRejectedException(RejectReason.BASE_AHEAD, "delta " + delta.deltaId() + " is based "
                        + "on seq " + base + ", but the log of file " + fileId + " ends at " + current.seq());
            }
        }
        Delta transformed = delta;
        for (Entry entry : history(base)) {
            transformed = Transforms.against(transformed, entry.delta().delta(), entry.effect());
        }
        if (transformed != delta) {
            // shifted by concurrent deltas: keep it inside the document; an index the client sent is checked as is
            transformed = Transforms.clamp(transformed, current.notebook());
        }
        Documents.Applied applied = Documents.apply(current.notebook(), transformed);
        SequencedDelta logged = new SequencedDelta(current.seq() + 1, now(config.clock()), transformed);
        if (fence.isPresent()) {
            store.append(logged, fence.get());
        } else {
            store.append(logged);
        }
        commit(logged, applied);
        maybeSnapshot();
        return logged.ack();
    }

    private void commit(SequencedDelta logged, Documents.Applied applied) {
        state = new State(logged.seq(), applied.notebook());
        window.add(new Entry(logged, applied.effect()));
        windowAcks.put(logged.deltaId(), logged.ack());
        if (window.size() > 2 * config.historyWindow()) {
            List<Entry> dropped = window.subList(0, window.size() - config.historyWindow());
            dropped.forEach(entry -> windowAcks.remove(entry.delta().deltaId()));
            windowStart = dropped.getLast().delta().seq();
            dropped.clear();
        }
        for (DeltaListener listener : listeners) {
            try {
                listener.onDelta(logged);
            } catch (RuntimeException e) {
                LOG.warn("file {}: a delta listener failed on seq {}", fileId, logged.seq(), e);
            }
        }
    }

    private void maybeSnapshot() {
        State current = state;
        if (current.seq() - lastSnapshot < config.snapshotEvery()) {
            return;
        }
        try {
            store.saveSnapshot(new Snapshot(fileId, current.seq(), now(config.clock()), current.notebook()));
            lastSnapshot = current.seq();
        } catch (RuntimeException e) {
            // the delta is persisted and acknowledged; loading just replays more until a later snapshot succeeds
            LOG.warn("file {}: snapshot at seq {} failed, will try again: {}", fileId, current.seq(), e.toString());
        }
    }

    private void catchUp() {
        List<SequencedDelta> missed = store.read(fileId, state.seq(), Long.MAX_VALUE);
        for (SequencedDelta logged : missed) {
            if (logged.seq() != state.seq() + 1) {
                throw new IllegalStateException("the log of file " + fileId + " has a gap: seq " + logged.seq()
                        + " follows " + state.seq());
            }
            Documents.Applied applied;
            try {
                applied = Documents.apply(state.notebook(), logged.delta());
            } catch (DeltaRejectedException e) {
                throw new IllegalStateException("logged delta " + logged.seq() + " of file " + fileId
                        + " does not apply to the document before it: " + e.getMessage(), e);
            }
            commit(logged, applied);
        }
        if (!missed.isEmpty()) {
            lastSnapshot = Math.max(lastSnapshot, store.latestSnapshot(fileId, state.seq()).map(Snapshot::seq)
                    .orElse(0L));
            maybeSnapshot();
        }
    }

    /** The logged deltas after a base, with their effects: from memory, or replayed from the store. */
    private List<Entry> history(long base) {
        if (base >= windowStart) {
            return List.copyOf(window.subList((int) (base - windowStart), window.size()));
        }
        List<Entry> entries = new ArrayList<>();
        replay(base, state.seq(), entries);
        return entries;
    }

    /**
     * Replays from the latest snapshot at or before {@code from} up to {@code upTo}; collects the entries after
     * {@code from} when a list is given.
     */
    private Notebook replay(long from, long upTo, List<Entry> entries) {
        Snapshot snapshot = store.latestSnapshot(fileId, from).orElseThrow(() -> new IllegalStateException(
                "the log of file " + fileId + " has no snapshot at or before seq " + from));
        Notebook notebook = snapshot.notebook();
        for (SequencedDelta logged : store.read(fileId, snapshot.seq(), upTo)) {
            Documents.Applied applied = Documents.apply(notebook, logged.delta());
            notebook = applied.notebook();
            if (entries != null && logged.seq() > from) {
                entries.add(new Entry(logged, applied.effect()));
            }
        }
        return notebook;
    }

    private static void requirePosition(long seq, long head) {
        if (seq < 0 || seq > head) {
            throw new IllegalArgumentException("position " + seq + " is outside the log (0 to " + head + ")");
        }
    }

    private static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
