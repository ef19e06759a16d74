package io.quire.collab;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** Kernel leases in an in-memory delta store's {@link LeaseTable}; for tests and single-process use. */
final class InMemoryKernelLeases implements KernelLeases {
    private final LeaseTable table;
    private final Clock clock;

    InMemoryKernelLeases(LeaseTable table, Clock clock) {
        this.table = Objects.requireNonNull(table, "table");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<LeaseState> acquire(UUID fileId, String nodeId, Duration ttl) {
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(nodeId, "nodeId");
        return table.acquire(fileId, nodeId, ttl, clock);
    }

    @Override
    public Optional<KernelLease> renew(KernelLease lease, Duration ttl) {
        return table.renew(Objects.requireNonNull(lease, "lease"), ttl, clock);
    }

    @Override
    public boolean recordProgress(KernelLease lease, LeaseProgress progress) {
        return table.recordProgress(Objects.requireNonNull(lease, "lease"), Objects.requireNonNull(progress,
                "progress"));
    }

    @Override
    public void release(KernelLease lease) {
        table.release(Objects.requireNonNull(lease, "lease"), clock);
    }

    @Override
    public Optional<LeaseState> read(UUID fileId) {
        return table.read(Objects.requireNonNull(fileId, "fileId"));
    }

    @Override
    public Clock clock() {
        return clock;
    }
}
