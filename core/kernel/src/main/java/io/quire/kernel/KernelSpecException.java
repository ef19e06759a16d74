package io.quire.kernel;

import java.io.Serial;

/**
 * A kernel spec is missing or its {@code kernel.json} is invalid.
 */
public class KernelSpecException extends KernelException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the offending value
     */
    public KernelSpecException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming the offending value
     * @param cause   the underlying failure
     */
    public KernelSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
