package io.quire.contents;

import java.util.Objects;

/**
 * A contents operation failed for a reason the caller can act on. Each subclass stands for one HTTP status that the
 * server maps it to, and carries a stable machine {@link #code()}; the message says what was wrong and with which
 * path, and is safe to show to the user (it never contains the filesystem location of the root).
 */
public abstract sealed class ContentsException extends RuntimeException
        permits ContentsNotFoundException, ContentsConflictException, ContentsForbiddenException,
        ContentsBadRequestException, ContentsStorageException {

    private final String path;

    /**
     * Creates an exception about an API path.
     *
     * @param path    the API path the operation was about ({@code ""} for the root or when there is none)
     * @param message what was wrong
     * @param cause   the underlying failure, or {@code null}
     */
    protected ContentsException(String path, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.path = Objects.requireNonNull(path, "path");
    }

    /**
     * A stable, machine-readable name for the kind of failure, such as {@code "contents.not_found"}.
     *
     * @return the code; never changes for a given exception class
     */
    public abstract String code();

    /**
     * The API path the failed operation was about.
     *
     * @return the path, {@code ""} for the root or when the failure concerns no path
     */
    public String path() {
        return path;
    }
}
