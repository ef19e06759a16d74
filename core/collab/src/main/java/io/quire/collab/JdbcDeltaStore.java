package io.quire.collab;

import io.quire.collab.spi.DeltaStore;
import io.quire.notebook.Notebook;
import io.quire.store.Store;
import io.quire.store.StoreConflictException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Keeps logs in the store's database (tables {@code deltas} and {@code snapshots}, migration V2), through the store's
 * {@link io.quire.store.Transactions}: SERIALIZABLE, retried on serialization conflicts.
 *
 * <p>Design: {@code append} reads the file's head and inserts the row in one transaction, and the primary key
 * {@code (file_id, seq)} plus the unique {@code (file_id, delta_id)} make a second writer of the same seq or delta id
 * fail: two server nodes sequencing one file cannot fork its log; the loser gets a
 * {@link SequenceConflictException} and catches up. A fenced append reads the file's {@code kernel_leases} row in the
 * same transaction, so a concurrent takeover of the lease makes one of the two transactions fail serialization and
 * the retry sees the new epoch. Times are stored to the microsecond, so the sequencer's clock
 * should not be finer (see {@link DeltaLog.Config}).
 */
final class JdbcDeltaStore implements DeltaStore {
    private static final String COLUMNS = "seq, created_at, body";

    private final Store store;

    JdbcDeltaStore(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public void append(SequencedDelta delta) {
        append(delta, Optional.empty());
    }

    @Override
    public void append(SequencedDelta delta, Fence fence) {
        append(delta, Optional.of(Objects.requireNonNull(fence, "fence")));
    }

    private void append(SequencedDelta delta, Optional<Fence> fence) {
        String body = DeltaCodec.write(delta.delta());
        try {
            store.transactions().inTransaction(c -> {
                if (fence.isPresent()) {
                    Optional<LeaseState> lease = JdbcKernelLeases.read(c, delta.fileId());
                    if (!LeaseTable.isTenure(lease.orElse(null), fence.get().nodeId(), fence.get().epoch())) {
                        throw LeaseTable.refused(delta.fileId(), fence.get(), lease.map(LeaseState::lease));
                    }
                }
                long head = head(c, delta.fileId());
                if (delta.seq() != head + 1) {
                    throw new StoreConflictException("cannot append seq " + delta.seq() + " to the log of file "
                            + delta.fileId() + ": the next seq is " + (head + 1));
                }
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO deltas (file_id, seq, delta_id, "
                        + "author, created_at, body) VALUES (?, ?, ?, ?, ?, ?)")) {
                    insert.setObject(1, delta.fileId());
                    insert.setLong(2, delta.seq());
                    insert.setObject(3, delta.deltaId());
                    insert.setString(4, delta.delta().header().author());
                    insert.setObject(5, timestamp(delta.acceptedAt()));
                    insert.setString(6, body);
                    insert.executeUpdate();
                }
                return null;
            });
        } catch (StoreConflictException e) {
            throw new SequenceConflictException("the log of file " + delta.fileId() + " refused seq " + delta.seq()
                    + " (delta " + delta.deltaId() + "): " + e.getMessage(), e);
        }
    }

    @Override
    public long head(UUID fileId) {
        return store.transactions().inTransaction(c -> head(c, fileId));
    }

    private static long head(Connection c, UUID fileId) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT MAX(seq) FROM deltas WHERE file_id = ?")) {
            query.setObject(1, fileId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                long max = rows.getLong(1);
                return rows.wasNull() ? 0 : max;
            }
        }
    }

    @Override
    public List<SequencedDelta> read(UUID fileId, long afterSeq, long upToSeq) {
        return store.transactions().inTransaction(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT " + COLUMNS + " FROM deltas WHERE file_id = ? "
                    + "AND seq > ? AND seq <= ? ORDER BY seq")) {
                query.setObject(1, fileId);
                query.setLong(2, afterSeq);
                query.setLong(3, upToSeq);
                List<SequencedDelta> deltas = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        deltas.add(delta(rows));
                    }
                }
                return List.copyOf(deltas);
            }
        });
    }

    @Override
    public Optional<SequencedDelta> findByDeltaId(UUID fileId, UUID deltaId) {
        return store.transactions().inTransaction(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT " + COLUMNS + " FROM deltas WHERE file_id = ? "
                    + "AND delta_id = ?")) {
                query.setObject(1, fileId);
                query.setObject(2, deltaId);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(delta(rows)) : Optional.<SequencedDelta>empty();
                }
            }
        });
    }

    @Override
    public long seqAt(UUID fileId, Instant time) {
        return store.transactions().inTransaction(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT MAX(seq) FROM deltas WHERE file_id = ? "
                    + "AND created_at <= ?")) {
                query.setObject(1, fileId);
                query.setObject(2, timestamp(time));
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    long max = rows.getLong(1);
                    return rows.wasNull() ? 0L : max;
                }
            }
        });
    }

    @Override
    public void saveSnapshot(Snapshot snapshot) {
        try {
            insertSnapshot(snapshot);
        } catch (StoreConflictException e) {
            // another node saved this seq between our check and our insert (the primary key refused ours): a
            // snapshot of one seq is the same document whoever saves it, so the SPI's "changes nothing" holds
            if (!snapshotExists(snapshot)) {
                throw e;
            }
        }
    }

    private boolean snapshotExists(Snapshot snapshot) {
        return store.transactions().inTransaction(c -> exists(c, snapshot));
    }

    private static boolean exists(Connection c, Snapshot snapshot) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM snapshots WHERE file_id = ? "
                + "AND seq = ?")) {
            exists.setObject(1, snapshot.fileId());
            exists.setLong(2, snapshot.seq());
            try (ResultSet rows = exists.executeQuery()) {
                return rows.next();
            }
        }
    }

    private void insertSnapshot(Snapshot snapshot) {
        String body = snapshot.notebook().toJsonString();
        store.transactions().inTransaction(c -> {
            if (exists(c, snapshot)) {
                return null;
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO snapshots (file_id, seq, created_at, "
                    + "body) VALUES (?, ?, ?, ?)")) {
                insert.setObject(1, snapshot.fileId());
                insert.setLong(2, snapshot.seq());
                insert.setObject(3, timestamp(snapshot.takenAt()));
                insert.setString(4, body);
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Snapshot> latestSnapshot(UUID fileId, long seq) {
        return store.transactions().inTransaction(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT seq, created_at, body FROM snapshots "
                    + "WHERE file_id = ? AND seq <= ? ORDER BY seq DESC LIMIT 1")) {
                query.setObject(1, fileId);
                query.setLong(2, seq);
                try (ResultSet rows = query.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.<Snapshot>empty();
                    }
                    return Optional.of(new Snapshot(fileId, rows.getLong("seq"), instant(rows),
                            Notebook.parse(rows.getString("body"))));
                }
            }
        });
    }

    private static SequencedDelta delta(ResultSet rows) throws SQLException {
        return new SequencedDelta(rows.getLong("seq"), instant(rows), DeltaCodec.read(rows.getString("body")));
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rows) throws SQLException {
        return rows.getObject("created_at", OffsetDateTime.class).toInstant();
    }
}
