package io.quire.client;

/**
 * A call to a Quire server failed. Subclasses say how: {@link QuireApiException} for an error response,
 * {@link QuireTransportException} when no response arrived, {@link QuireTimeoutException} when a wait ran out. This
 * class itself is thrown when the server's answer cannot be understood.
 */
public class QuireException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong
     */
    public QuireException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong
     * @param cause   the underlying failure
     */
    public QuireException(String message, Throwable cause) {
        super(message, cause);
    }
}
