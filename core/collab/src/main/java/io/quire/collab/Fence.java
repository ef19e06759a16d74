package io.quire.collab;

import java.util.Objects;

/**
 * The condition of a fenced append ({@link DeltaLog#submit(Delta, Fence)}): the file's kernel lease is still held by
 * this node at this epoch. A node that lost its lease to another (which raised the epoch) can then no longer
 * persist outputs, even if it does not know yet that it lost it.
 *
 * @param nodeId the node that acquired the lease
 * @param epoch  the epoch it acquired it at
 */
public record Fence(String nodeId, long epoch) {
    /** Validates the fields. */
    public Fence {
        Objects.requireNonNull(nodeId, "nodeId");
        if (nodeId.isBlank()) {
            throw new IllegalArgumentException("a fence needs a node id");
        }
        if (epoch < 1) {
            throw new IllegalArgumentException("lease epochs start at 1, got " + epoch);
        }
    }
}
