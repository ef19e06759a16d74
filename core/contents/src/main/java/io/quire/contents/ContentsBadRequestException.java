package io.quire.contents;

/**
 * The request cannot be carried out as asked: a type or format that does not fit the entry, content that does not decode (malformed notebook JSON, invalid base64, text that is not UTF-8), deleting the root or a non-empty directory, copying a directory into itself.
 *
 * <p>The server maps it to HTTP 400 Bad Request; {@link #code()} is {@code "contents.bad_request"}.
 */
public final class ContentsBadRequestException extends ContentsException {

    /**
     * Creates the exception.
     *
     * @param path    the API path concerned
     * @param message what was wrong, naming the path
     */
    public ContentsBadRequestException(String path, String message) {
        super(path, message, null);
    }

    /**
     * Creates the exception with an underlying cause.
     *
     * @param path    the API path concerned
     * @param message what was wrong, naming the path
     * @param cause   the underlying failure
     */
    public ContentsBadRequestException(String path, String message, Throwable cause) {
        super(path, message, cause);
    }

    @Override
    public String code() {
        return "contents.bad_request";
    }
}
