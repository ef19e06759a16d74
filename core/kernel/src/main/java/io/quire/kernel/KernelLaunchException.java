package io.quire.kernel;

import java.io.Serial;

/**
 * A kernel process could not be started or did not become ready.
 */
public class KernelLaunchException extends KernelException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the offending value
     */
    public KernelLaunchException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming the offending value
     * @param cause   the underlying failure
     */
    public KernelLaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
