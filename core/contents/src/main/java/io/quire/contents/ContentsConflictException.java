package io.quire.contents;

/**
 * The target of a rename, copy or creation already exists.
 *
 * <p>The server maps it to HTTP 409 Conflict; {@link #code()} is {@code "contents.conflict"}.
 */
public final class ContentsConflictException extends ContentsException {

    /**
     * Creates the exception.
     *
     * @param path    the API path concerned
     * @param message what was wrong, naming the path
     */
    public ContentsConflictException(String path, String message) {
        super(path, message, null);
    }

    /**
     * Creates the exception with an underlying cause.
     *
     * @param path    the API path concerned
     * @param message what was wrong, naming the path
     * @param cause   the underlying failure
     */
    public ContentsConflictException(String path, String message, Throwable cause) {
        super(path, message, cause);
    }

    @Override
    public String code() {
        return "contents.conflict";
    }
}
