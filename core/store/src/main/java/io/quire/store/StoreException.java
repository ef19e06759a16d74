package io.quire.store;

import java.util.Objects;

/**
 * A store operation failed. Each subclass stands for one kind of failure that a caller (the HTTP layer) maps to a
 * status, and carries a stable machine {@link #code()}; the message says what was wrong and with which value.
 */
public abstract sealed class StoreException extends RuntimeException
        permits StoreNotFoundException, StoreConflictException, StoreForbiddenException, StoreBadRequestException,
        StoreContentionException, StoreFailureException {

    /**
     * Creates the exception.
     *
     * @param message what was wrong
     * @param cause   the underlying failure, or {@code null}
     */
    protected StoreException(String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
    }

    /**
     * A stable, machine-readable name for the kind of failure, such as {@code "store.not_found"}.
     *
     * @return the code; never changes for a given exception class
     */
    public abstract String code();
}
