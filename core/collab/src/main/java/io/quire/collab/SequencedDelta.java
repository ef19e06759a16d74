package io.quire.collab;

import java.time.Instant;
import java.util.Objects;

/**
 * A delta as the log holds it: transformed so that it applies to the document as of {@code seq - 1}, with the
 * sequence number the sequencer gave it and the time it was accepted. Its header keeps the base the author sent.
 *
 * @param seq        the position in the file's log, from 1
 * @param acceptedAt when the sequencer accepted it
 * @param delta      the delta, transformed against every delta sequenced after its base
 */
public record SequencedDelta(long seq, Instant acceptedAt, Delta delta) {

    /** Validates the fields. */
    public SequencedDelta {
        if (seq < 1) {
            throw new IllegalArgumentException("sequence numbers start at 1, got " + seq);
        }
        Objects.requireNonNull(acceptedAt, "acceptedAt");
        Objects.requireNonNull(delta, "delta");
    }

    /** @return the file of the delta */
    public java.util.UUID fileId() {
        return delta.header().fileId();
    }

    /** @return the delta's client-chosen id */
    public java.util.UUID deltaId() {
        return delta.deltaId();
    }

    /** @return the acknowledgement the author got for this delta */
    public Ack ack() {
        return new Ack(delta.header().fileId(), delta.deltaId(), seq, acceptedAt);
    }
}
