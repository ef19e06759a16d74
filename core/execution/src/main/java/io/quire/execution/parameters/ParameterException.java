package io.quire.execution.parameters;

/** Notebook parameters could not be read or rendered; the message says which and why. */
public final class ParameterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong
     */
    public ParameterException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what is wrong
     * @param cause   the underlying failure
     */
    public ParameterException(String message, Throwable cause) {
        super(message, cause);
    }
}
