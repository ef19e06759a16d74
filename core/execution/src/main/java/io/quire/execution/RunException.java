package io.quire.execution;

/** A notebook run could not start or go on (no kernel name, unknown kernel, no parameter translator, ...). */
public final class RunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, for the user
     */
    public RunException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, for the user
     * @param cause   the underlying failure
     */
    public RunException(String message, Throwable cause) {
        super(message, cause);
    }
}
