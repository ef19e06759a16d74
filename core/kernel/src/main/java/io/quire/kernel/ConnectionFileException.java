package io.quire.kernel;

import java.io.Serial;

/**
 * A Jupyter connection file cannot be read, parsed or written.
 */
public class ConnectionFileException extends KernelException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the offending value
     */
    public ConnectionFileException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming the offending value
     * @param cause   the underlying failure
     */
    public ConnectionFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
