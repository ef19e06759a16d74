package io.quire.server.rtu;

import io.quire.collab.rtu.RtuCodec;
import io.quire.collab.rtu.RtuEvent;
import io.quire.collab.rtu.RtuFormatException;
import io.quire.store.Store;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay of ephemeral real-time events between server nodes through the store's table {@code rtu_signals}
 * (migration V5, decision 0028): presence, presence departures, kernel status, cell states, output chunks and kernel
 * control outcomes produced on this node for a file are written for the other nodes, which read them every poll
 * interval alongside the deltas.
 *
 * <p>Design. {@link #emit} only queues (in memory, coalesced, bounded); one writer thread writes what is queued every
 * flush interval in one transaction, so a node makes at most one write transaction per interval whatever its load.
 * Coalescing: a client's presence replaces its earlier queued presence; an output chunk that appends to the chunk
 * queued just before for the same cell is merged into it, and a replacing chunk drops it; a chunk larger than
 * {@link #MAX_OUTPUT_CHARS} is not relayed (other nodes' clients get those outputs through the output delta, as
 * before). Each row gets a seq strictly increasing per node (microseconds of the node's clock, or the previous + 1)
 * and rows are committed in seq order because one thread writes them; so a reader that remembers the last seq read
 * per node ({@link #poll}) reads every row once. A node never seen before is read from {@code now - window}: rows a
 * new node committed more than a window after their seq (a stalled transaction, a clock far behind) are lost, which is
 * acceptable for events that are ephemeral by nature (the document never depends on them). Rows older than two
 * windows are deleted by whichever node notices (every half window). Failures are logged and the batch dropped.
 */
final class RtuSignals implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RtuSignals.class);
    /** The largest output chunk (encoded, UTF-16 units) relayed to other nodes. */
    static final int MAX_OUTPUT_CHARS = 256 * 1024;
    /** The most events waiting to be written; beyond it the oldest are dropped (the store is unreachable). */
    static final int MAX_PENDING = 10_000;

    /** An event another node produced for a file. */
    record Signal(UUID fileId, String nodeId, long seq, RtuEvent.Server event) {
    }

    private record Pending(UUID fileId, RtuEvent.Server event) {
    }

    private final Store store;
    private final String nodeId;
    private final Clock clock;
    private final Duration window;
    private final Object queueLock = new Object();
    private final LinkedList<Pending> pending = new LinkedList<>(); // guarded by queueLock
    private final Map<String, Long> cursors = new HashMap<>(); // node -> last seq read; poll thread only
    private final Optional<ScheduledExecutorService> writer;
    private long lastSeq; // writer only
    private Instant lastCleanup = Instant.EPOCH; // writer only
    private volatile boolean closed;

    /**
     * @param store         the shared store
     * @param nodeId        this node's id (the kernel-lease node id)
     * @param clock         the clock of the seqs and expiry
     * @param flushInterval how often queued events are written ({@link Duration#ZERO}: only by {@link #flush()})
     * @param window        how far back a newcomer reads, and how long rows are kept (twice this)
     */
    RtuSignals(Store store, String nodeId, Clock clock, Duration flushInterval, Duration window) {
        this.store = Objects.requireNonNull(store, "store");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = Objects.requireNonNull(window, "window");
        if (flushInterval.isZero()) {
            writer = Optional.empty();
        } else {
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                    .daemon().name("quire-rtu-signals").factory());
            scheduler.scheduleWithFixedDelay(this::flushQuietly, flushInterval.toNanos(), flushInterval.toNanos(),
                    TimeUnit.NANOSECONDS);
            writer = Optional.of(scheduler);
        }
    }

    /** @return this node's id */
    String nodeId() {
        return nodeId;
    }

    /** @return how far back a newcomer reads; presence not repeated within it has expired */
    Duration window() {
        return window;
    }

    /**
     * Queues an event of a file for the other nodes (its file id is ignored: each reader names the file its own way).
     *
     * @param fileId the file's log id
     * @param event  the event
     */
    void emit(UUID fileId, RtuEvent.Server event) {
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(event, "event");
        if (closed) {
            return;
        }
        synchronized (queueLock) {
            switch (event) {
                case RtuEvent.Presence p -> pending.removeIf(q -> q.fileId.equals(fileId) && sameClient(q.event,
                        p.clientId()));
                case RtuEvent.PresenceLeft p -> pending.removeIf(q -> q.fileId.equals(fileId)
                        && q.event instanceof RtuEvent.Presence queued && queued.clientId().equals(p.clientId()));
                case RtuEvent.OutputChunk chunk -> {
                    Optional<Pending> merged = mergeChunk(fileId, chunk);
                    if (merged.isPresent()) {
                        pending.removeLast();
                        add(merged.get());
                        return;
                    }
                }
                default -> {
                }
            }
            add(new Pending(fileId, event));
        }
    }

    private static boolean sameClient(RtuEvent.Server event, String clientId) {
        return event instanceof RtuEvent.Presence p && p.clientId().equals(clientId)
                || event instanceof RtuEvent.PresenceLeft l && l.clientId().equals(clientId);
    }

    /** An append chunk right after a queued chunk of the same cell joins it; a replacing one supersedes it. */
    private Optional<Pending> mergeChunk(UUID fileId, RtuEvent.OutputChunk chunk) {
        if (pending.isEmpty() || !(pending.getLast().event instanceof RtuEvent.OutputChunk last)
                || !pending.getLast().fileId.equals(fileId) || last.executeSeq() != chunk.executeSeq()
                || !last.cellId().equals(chunk.cellId())) {
            return Optional.empty();
        }
        if (chunk.replace()) {
            return Optional.of(new Pending(fileId, chunk));
        }
        List<com.fasterxml.jackson.databind.JsonNode> outputs = new ArrayList<>(last.outputs());
        outputs.addAll(chunk.outputs());
        return Optional.of(new Pending(fileId, new RtuEvent.OutputChunk(last.fileId(), last.executeSeq(),
                last.cellId(), outputs, last.replace())));
    }

    private void add(Pending entry) {
        pending.addLast(entry);
        if (pending.size() > MAX_PENDING) {
            pending.removeFirst();
            LOG.warn("more than {} rtu signals wait to be written; dropping the oldest", MAX_PENDING);
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("writing rtu signals failed; they are dropped: {}", e.toString());
        }
    }

    /** Writes what is queued (one transaction) and, every half window, deletes rows older than two windows. */
    synchronized void flush() {
        List<Pending> batch;
        synchronized (queueLock) {
            batch = new ArrayList<>(pending);
            pending.clear();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<String> bodies = new ArrayList<>(batch.size());
        List<Pending> rows = new ArrayList<>(batch.size());
        for (Pending entry : batch) {
            String body = RtuCodec.write(entry.event);
            if (entry.event instanceof RtuEvent.OutputChunk && body.length() > MAX_OUTPUT_CHARS) {
                continue; // the output delta carries it to the other nodes' clients
            }
            rows.add(entry);
            bodies.add(body);
        }
        if (!rows.isEmpty()) {
            long first = Math.max(lastSeq + 1, micros(now));
            lastSeq = first + rows.size() - 1;
            store.transactions().inTransaction(c -> {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO rtu_signals (node_id, seq, file_id, "
                        + "created_at, body) VALUES (?, ?, ?, ?, ?)")) {
                    for (int i = 0; i < rows.size(); i++) {
                        insert.setString(1, nodeId);
                        insert.setLong(2, first + i);
                        insert.setObject(3, rows.get(i).fileId);
                        insert.setObject(4, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                        insert.setString(5, bodies.get(i));
                        insert.addBatch();
                    }
                    return insert.executeBatch().length;
                }
            });
        }
        if (now.isAfter(lastCleanup.plus(window.dividedBy(2)))) {
            lastCleanup = now;
            store.transactions().inTransaction(c -> {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM rtu_signals WHERE created_at < ?")) {
                    delete.setObject(1, OffsetDateTime.ofInstant(now.minus(window.multipliedBy(2)), ZoneOffset.UTC));
                    return delete.executeUpdate();
                }
            });
        }
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    /**
     * The events other nodes wrote for some files since the last call, per node in the order written. Called from one
     * thread (the hub's poller).
     *
     * @param files the log ids of the files to read
     * @return the new events
     */
    List<Signal> poll(Collection<UUID> files) {
        if (files.isEmpty()) {
            return List.of();
        }
        long floor = micros(clock.instant().minus(window));
        cursors.values().removeIf(seq -> seq < micros(clock.instant().minus(window.multipliedBy(2))));
        List<Map.Entry<String, Long>> known = List.copyOf(cursors.entrySet());
        StringBuilder sql = new StringBuilder("SELECT node_id, seq, file_id, body FROM rtu_signals WHERE file_id IN (")
                .append(String.join(", ", java.util.Collections.nCopies(files.size(), "?")))
                .append(") AND node_id <> ? AND (");
        for (int i = 0; i < known.size(); i++) {
            sql.append("node_id = ? AND seq > ? OR ");
        }
        sql.append("seq > ?");
        if (!known.isEmpty()) {
            sql.append(" AND node_id NOT IN (").append(String.join(", ", java.util.Collections.nCopies(known.size(),
                    "?"))).append(')');
        }
        sql.append(") ORDER BY node_id, seq");
        List<Signal> found = store.transactions().inTransaction(c -> {
            try (PreparedStatement query = c.prepareStatement(sql.toString())) {
                int p = 1;
                for (UUID file : files) {
                    query.setObject(p++, file);
                }
                query.setString(p++, nodeId);
                for (Map.Entry<String, Long> node : known) {
                    query.setString(p++, node.getKey());
                    query.setLong(p++, node.getValue());
                }
                query.setLong(p++, floor);
                for (Map.Entry<String, Long> node : known) {
                    query.setString(p++, node.getKey());
                }
                return read(query);
            }
        });
        for (Signal signal : found) {
            cursors.merge(signal.nodeId(), signal.seq(), Math::max);
        }
        return found;
    }

    /**
     * What other nodes wrote for one file within the last window, per node in the order written: how a node that
     * starts serving a file learns who is already there and what its kernel is doing.
     *
     * @param fileId the file's log id
     * @return the events
     */
    List<Signal> recent(UUID fileId) {
        return store.transactions().inTransaction(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT node_id, seq, file_id, body FROM rtu_signals "
                    + "WHERE file_id = ? AND node_id <> ? AND seq > ? ORDER BY node_id, seq")) {
                query.setObject(1, fileId);
                query.setString(2, nodeId);
                query.setLong(3, micros(clock.instant().minus(window)));
                return read(query);
            }
        });
    }

    private static List<Signal> read(PreparedStatement query) throws java.sql.SQLException {
        List<Signal> rows = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                String body = rs.getString(4);
                try {
                    rows.add(new Signal(rs.getObject(3, UUID.class), rs.getString(1), rs.getLong(2),
                            RtuCodec.readServer(body)));
                } catch (RtuFormatException e) {
                    LOG.warn("skipping an unreadable rtu signal {}/{}: {}", rs.getString(1), rs.getLong(2),
                            e.getMessage());
                }
            }
        }
        return rows;
    }

    /** Writes what is still queued and stops the writer; later events are ignored. */
    @Override
    public void close() {
        closed = true;
        writer.ifPresent(ScheduledExecutorService::shutdownNow);
        flushQuietly();
    }

    /** @return how many events wait to be written, for tests */
    int pendingCount() {
        synchronized (queueLock) {
            return pending.size();
        }
    }
}
