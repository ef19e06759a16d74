package io.quire.collab;

import java.util.Objects;

/**
 * A file's kernel lease as stored: the last tenure (possibly expired) and its progress.
 *
 * @param lease    the last holder, epoch and expiry
 * @param progress how far that holder got
 */
public record LeaseState(KernelLease lease, LeaseProgress progress) {
    /** Validates the fields. */
    public LeaseState {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(progress, "progress");
    }
}
