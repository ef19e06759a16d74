package io.quire.collab;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A node's hold on a file's kernel: while it lasts, only this node runs the file's executions and persists their
 * outputs (see {@link KernelLeases}).
 *
 * @param fileId    the file
 * @param nodeId    the holding node
 * @param epoch     raised by one each time another acquisition starts a new tenure, from 1
 * @param expiresAt when the lease ends unless renewed (by the holder's clock)
 */
public record KernelLease(UUID fileId, String nodeId, long epoch, Instant expiresAt) {
    /** Validates the fields. */
    public KernelLease {
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (epoch < 1) {
            throw new IllegalArgumentException("lease epochs start at 1, got " + epoch);
        }
    }

    /** @return the fence that output deltas of this tenure are appended under */
    public Fence fence() {
        return new Fence(nodeId, epoch);
    }

    /**
     * @param now the time
     * @return whether the lease has run out by then
     */
    public boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
