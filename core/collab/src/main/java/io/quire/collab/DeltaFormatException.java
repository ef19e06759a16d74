package io.quire.collab;

import java.util.Objects;

/** A delta's JSON is not a delta: unknown type, missing or extra field, wrong value. The message names the path. */
public final class DeltaFormatException extends CollabException {
    private final String path;

    /**
     * Creates the exception.
     *
     * @param path    the JSON path of the bad value, such as {@code $.ops[2]}
     * @param message what was wrong there
     */
    public DeltaFormatException(String path, String message) {
        this(path, message, null);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param path    the JSON path of the bad value
     * @param message what was wrong there
     * @param cause   the underlying failure, or {@code null}
     */
    public DeltaFormatException(String path, String message, Throwable cause) {
        super(Objects.requireNonNull(path, "path") + ": " + message, cause);
        this.path = path;
    }

    /** @return the JSON path of the bad value */
    public String path() {
        return path;
    }

    @Override
    public String code() {
        return "collab.bad_delta";
    }
}
