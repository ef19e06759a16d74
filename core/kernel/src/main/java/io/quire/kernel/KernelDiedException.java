package io.quire.kernel;

import java.io.Serial;

/**
 * The kernel died (its process exited or it stopped answering heartbeats) before a request completed; also thrown at once for requests sent to a kernel already known to be dead.
 */
public class KernelDiedException extends KernelException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the offending value
     */
    public KernelDiedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming the offending value
     * @param cause   the underlying failure
     */
    public KernelDiedException(String message, Throwable cause) {
        super(message, cause);
    }
}
