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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
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
 * <p>Presence is node-local: it goes to the subscribers of the same file on this node only.
 */
public final class RtuHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RtuHub.class);

    private final DeltaLogs logs;
    private final DeltaStore store;
    private final RtuOptions options;
    private final Map<UUID, Topic> topics = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller;
    private final List<Runnable> onClose = new CopyOnWriteArrayList<>();

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
     * @param logId   the file's log id
     * @param initial the document a log starts from if it has to be opened
     * @return the log, or empty if the file has none
     */
    public Optional<DeltaLog> liveLog(UUID logId, Supplier<Notebook> initial) {
        Objects.requireNonNull(logId, "logId");
        if (topics.containsKey(logId) || store.latestSnapshot(logId, 0).isPresent()) {
            return Optional.of(logs.log(logId, initial));
        }
        return Optional.empty();
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

    Topic topic(UUID logId, Supplier<Notebook> initial) {
        Topic existing = topics.get(logId);
        if (existing != null) {
            return existing;
        }
        DeltaLog log = logs.log(logId, initial);
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

    private void pollAll() {
        for (Topic topic : topics.values()) {
            if (topic.subscribers.isEmpty() && !topic.pinned) {
                continue;
            }
            try {
                topic.poll();
            } catch (RuntimeException e) {
                LOG.warn("polling the log of file {} failed: {}", topic.log.fileId(), e.toString());
            }
        }
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

    /** Stops polling. Connections are closed by the web server. */
    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
        onClose.forEach(Runnable::run);
    }

    /** The subscribers of one file on this node, and what has been published to them. */
    final class Topic {
        final DeltaLog log;
        final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
        private final ReentrantLock lock = new ReentrantLock();
        private long published; // guarded by lock
        private volatile boolean pinned;
        // leave() takes no lock: it runs from other topics' fan-out when a connection overflows (no lock ordering)

        Topic(DeltaLog log) {
            this.log = log;
            this.published = log.head();
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
            if (!subscribers.remove(subscription) || subscription.presence().isEmpty()) {
                return; // only those who said where they are are announced as leaving
            }
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
