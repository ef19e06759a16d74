package io.quire.kernel;

import java.io.Serial;

/**
 * A kernel sent something that violates the Jupyter messaging protocol, or a request cannot be expressed in it.
 */
public class KernelProtocolException extends KernelException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the offending value
     */
    public KernelProtocolException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming the offending value
     * @param cause   the underlying failure
     */
    public KernelProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
