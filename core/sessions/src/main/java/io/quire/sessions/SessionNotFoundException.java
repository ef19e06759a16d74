package io.quire.sessions;

import java.io.Serial;

/** No session has the given id. */
public class SessionNotFoundException extends SessionException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String sessionId;

    /**
     * @param sessionId the unknown id
     */
    public SessionNotFoundException(String sessionId) {
        super("no session with id '" + sessionId + "'");
        this.sessionId = sessionId;
    }

    /** @return the unknown id */
    public String sessionId() {
        return sessionId;
    }
}
