package io.quire.client;

/** No response arrived: the server could not be reached, the connection broke, or the calling thread was interrupted. */
public final class QuireTransportException extends QuireException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the request
     * @param cause   the underlying failure
     */
    public QuireTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
