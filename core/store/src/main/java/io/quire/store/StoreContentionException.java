package io.quire.store;

/**
 * A transaction still met serialization conflicts (SQLSTATE 40001 or the dialect's equivalent) after the configured number of attempts. Nothing was committed; the caller may try again later. An HTTP layer maps it to 503.
 *
 * <p>{@link #code()} is {@code "store.contention"}.
 */
public final class StoreContentionException extends StoreException {

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the value concerned
     */
    public StoreContentionException(String message) {
        super(message, null);
    }

    /**
     * Creates the exception with an underlying cause.
     *
     * @param message what was wrong, naming the value concerned
     * @param cause   the underlying failure
     */
    public StoreContentionException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "store.contention";
    }
}
