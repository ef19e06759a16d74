package io.quire.collab;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The kernel leases of an in-memory delta store, and the rules every lease implementation follows. Guarded by its
 * own monitor; fenced appends of {@link InMemoryDeltaStore} check and append while holding it.
 */
final class LeaseTable {
    private final Map<UUID, LeaseState> rows = new HashMap<>();

    synchronized Optional<LeaseState> acquire(UUID fileId, String nodeId, Duration ttl, Clock clock) {
        Instant now = now(clock);
        Optional<LeaseState> next = decide(Optional.ofNullable(rows.get(fileId)), fileId, nodeId, ttl, now);
        next.ifPresent(state -> rows.put(fileId, state));
        return next;
    }

    synchronized Optional<KernelLease> renew(KernelLease lease, Duration ttl, Clock clock) {
        LeaseState row = rows.get(lease.fileId());
        if (!isTenure(row, lease.nodeId(), lease.epoch())) {
            return Optional.empty();
        }
        KernelLease renewed = new KernelLease(lease.fileId(), lease.nodeId(), lease.epoch(),
                now(clock).plus(requireTtl(ttl)));
        rows.put(lease.fileId(), new LeaseState(renewed, row.progress()));
        return Optional.of(renewed);
    }

    synchronized boolean recordProgress(KernelLease lease, LeaseProgress progress) {
        LeaseState row = rows.get(lease.fileId());
        if (!isTenure(row, lease.nodeId(), lease.epoch())) {
            return false;
        }
        rows.put(lease.fileId(), new LeaseState(row.lease(), progress));
        return true;
    }

    synchronized void release(KernelLease lease, Clock clock) {
        LeaseState row = rows.get(lease.fileId());
        if (isTenure(row, lease.nodeId(), lease.epoch())) {
            rows.put(lease.fileId(), new LeaseState(new KernelLease(lease.fileId(), lease.nodeId(), lease.epoch(),
                    now(clock)), row.progress()));
        }
    }

    synchronized Optional<LeaseState> read(UUID fileId) {
        return Optional.ofNullable(rows.get(fileId));
    }

    /** Runs an append if the fence holds, atomically with the check. */
    synchronized void fenced(UUID fileId, Fence fence, Runnable append) {
        LeaseState row = rows.get(fileId);
        if (!isTenure(row, fence.nodeId(), fence.epoch())) {
            throw refused(fileId, fence, Optional.ofNullable(row).map(LeaseState::lease));
        }
        append.run();
    }

    // ------------------------------------------------------------------------------------- rules shared with JDBC

    /**
     * What an acquisition leads to, given the stored row: the new row, or empty when another node's live lease
     * stands.
     */
    static Optional<LeaseState> decide(Optional<LeaseState> row, UUID fileId, String nodeId, Duration ttl,
            Instant now) {
        requireTtl(ttl);
        if (nodeId.isBlank()) {
            throw new IllegalArgumentException("a lease needs a node id");
        }
        Instant expires = now.plus(ttl);
        if (row.isEmpty()) {
            return Optional.of(new LeaseState(new KernelLease(fileId, nodeId, 1, expires), LeaseProgress.NONE));
        }
        KernelLease current = row.get().lease();
        if (!current.expiredAt(now)) {
            if (!current.nodeId().equals(nodeId)) {
                return Optional.empty();
            }
            return Optional.of(new LeaseState(new KernelLease(fileId, nodeId, current.epoch(), expires),
                    row.get().progress()));
        }
        return Optional.of(new LeaseState(new KernelLease(fileId, nodeId, current.epoch() + 1, expires),
                row.get().progress()));
    }

    static boolean isTenure(LeaseState row, String nodeId, long epoch) {
        return row != null && row.lease().nodeId().equals(nodeId) && row.lease().epoch() == epoch;
    }

    static FencedException refused(UUID fileId, Fence fence, Optional<KernelLease> current) {
        return new FencedException("node " + fence.nodeId() + " no longer holds the kernel lease of file " + fileId
                + " at epoch " + fence.epoch() + current.map(lease -> " (held by " + lease.nodeId() + " at epoch "
                + lease.epoch() + ")").orElse(" (the file has no lease)"));
    }

    static Duration requireTtl(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a lease TTL must be positive, got " + ttl);
        }
        return ttl;
    }

    static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
