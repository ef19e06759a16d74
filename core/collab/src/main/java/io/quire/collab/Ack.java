package io.quire.collab;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The acknowledgement of a delta: it is persisted at {@code seq} in the file's log. A retry of the same delta id gets
 * an equal acknowledgement.
 *
 * @param fileId     the file
 * @param deltaId    the delta's client-chosen id
 * @param seq        the sequence number it was given
 * @param acceptedAt when it was accepted
 */
public record Ack(UUID fileId, UUID deltaId, long seq, Instant acceptedAt) {

    /** Validates the fields. */
    public Ack {
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(deltaId, "deltaId");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
    }
}
