package io.quire.collab.rtu;

import java.util.Objects;

/** A real-time channel event that could not be read: not JSON, an unknown type or field, or a bad value. */
public final class RtuFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the field or value
     * @param cause   the underlying failure, or {@code null}
     */
    public RtuFormatException(String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
    }
}
