package io.quire.collab;

/**
 * A {@link io.quire.collab.spi.DeltaStore} refused to append a delta because its sequence number is not the next one
 * of the file (another writer, such as another server node, appended first) or its delta id is already in the log.
 * The sequencer reacts by catching up with the store and sequencing again.
 */
public final class SequenceConflictException extends CollabException {

    /**
     * Creates the exception.
     *
     * @param message which sequence number or delta id collided
     * @param cause   the underlying failure, or {@code null}
     */
    public SequenceConflictException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "collab.sequence_conflict";
    }
}
