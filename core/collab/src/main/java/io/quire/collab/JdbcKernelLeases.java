package io.quire.collab;

import io.quire.store.Store;
import io.quire.store.StoreConflictException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Kernel leases in table {@code kernel_leases} (migration V3). Each operation is one SERIALIZABLE transaction of the
 * store (retried on serialization conflicts): read the row, decide with the same rules as the in-memory table
 * ({@link LeaseTable#decide}), write it with a condition on the epoch read. Two nodes racing for a free lease both
 * insert; the primary key lets one through and the other is told the lease is taken. Two nodes racing for an
 * expired lease both update the same row; serialization lets one commit, and the retry of the other reads the new
 * holder's live lease.
 */
final class JdbcKernelLeases implements KernelLeases {
    private static final String COLUMNS = "node_id, expires_at, epoch, done_seq, running_seq, running_cell";

    private final Store store;
    private final Clock clock;

    JdbcKernelLeases(Store store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<LeaseState> acquire(UUID fileId, String nodeId, Duration ttl) {
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(nodeId, "nodeId");
        LeaseTable.requireTtl(ttl);
        try {
            return store.transactions().inTransaction(c -> {
                Optional<LeaseState> row = read(c, fileId);
                Optional<LeaseState> next = LeaseTable.decide(row, fileId, nodeId, ttl, LeaseTable.now(clock));
                if (next.isEmpty()) {
                    return next;
                }
                KernelLease lease = next.get().lease();
                if (row.isEmpty()) {
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO kernel_leases (file_id, "
                            + COLUMNS + ") VALUES (?, ?, ?, ?, 0, NULL, NULL)")) {
                        insert.setObject(1, fileId);
                        insert.setString(2, nodeId);
                        insert.setObject(3, timestamp(lease.expiresAt()));
                        insert.setLong(4, lease.epoch());
                        insert.executeUpdate();
                    }
                    return next;
                }
                try (PreparedStatement update = c.prepareStatement("UPDATE kernel_leases SET node_id = ?, "
                        + "expires_at = ?, epoch = ? WHERE file_id = ? AND epoch = ?")) {
                    update.setString(1, nodeId);
                    update.setObject(2, timestamp(lease.expiresAt()));
                    update.setLong(3, lease.epoch());
                    update.setObject(4, fileId);
                    update.setLong(5, row.get().lease().epoch());
                    if (update.executeUpdate() != 1) {
                        return Optional.<LeaseState>empty();
                    }
                }
                return next;
            });
        } catch (StoreConflictException e) {
            // another node inserted the first lease of the file at the same time, and won
            return Optional.empty();
        }
    }

    @Override
    public Optional<KernelLease> renew(KernelLease lease, Duration ttl) {
        Objects.requireNonNull(lease, "lease");
        LeaseTable.requireTtl(ttl);
        KernelLease renewed = new KernelLease(lease.fileId(), lease.nodeId(), lease.epoch(),
                LeaseTable.now(clock).plus(ttl));
        boolean kept = store.transactions().inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE kernel_leases SET expires_at = ? "
                    + "WHERE file_id = ? AND node_id = ? AND epoch = ?")) {
                update.setObject(1, timestamp(renewed.expiresAt()));
                update.setObject(2, lease.fileId());
                update.setString(3, lease.nodeId());
                update.setLong(4, lease.epoch());
                return update.executeUpdate() == 1;
            }
        });
        return kept ? Optional.of(renewed) : Optional.empty();
    }

    @Override
    public boolean recordProgress(KernelLease lease, LeaseProgress progress) {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(progress, "progress");
        return store.transactions().inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE kernel_leases SET done_seq = ?, "
                    + "running_seq = ?, running_cell = ? WHERE file_id = ? AND node_id = ? AND epoch = ?")) {
                update.setLong(1, progress.doneSeq());
                if (progress.running().isPresent()) {
                    update.setLong(2, progress.running().get().executeSeq());
                    update.setString(3, progress.running().get().cellId());
                } else {
                    update.setNull(2, Types.BIGINT);
                    update.setNull(3, Types.VARCHAR);
                }
                update.setObject(4, lease.fileId());
                update.setString(5, lease.nodeId());
                update.setLong(6, lease.epoch());
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void release(KernelLease lease) {
        Objects.requireNonNull(lease, "lease");
        store.transactions().inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE kernel_leases SET expires_at = ? "
                    + "WHERE file_id = ? AND node_id = ? AND epoch = ?")) {
                update.setObject(1, timestamp(LeaseTable.now(clock)));
                update.setObject(2, lease.fileId());
                update.setString(3, lease.nodeId());
                update.setLong(4, lease.epoch());
                return update.executeUpdate();
            }
        });
    }

    @Override
    public Optional<LeaseState> read(UUID fileId) {
        Objects.requireNonNull(fileId, "fileId");
        return store.transactions().inTransaction(c -> read(c, fileId));
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** Reads a file's lease row inside a transaction (also used by fenced appends). */
    static Optional<LeaseState> read(Connection c, UUID fileId) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT " + COLUMNS + " FROM kernel_leases "
                + "WHERE file_id = ?")) {
            query.setObject(1, fileId);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                KernelLease lease = new KernelLease(fileId, rows.getString("node_id"),
                        rows.getLong("epoch"), rows.getObject("expires_at", OffsetDateTime.class).toInstant());
                long done = rows.getLong("done_seq");
                long runningSeq = rows.getLong("running_seq");
                boolean noRunning = rows.wasNull();
                String runningCell = rows.getString("running_cell");
                Optional<LeaseProgress.RunningCell> running = noRunning || runningCell == null ? Optional.empty()
                        : Optional.of(new LeaseProgress.RunningCell(runningSeq, runningCell));
                return Optional.of(new LeaseState(lease, new LeaseProgress(done, running)));
            }
        }
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
