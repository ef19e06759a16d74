package io.quire.collab;

import java.util.Objects;

/**
 * A collaboration operation failed. Each subclass is one kind of failure with a stable machine {@link #code()} that
 * the HTTP/WebSocket layer maps to an answer; the message says what was wrong and with which value.
 */
public abstract sealed class CollabException extends RuntimeException
        permits DeltaFormatException, DeltaRejectedException, TextOperationException, SequenceConflictException,
        FencedException {

    /**
     * Creates the exception.
     *
     * @param message what was wrong
     * @param cause   the underlying failure, or {@code null}
     */
    protected CollabException(String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
    }

    /**
     * A stable, machine-readable name for the kind of failure, such as {@code "collab.rejected.cell_deleted"}.
     *
     * @return the code
     */
    public abstract String code();
}
