package io.quire.server.rtu;

import io.quire.collab.DeltaLog;
import io.quire.collab.DeltaLogs;
import io.quire.collab.SequencedDelta;
import io.quire.collab.Snapshot;
import io.quire.collab.rtu.RtuCodec;
import io.quire.collab.rtu.RtuEvent;
import io.quire.collab.spi.DeltaStore;
import io.quire.notebook.Notebook;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fan-out of one server node: the files with subscribers here, their sequencers ({@link DeltaLogs}) and who gets
 * their events.
 *
 * <p>Design. One {@link Topic} per file log. A topic remembers the last seq it published and, under its lock, sends
 * every later delta of the log to each active subscription in seq order, without gaps or repeats ({@link Topic#pump}).
 * It pumps after each delta sequenced on this node, and, for deltas other nodes sequenced into the shared
 * {@link DeltaStore}, a poller asks each topic with subscribers to {@link DeltaLog#refresh() refresh} its log and pump
 * every {@link RtuOptions#pollInterval()} (no LISTEN/NOTIFY needed, so CockroachDB works as PostgreSQL and H2 do).
 * A subscriber joins under the same lock, after the catch-up (deltas from its {@code from_seq}, or a snapshot), so it
 * misses nothing and gets nothing twice. Nothing here ever blocks on a client: events go into each connection's
 * bounded queue, and a connection whose queue overflows drops it and is told to resync (see {@code RtuEndpoint}).
 *
 * <p>Presence and execution events go to the subscribers of the same file on this node at once and, in team mode
 * ({@link #relayThrough}), to the other nodes through the store's {@code rtu_signals} table ({@link RtuSignals},
 * decision 0028): the poller reads what the others wrote right after the deltas, publishes it here (a relayed cell
 * state only if it is newer than the one already published), and announces other nodes' clients whose presence was
 * not repeated within {@link RtuOptions#presenceTtl()} as gone. A topic's first subscriber first reads what the others
 * wrote within that TTL, so it learns who is already there.
 */
public final class RtuHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RtuHub.class);

    private final DeltaLogs logs;
    private final DeltaStore store;
    private final RtuOptions options;
    private final Map<UUID, Topic> topics = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller;
    private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
    /** Writes live notebooks from their logs to their files or versions (decision 0029). */
    private final LogWrites writes;
    /** Team mode: the relay of ephemeral events to and from other nodes (decision 0028). */
    private volatile Optional<RtuSignals> signals = Optional.empty();
    /** Where relayed execution events are applied and published ({@link #orderExecutionEventsOn}). */
    private volatile Executor executionOrder = Runnable::run;
    /** Orders a topic's first read of recent signals with the poller's reads (see {@link Topic#prime}). */
    private final ReentrantLock signalsLock = new ReentrantLock();
    private long lastHeartbeat = System.nanoTime(); // poller only

    /**
     * Creates the hub.
     *
     * @param store   where the logs are (shared by every node of a cluster)
     * @param config  the configuration of each file's sequencer
     * @param options the channel's limits and poll interval
     */
    public RtuHub(DeltaStore store, DeltaLog.Config config, RtuOptions options) {
        this.logs = new DeltaLogs(Objects.requireNonNull(store, "store"), Objects.requireNonNull(config, "config"));
        this.store = store;
        this.options = Objects.requireNonNull(options, "options");
        this.writes = new LogWrites(options.writeAfter());
        if (options.pollInterval().isZero()) {
            poller = null;
        } else {
            poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("quire-rtu-poll")
                    .factory());
            long nanos = options.pollInterval().toNanos();
            poller.scheduleWithFixedDelay(this::pollAll, nanos, nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** @return the limits */
    public RtuOptions options() {
        return options;
    }

    /**
     * Relays presence and execution events to and from the other server nodes on a shared store (decision 0028):
     * what this node's subscribers and shared executions produce is written to the store's {@code rtu_signals}
     * table every poll interval, and what the others wrote is read with each poll and published here. Presence not
     * repeated within {@link RtuOptions#presenceTtl()} (a dead node's clients) is announced as left. Call once, before
     * clients connect; a hub that does not poll ({@link RtuOptions#pollInterval()} zero) ignores it.
     *
     * @param store  the store every node shares
     * @param nodeId this node's id (unique among the nodes)
     * @param clock  the clock of the signals' seqs and expiry (nodes' clocks must agree to well within the TTL)
     */
    public void relayThrough(io.quire.store.Store store, String nodeId, java.time.Clock clock) {
        if (poller == null) {
            return;
        }
        if (signals.isPresent()) {
            throw new IllegalStateException("this hub already relays through a store");
        }
        signals = Optional.of(new RtuSignals(store, nodeId, clock, options.pollInterval(), options.presenceTtl()));
    }

    /**
     * The sequencer of a file on this node (opened on first use).
     *
     * @param logId   the file's log id
     * @param initial the document a new log starts from
     * @return the log
     */
    public DeltaLog log(UUID logId, Supplier<Notebook> initial) {
        return logs.log(logId, initial);
    }

    /**
     * Publishes an execution event (kernel status, cell state, output chunk) to this node's subscribers of a file,
     * each under the file id it subscribed with. Shared execution calls this; nothing is persisted.
     *
     * @param logId the file's log id
     * @param event the event (its file id is replaced by each subscriber's)
     */
    public void publish(UUID logId, RtuEvent.Execution event) {
        Objects.requireNonNull(event, "event");
        Topic topic = topics.get(Objects.requireNonNull(logId, "logId"));
        if (topic == null) {
            return;
        }
        topic.lock.lock(); // a subscriber gets it after its 'subscribed', never before
        try {
            if (!topic.remember(event)) {
                return; // a relayed copy from the lease holder got here first (decision 0028)
            }
            if (relayed(event)) {
                signals.ifPresent(relay -> relay.emit(logId, event));
            }
            Map<String, String> texts = new HashMap<>();
            for (Subscription subscription : topic.subscribers) {
                if (subscription.active()) {
                    subscription.sink().offer(texts.computeIfAbsent(subscription.fileId(),
                            id -> RtuCodec.write(withFileId(event, id))));
                }
            }
        } finally {
            topic.lock.unlock();
        }
    }

    /**
     * The sequencer of a file if the file is being edited live: it has a topic on this node (someone subscribed
     * here) or a log in the store (someone subscribed on some node, or in an earlier run of a persistent store).
     * A whole-file save of such a file must go through its log ({@code CollabSaves}).
     *
     * <p>From then on this node also writes the file from its log when the log goes quiet (decision 0029).
     *
     * @param file the file (its log id, the document a log starts from if it has to be opened, where it is written)
     * @return the log, or empty if the file has none
     */
    public Optional<DeltaLog> liveLog(RtuAccess.File file) {
        Objects.requireNonNull(file, "file");
        UUID logId = file.logId();
        if (topics.containsKey(logId) || store.latestSnapshot(logId, 0).isPresent()) {
            DeltaLog log = logs.log(logId, file.initial());
            writes.track(log, file.writeback());
            return Optional.of(log);
        }
        return Optional.empty();
    }

    /** @return how this node writes live notebooks from their logs */
    LogWrites writes() {
        return writes;
    }

    /**
     * When a file's log started (its seq-0 snapshot was taken).
     *
     * @param logId the file's log id
     * @return the time, or empty if the file has no log
     */
    public Optional<java.time.Instant> logStart(UUID logId) {
        return store.latestSnapshot(Objects.requireNonNull(logId, "logId"), 0).map(Snapshot::takenAt);
    }

    /**
     * The seq of the last delta a file's log accepted at or before a time.
     *
     * @param logId the file's log id
     * @param time  the time
     * @return the seq, 0 when none was (the document the log started from)
     */
    public long seqAt(UUID logId, java.time.Instant time) {
        return store.seqAt(Objects.requireNonNull(logId, "logId"), Objects.requireNonNull(time, "time"));
    }

    /**
     * Publishes to this node's subscribers of a file the deltas sequenced on this node outside a connection since the
     * last fan-out (a merged save, the output deltas shared execution submits to the log directly).
     *
     * @param logId the file's log id
     */
    public void pump(UUID logId) {
        Topic topic = topics.get(Objects.requireNonNull(logId, "logId"));
        if (topic != null) {
            topic.pump();
        }
    }

    /**
     * Runs an action when the hub closes (the endpoint's idle checker stops with it).
     *
     * @param action the action
     */
    void closeWith(Runnable action) {
        onClose.add(Objects.requireNonNull(action, "action"));
    }

    /** @return how many subscriptions are active on this node */
    public int subscriptions() {
        return topics.values().stream().mapToInt(topic -> (int) topic.subscribers.stream()
                .filter(Subscription::active).count()).sum();
    }

    Topic topic(RtuAccess.File file) {
        UUID logId = file.logId();
        Topic existing = topics.get(logId);
        if (existing != null) {
            writes.track(existing.log, file.writeback());
            return existing;
        }
        DeltaLog log = logs.log(logId, file.initial());
        writes.track(log, file.writeback());
        return topics.computeIfAbsent(logId, id -> new Topic(log));
    }

    /**
     * Keeps reading a file's log every poll interval even when nobody here subscribes to it: its shared execution
     * must see execute requests other nodes sequence (decision 0020, "pickup delay").
     *
     * @param logId the file's log id (a file with a topic on this node)
     */
    void keepPolling(UUID logId) {
        Topic topic = topics.get(logId);
        if (topic != null) {
            topic.pinned = true;
        }
    }

    /**
     * Applies and publishes the execution events relayed from other nodes on the executor that publishes this
     * node's own execution events, after those already handed to it: this node reports a cell {@code queued} from the
     * execute delta it has just read (through that executor), and the holder's relayed {@code running} read in the
     * same poll must come after it, not overtake it.
     *
     * @param executor the single thread that publishes this node's execution events
     */
    void orderExecutionEventsOn(Executor executor) {
        executionOrder = Objects.requireNonNull(executor, "executor");
    }

    private void pollAll() {
        List<Topic> polled = new java.util.ArrayList<>();
        for (Topic topic : topics.values()) {
            if (topic.subscribers.isEmpty() && !topic.pinned) {
                topic.primed = false; // not followed: read the recent signals again when someone subscribes
                continue;
            }
            polled.add(topic);
        }
        Map<UUID, List<RtuSignals.Signal>> relayed = readSignals(polled);
        for (Topic topic : polled) {
            try {
                topic.poll();
            } catch (RuntimeException e) {
                LOG.warn("polling the log of file {} failed: {}", topic.log.fileId(), e.toString());
            }
        }
        if (signals.isEmpty()) {
            return;
        }
        for (Topic topic : polled) { // after the deltas: an output chunk never overtakes its output delta
            topic.applySignals(relayed.getOrDefault(topic.log.fileId(), List.of()), true);
            topic.expirePresence();
        }
        long every = options.presenceTtl().toNanos() / 3;
        if (System.nanoTime() - lastHeartbeat >= every) { // our clients are still here: tell the others again
            lastHeartbeat = System.nanoTime();
            for (Topic topic : topics.values()) {
                for (Subscription subscription : topic.subscribers) {
                    if (subscription.active()) {
                        subscription.presence().ifPresent(presence -> signals.get().emit(topic.log.fileId(),
                                presence));
                    }
                }
            }
        }
    }

    /** The signals other nodes wrote for the primed topics since the last poll, by file. */
    private Map<UUID, List<RtuSignals.Signal>> readSignals(List<Topic> polled) {
        Optional<RtuSignals> relay = signals;
        if (relay.isEmpty()) {
            return Map.of();
        }
        signalsLock.lock();
        try {
            List<UUID> files = polled.stream().filter(topic -> topic.primed).map(topic -> topic.log.fileId())
                    .toList();
            Map<UUID, List<RtuSignals.Signal>> byFile = new HashMap<>();
            for (RtuSignals.Signal signal : relay.get().poll(files)) {
                byFile.computeIfAbsent(signal.fileId(), id -> new java.util.ArrayList<>()).add(signal);
            }
            return byFile;
        } catch (RuntimeException e) {
            LOG.warn("reading the rtu signals of other nodes failed: {}", e.toString());
            return Map.of();
        } finally {
            signalsLock.unlock();
        }
    }

    /**
     * Whether other nodes need an execution event from this one: not {@code queued}, which every node with
     * subscribers of the file derives itself from the execute delta.
     */
    private static boolean relayed(RtuEvent.Execution event) {
        return !(event instanceof RtuEvent.CellState state && state.state().equals("queued"));
    }

    /**
     * What the other nodes last said about a file's kernel, for a subscriber of a node that does not run it.
     *
     * @param logId the file's log id
     * @return the last kernel status relayed from another node, if any
     */
    Optional<RtuEvent.KernelStatus> remoteKernel(UUID logId) {
        Topic topic = topics.get(logId);
        return topic == null ? Optional.empty() : Optional.ofNullable(topic.remoteKernel);
    }

    /**
     * The last state of a cell's execution published here (by this node or relayed from the lease holder).
     *
     * @param logId      the file's log id
     * @param executeSeq the execute request's seq
     * @param cellId     the cell
     * @return the state, if one was published
     */
    Optional<String> cellState(UUID logId, long executeSeq, String cellId) {
        Topic topic = topics.get(logId);
        if (topic == null) {
            return Optional.empty();
        }
        synchronized (topic.cellStates) {
            return Optional.ofNullable(topic.cellStates.get(executeSeq + ":" + cellId));
        }
    }

    private static int rank(String state) {
        return switch (state) {
            case "queued" -> 0;
            case "running" -> 1;
            default -> 2;
        };
    }

    private static RtuEvent.Execution withFileId(RtuEvent.Execution event, String fileId) {
        return switch (event) {
            case RtuEvent.KernelStatus e -> new RtuEvent.KernelStatus(fileId, e.state(), e.reason());
            case RtuEvent.CellState e -> new RtuEvent.CellState(fileId, e.executeSeq(), e.cellId(), e.state(),
                    e.reason(), e.executionCount());
            case RtuEvent.OutputChunk e -> new RtuEvent.OutputChunk(fileId, e.executeSeq(), e.cellId(), e.outputs(),
                    e.replace());
            case RtuEvent.KernelControlled e -> new RtuEvent.KernelControlled(fileId, e.action(), e.by(),
                    e.result());
        };
    }

    /**
     * Stops polling and writes every live notebook whose log moved since it was last written. Connections are closed
     * by the web server.
     */
    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
        writes.close();
        signals.ifPresent(RtuSignals::close); // what this node's leaving clients said goes out
        onClose.forEach(Runnable::run);
    }

    /** Another node's client here, and when this node last heard it was there. */
    private record Remote(RtuEvent.Presence presence, long heard) {
    }

    /** A relayed event under a subscriber's file id. */
    private static RtuEvent.Server named(RtuEvent.Server event, String fileId) {
        return switch (event) {
            case RtuEvent.Execution execution -> withFileId(execution, fileId);
            case RtuEvent.Presence p -> new RtuEvent.Presence(fileId, p.user(), p.clientId(), p.cellId(), p.cursor());
            case RtuEvent.PresenceLeft l -> new RtuEvent.PresenceLeft(fileId, l.user(), l.clientId());
            default -> throw new IllegalArgumentException("not a relayed event: " + RtuCodec.typeOf(event));
        };
    }

    /** The subscribers of one file on this node, and what has been published to them. */
    final class Topic {
        final DeltaLog log;
        final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
        private final ReentrantLock lock = new ReentrantLock();
        private long published; // guarded by lock
        private volatile boolean pinned;
        /** Whether the recent signals of other nodes were read (then the poller reads the new ones). */
        private volatile boolean primed;
        /** Other nodes' clients here, by client id (guarded by lock). */
        private final Map<String, Remote> remotePresence = new java.util.LinkedHashMap<>();
        /** The last signal seq applied per node (guarded by lock): a first read and a poll may overlap. */
        private final Map<String, Long> applied = new HashMap<>();
        /** The last state published per execute seq and cell, the newest 1,024 (guarded by itself). */
        private final Map<String, String> cellStates = new java.util.LinkedHashMap<>(16, 0.75f, false) {
            @java.io.Serial
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > 1024;
            }
        };
        private volatile RtuEvent.KernelStatus lastKernel;
        private volatile RtuEvent.KernelStatus remoteKernel;
        // leave() takes no lock: it runs from other topics' fan-out when a connection overflows (no lock ordering)

        Topic(DeltaLog log) {
            this.log = log;
            this.published = log.head();
        }

        /**
         * Records an execution event published here, so a relayed copy or an older state is not published again.
         *
         * @return false for a cell state no further along than one already published for that execution and cell
         *         (this node derives {@code queued} from the execute delta, which can come after the holder's
         *         relayed {@code running})
         */
        private boolean remember(RtuEvent.Execution event) {
            switch (event) {
                case RtuEvent.CellState state -> {
                    synchronized (cellStates) {
                        String key = state.executeSeq() + ":" + state.cellId();
                        String before = cellStates.get(key);
                        if (before != null && rank(before) >= rank(state.state())) {
                            return false;
                        }
                        cellStates.put(key, state.state());
                    }
                }
                case RtuEvent.KernelStatus status -> lastKernel = status;
                default -> {
                }
            }
            return true;
        }

        /**
         * Reads what other nodes said about this file within the last window (who is here, the kernel's status), so
         * a first subscriber here gets it in its catch-up; from then on the poller reads the new signals.
         */
        private void prime() {
            Optional<RtuSignals> relay = signals;
            if (relay.isEmpty() || primed) {
                return;
            }
            signalsLock.lock();
            try {
                List<RtuSignals.Signal> recent = relay.get().recent(log.fileId());
                remotePresence.clear();
                applied.clear();
                applySignals(recent, false);
                primed = true;
            } catch (RuntimeException e) {
                LOG.warn("reading the recent rtu signals of file {} failed: {}", log.fileId(), e.toString());
            } finally {
                signalsLock.unlock();
            }
        }

        /** Applies other nodes' signals in order; publishes them to the subscribers here when asked to. */
        void applySignals(List<RtuSignals.Signal> relayed, boolean publish) {
            if (relayed.isEmpty()) {
                return;
            }
            lock.lock();
            try {
                for (RtuSignals.Signal signal : relayed) {
                    Long last = applied.get(signal.nodeId());
                    if (last != null && signal.seq() <= last) {
                        continue;
                    }
                    applied.put(signal.nodeId(), signal.seq());
                    if (publish && signal.event() instanceof RtuEvent.Execution) {
                        publishInOrder(signal);
                        continue;
                    }
                    Optional<RtuEvent.Server> event = applySignal(signal);
                    if (publish && event.isPresent()) {
                        send(event.get());
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        private void publishInOrder(RtuSignals.Signal signal) {
            Runnable apply = () -> {
                lock.lock();
                try {
                    applySignal(signal).ifPresent(this::send);
                } finally {
                    lock.unlock();
                }
            };
            try {
                executionOrder.execute(apply);
            } catch (RejectedExecutionException e) {
                LOG.debug("not publishing a relayed execution event of file {}: the node is stopping", log.fileId());
            }
        }

        /** Updates what is known of other nodes from one signal; returns the event to publish here, if any. */
        private Optional<RtuEvent.Server> applySignal(RtuSignals.Signal signal) {
            switch (signal.event()) {
                case RtuEvent.Presence presence -> {
                    Remote before = remotePresence.put(presence.clientId(), new Remote(presence, System.nanoTime()));
                    return before != null && before.presence.equals(presence) ? Optional.empty()
                            : Optional.of(presence); // a repeat only keeps it alive
                }
                case RtuEvent.PresenceLeft left -> {
                    return remotePresence.remove(left.clientId()) == null ? Optional.empty() : Optional.of(left);
                }
                case RtuEvent.CellState state -> {
                    synchronized (cellStates) {
                        String key = state.executeSeq() + ":" + state.cellId();
                        String before = cellStates.get(key);
                        if (before != null && rank(before) >= rank(state.state())) {
                            return Optional.empty(); // known already, or older than what was published
                        }
                        cellStates.put(key, state.state());
                    }
                    return Optional.of(state);
                }
                case RtuEvent.KernelStatus status -> {
                    remoteKernel = status;
                    if (status.equals(lastKernel)) {
                        return Optional.empty();
                    }
                    lastKernel = status;
                    return Optional.of(status);
                }
                case RtuEvent.OutputChunk chunk -> {
                    return Optional.of(chunk);
                }
                case RtuEvent.KernelControlled control -> {
                    return Optional.of(control);
                }
                default -> {
                    LOG.debug("ignoring a relayed {} event", RtuCodec.typeOf(signal.event()));
                    return Optional.empty();
                }
            }
        }

        /** Announces other nodes' clients not heard of within the presence TTL as gone (their node died). */
        void expirePresence() {
            long ttl = options.presenceTtl().toNanos();
            lock.lock();
            try {
                long now = System.nanoTime();
                for (Iterator<Remote> it = remotePresence.values().iterator(); it.hasNext();) {
                    Remote remote = it.next();
                    if (now - remote.heard >= ttl) {
                        it.remove();
                        send(new RtuEvent.PresenceLeft("-", remote.presence.user(), remote.presence.clientId()));
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        /** Sends an event to every active subscriber here, each under its own file id (lock held). */
        private void send(RtuEvent.Server event) {
            Map<String, String> texts = new HashMap<>();
            for (Subscription subscription : subscribers) {
                if (subscription.active()) {
                    subscription.sink().offer(texts.computeIfAbsent(subscription.fileId(),
                            id -> RtuCodec.write(named(event, id))));
                }
            }
        }

        /** Publishes the deltas sequenced since the last call, in order. */
        void pump() {
            lock.lock();
            try {
                pumpLocked();
            } finally {
                lock.unlock();
            }
        }

        /** Reads deltas other nodes appended, then publishes. */
        void poll() {
            lock.lock();
            try {
                log.refresh();
                pumpLocked();
            } finally {
                lock.unlock();
            }
        }

        private void pumpLocked() {
            if (log.head() <= published) {
                return;
            }
            List<SequencedDelta> deltas = log.deltasAfter(published);
            for (SequencedDelta delta : deltas) {
                Map<String, String> texts = new HashMap<>();
                for (Subscription subscription : subscribers) {
                    if (subscription.active()) {
                        subscription.sink().offer(texts.computeIfAbsent(subscription.fileId(),
                                id -> RtuCodec.write(new RtuEvent.DeltaEvent(id, delta))));
                    }
                }
                published = delta.seq();
            }
        }

        /**
         * Adds a subscription after sending it the catch-up: {@code subscribed}, then the deltas after
         * {@code fromSeq}, or a snapshot when that is absent, ahead of the log or more than
         * {@link RtuOptions#maxCatchUp()} behind; then the presence of the others.
         */
        void subscribe(Subscription subscription, OptionalLong fromSeq) {
            lock.lock();
            try {
                prime();
                log.refresh();
                pumpLocked();
                long head = published;
                boolean snapshot = fromSeq.isEmpty() || fromSeq.getAsLong() > head
                        || head - fromSeq.getAsLong() > options.maxCatchUp();
                Optional<Notebook> document = snapshot ? Optional.of(documentAt(head)) : Optional.empty();
                Subscription.Sink sink = subscription.sink();
                sink.offer(RtuCodec.write(new RtuEvent.Subscribed(subscription.fileId(), log.fileId(), head,
                        subscription.user(), subscription.clientId(), subscription.role().dbName(), document)));
                if (!snapshot && fromSeq.getAsLong() < head) {
                    for (SequencedDelta delta : log.deltasAfter(fromSeq.getAsLong())) {
                        if (delta.seq() > head) {
                            break;
                        }
                        sink.offer(RtuCodec.write(new RtuEvent.DeltaEvent(subscription.fileId(), delta)));
                    }
                }
                for (Subscription other : subscribers) {
                    if (other.active()) {
                        other.presence().ifPresent(presence -> sink.offer(RtuCodec.write(new RtuEvent.Presence(
                                subscription.fileId(), presence.user(), presence.clientId(), presence.cellId(),
                                presence.cursor()))));
                    }
                }
                for (Remote remote : remotePresence.values()) {
                    RtuEvent.Presence presence = remote.presence;
                    sink.offer(RtuCodec.write(new RtuEvent.Presence(subscription.fileId(), presence.user(),
                            presence.clientId(), presence.cellId(), presence.cursor())));
                }
                if (subscription.active()) { // it may have been told to resync meanwhile
                    subscribers.add(subscription);
                }
            } finally {
                lock.unlock();
            }
        }

        private Notebook documentAt(long seq) {
            DeltaLog.State state = log.state();
            return state.seq() == seq ? state.notebook() : log.asOf(seq);
        }

        /** Removes a subscription and, if it had sent presence, tells the others it left (takes no lock). */
        void leave(Subscription subscription) {
            subscription.deactivate();
            boolean removed = subscribers.remove(subscription);
            if (removed && subscribers.isEmpty()) {
                writes.lastLeft(log.fileId()); // written soon, on the writer's thread (decision 0029)
            }
            if (!removed || subscription.presence().isEmpty()) {
                return; // only those who said where they are are announced as leaving
            }
            signals.ifPresent(relay -> relay.emit(log.fileId(), new RtuEvent.PresenceLeft("-", subscription.user(),
                    subscription.clientId())));
            for (Subscription other : subscribers) {
                if (other.active()) {
                    other.sink().offer(RtuCodec.write(new RtuEvent.PresenceLeft(other.fileId(), subscription.user(),
                            subscription.clientId())));
                }
            }
        }

        /** Records a subscription's presence and sends it to the others. */
        void presence(Subscription subscription, Optional<String> cellId, Optional<RtuEvent.Selection> cursor) {
            lock.lock(); // ordered with subscribing: a newcomer gets it either in its catch-up or after it
            try {
                subscription.presence(new RtuEvent.Presence(subscription.fileId(), subscription.user(),
                        subscription.clientId(), cellId, cursor));
                signals.ifPresent(relay -> relay.emit(log.fileId(), new RtuEvent.Presence("-", subscription.user(),
                        subscription.clientId(), cellId, cursor)));
                for (Subscription other : subscribers) {
                    if (other != subscription && other.active()) {
                        other.sink().offer(RtuCodec.write(new RtuEvent.Presence(other.fileId(), subscription.user(),
                                subscription.clientId(), cellId, cursor)));
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
