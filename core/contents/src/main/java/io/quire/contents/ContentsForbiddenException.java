package io.quire.contents;

/**
 * The path may not be accessed: it escapes the contents root (by {@code ..}, an absolute path, a NUL byte, a backslash or a symbolic link pointing outside), it names a hidden entry while hidden files are not allowed, or the operating system denied permission.
 *
 * <p>The server maps it to HTTP 403 Forbidden; {@link #code()} is {@code "contents.forbidden"}.
 */
public final class ContentsForbiddenException extends ContentsException {

    /**
     * Creates the exception.
     *
     * @param path    the API path concerned
     * @param message what was wrong, naming the path
     */
    public ContentsForbiddenException(String path, String message) {
        super(path, message, null);
    }

    /**
     * Creates the exception with an underlying cause.
     *
     * @param path    the API path concerned
     * @param message what was wrong, naming the path
     * @param cause   the underlying failure
     */
    public ContentsForbiddenException(String path, String message, Throwable cause) {
        super(path, message, cause);
    }

    @Override
    public String code() {
        return "contents.forbidden";
    }
}
