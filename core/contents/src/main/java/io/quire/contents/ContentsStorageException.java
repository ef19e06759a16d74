package io.quire.contents;

/**
 * The storage backend failed for a reason that is not the caller's fault (an I/O error, a full disk).
 *
 * <p>The server maps it to HTTP 500 Internal Server Error; {@link #code()} is {@code "contents.storage"}.
 */
public final class ContentsStorageException extends ContentsException {

    /**
     * Creates the exception.
     *
     * @param path    the API path concerned
     * @param message what was wrong, naming the path
     */
    public ContentsStorageException(String path, String message) {
        super(path, message, null);
    }

    /**
     * Creates the exception with an underlying cause.
     *
     * @param path    the API path concerned
     * @param message what was wrong, naming the path
     * @param cause   the underlying failure
     */
    public ContentsStorageException(String path, String message, Throwable cause) {
        super(path, message, cause);
    }

    @Override
    public String code() {
        return "contents.storage";
    }
}
