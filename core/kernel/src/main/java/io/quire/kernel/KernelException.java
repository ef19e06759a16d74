package io.quire.kernel;

import java.io.Serial;

/**
 * Base of all failures of the kernel module: unchecked, specific subclasses say what failed.
 */
public class KernelException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the offending value
     */
    public KernelException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming the offending value
     * @param cause   the underlying failure
     */
    public KernelException(String message, Throwable cause) {
        super(message, cause);
    }
}
