package io.quire.contents;

/**
 * No file, directory or checkpoint exists at the requested path (or the parent directory of a path to create does not exist).
 *
 * <p>The server maps it to HTTP 404 Not Found; {@link #code()} is {@code "contents.not_found"}.
 */
public final class ContentsNotFoundException extends ContentsException {

    /**
     * Creates the exception.
     *
     * @param path    the API path concerned
     * @param message what was wrong, naming the path
     */
    public ContentsNotFoundException(String path, String message) {
        super(path, message, null);
    }

    /**
     * Creates the exception with an underlying cause.
     *
     * @param path    the API path concerned
     * @param message what was wrong, naming the path
     * @param cause   the underlying failure
     */
    public ContentsNotFoundException(String path, String message, Throwable cause) {
        super(path, message, cause);
    }

    @Override
    public String code() {
        return "contents.not_found";
    }
}
