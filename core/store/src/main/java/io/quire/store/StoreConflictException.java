package io.quire.store;

/**
 * The change would break a uniqueness rule: an e-mail address, slug, name or path that is already taken. An HTTP layer maps it to 409.
 *
 * <p>{@link #code()} is {@code "store.conflict"}.
 */
public final class StoreConflictException extends StoreException {

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the value concerned
     */
    public StoreConflictException(String message) {
        super(message, null);
    }

    /**
     * Creates the exception with an underlying cause.
     *
     * @param message what was wrong, naming the value concerned
     * @param cause   the underlying failure
     */
    public StoreConflictException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "store.conflict";
    }
}
