package io.quire.client.rtu;

/** The real-time channel failed: the connection was refused or lost, the server refused a file, or it timed out. */
public final class RtuException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param cause   the underlying failure, or {@code null}
     */
    public RtuException(String message, Throwable cause) {
        super(message, cause);
    }
}
