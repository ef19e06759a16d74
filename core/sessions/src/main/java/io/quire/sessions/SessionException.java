package io.quire.sessions;

import java.io.Serial;

/** Base of the failures of the sessions module: unchecked; subclasses say what failed. */
public class SessionException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the offending value
     */
    public SessionException(String message) {
        super(message);
    }
}
