package io.quire.store;

/**
 * The caller may see the resource but lacks the role the operation needs (a viewer saving, an executor editing). An HTTP layer maps it to 403.
 *
 * <p>{@link #code()} is {@code "store.forbidden"}.
 */
public final class StoreForbiddenException extends StoreException {

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the value concerned
     */
    public StoreForbiddenException(String message) {
        super(message, null);
    }

    /**
     * Creates the exception with an underlying cause.
     *
     * @param message what was wrong, naming the value concerned
     * @param cause   the underlying failure
     */
    public StoreForbiddenException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "store.forbidden";
    }
}
