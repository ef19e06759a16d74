package io.quire.store;

/**
 * The requested row does not exist <em>in the caller's organisation</em>: a row of another organisation is reported exactly like a missing one, so that no caller learns that it exists. An HTTP layer maps it to 404.
 *
 * <p>{@link #code()} is {@code "store.not_found"}.
 */
public final class StoreNotFoundException extends StoreException {

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the value concerned
     */
    public StoreNotFoundException(String message) {
        super(message, null);
    }

    /**
     * Creates the exception with an underlying cause.
     *
     * @param message what was wrong, naming the value concerned
     * @param cause   the underlying failure
     */
    public StoreNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "store.not_found";
    }
}
