package io.quire.store;

/**
 * The database failed for a reason that is not the caller's fault: unreachable, a failed migration, an unexpected SQL error. An HTTP layer maps it to 500.
 *
 * <p>{@link #code()} is {@code "store.failure"}.
 */
public final class StoreFailureException extends StoreException {

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the value concerned
     */
    public StoreFailureException(String message) {
        super(message, null);
    }

    /**
     * Creates the exception with an underlying cause.
     *
     * @param message what was wrong, naming the value concerned
     * @param cause   the underlying failure
     */
    public StoreFailureException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "store.failure";
    }
}
