package io.quire.server.rtu;

import io.quire.store.Store;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Kernel control requests (interrupt, restart, kernel shutdown) made on a node that does not hold a file's kernel
 * lease, kept in the store's table {@code kernel_controls} until the holder takes them (decision 0025). Only team mode
 * has them: in single-user mode one process holds every lease.
 */
final class KernelControls {
    /** A recorded request. */
    record Request(UUID id, String action, String by, Instant requestedAt) {
    }

    private final Store store;
    private final Clock clock;

    KernelControls(Store store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Records a request for the holder of a file's lease. */
    void record(UUID fileId, String action, String by) {
        store.transactions().inTransaction(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO kernel_controls (id, file_id, action, "
                    + "requested_by, requested_at) VALUES (?, ?, ?, ?, ?)")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setObject(2, fileId);
                insert.setString(3, action);
                insert.setString(4, by.length() > 255 ? by.substring(0, 255) : by);
                insert.setObject(5, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
                return insert.executeUpdate();
            }
        });
    }

    /**
     * Takes a file's requests younger than {@code maxAge}, oldest first; older ones are deleted unapplied. A request
     * is returned to one caller only (the one whose delete removed it).
     */
    List<Request> take(UUID fileId, Duration maxAge) {
        List<Request> found = store.transactions().inTransaction(c -> {
            List<Request> rows = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT id, action, requested_by, requested_at FROM "
                    + "kernel_controls WHERE file_id = ? ORDER BY requested_at")) {
                select.setObject(1, fileId);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Request(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                                rs.getObject(4, OffsetDateTime.class).toInstant()));
                    }
                }
            }
            return rows;
        });
        List<Request> taken = new ArrayList<>();
        Instant oldest = clock.instant().minus(maxAge);
        for (Request request : found) {
            int deleted = store.transactions().inTransaction(c -> {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM kernel_controls WHERE id = ?")) {
                    delete.setObject(1, request.id());
                    return delete.executeUpdate();
                }
            });
            if (deleted == 1 && !request.requestedAt().isBefore(oldest)) {
                taken.add(request);
            }
        }
        return taken;
    }
}
