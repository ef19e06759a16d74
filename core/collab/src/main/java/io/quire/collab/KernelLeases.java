package io.quire.collab;

import io.quire.collab.spi.DeltaStore;
import io.quire.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Kernel leases: which server node runs a file's shared kernel. At most one node holds a file's lease at a time; it
 * holds it until {@link KernelLease#expiresAt()} by the injected clock and renews it while it lives. When a holder
 * dies its lease expires, and another node may {@link #acquire} it, which raises the epoch. Output deltas are appended
 * under {@link KernelLease#fence()} ({@link DeltaLog#submit(Delta, Fence)}), so a node that lost the lease cannot
 * persist anything, whatever it believes.
 *
 * <p>Implementations are thread-safe. The database one keeps table {@code kernel_leases} (migration V3) and runs every
 * operation in one SERIALIZABLE transaction of the store, retried on serialization conflicts; it compares expiry times
 * with the clock given here, so nodes' clocks must agree to well within a TTL.
 */
public interface KernelLeases {

    /**
     * Leases in the store's database.
     *
     * @param store the open store (tables from migration V3); it stays owned by the caller
     * @param clock the time leases are measured by
     * @return the leases
     */
    static KernelLeases jdbc(Store store, Clock clock) {
        return new JdbcKernelLeases(store, clock);
    }

    /**
     * Leases kept inside an in-memory delta store, so that its fenced appends check them.
     *
     * @param store a store from {@link DeltaStores#inMemory()}
     * @param clock the time leases are measured by
     * @return the leases
     * @throws IllegalArgumentException if the store is not an in-memory one
     */
    static KernelLeases inMemory(DeltaStore store, Clock clock) {
        if (!(store instanceof InMemoryDeltaStore memory)) {
            throw new IllegalArgumentException("in-memory leases need a store from DeltaStores.inMemory(), got "
                    + store.getClass().getName());
        }
        return new InMemoryKernelLeases(memory.leaseTable(), clock);
    }

    /**
     * Acquires a file's lease for a node: a file without a lease gets one at epoch 1; an expired lease (whoever held
     * it, this node included) is taken over at epoch + 1 with its progress kept; a live lease of this node is renewed
     * at its epoch. A live lease of another node is left alone.
     *
     * @param fileId the file
     * @param nodeId the node
     * @param ttl    how long the lease lasts, positive
     * @return the lease and the progress recorded so far, or empty if another node holds it
     */
    Optional<LeaseState> acquire(UUID fileId, String nodeId, Duration ttl);

    /**
     * Extends a lease, if it is still this tenure (same node and epoch), even when it expired meanwhile and nobody
     * took it over.
     *
     * @param lease the lease
     * @param ttl   how long from now it lasts, positive
     * @return the extended lease, or empty if it was lost
     */
    Optional<KernelLease> renew(KernelLease lease, Duration ttl);

    /**
     * Records the holder's progress, if the lease is still this tenure.
     *
     * @param lease    the lease
     * @param progress the progress
     * @return false if the lease was lost (nothing recorded)
     */
    boolean recordProgress(KernelLease lease, LeaseProgress progress);

    /**
     * Ends a tenure at once (the lease expires now, its epoch and progress stay), so another node can take it over
     * without waiting for the TTL. Does nothing if the lease was already lost.
     *
     * @param lease the lease
     */
    void release(KernelLease lease);

    /**
     * @param fileId the file
     * @return the file's lease as stored (possibly expired), or empty if it never had one
     */
    Optional<LeaseState> read(UUID fileId);

    /** @return the clock leases are measured by */
    Clock clock();
}
