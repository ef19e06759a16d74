package io.quire.kernel;

import java.io.Serial;

/**
 * A kernel did not answer a request within the allowed time.
 */
public class KernelTimeoutException extends KernelException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the offending value
     */
    public KernelTimeoutException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming the offending value
     * @param cause   the underlying failure
     */
    public KernelTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
