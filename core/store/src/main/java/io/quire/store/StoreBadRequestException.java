package io.quire.store;

/**
 * The input is malformed: an id that is not a UUID, an empty name, an unknown role, a path that is not a valid project path. An HTTP layer maps it to 400.
 *
 * <p>{@link #code()} is {@code "store.bad_request"}.
 */
public final class StoreBadRequestException extends StoreException {

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the value concerned
     */
    public StoreBadRequestException(String message) {
        super(message, null);
    }

    /**
     * Creates the exception with an underlying cause.
     *
     * @param message what was wrong, naming the value concerned
     * @param cause   the underlying failure
     */
    public StoreBadRequestException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "store.bad_request";
    }
}
