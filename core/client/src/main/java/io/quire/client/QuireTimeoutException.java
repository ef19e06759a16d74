package io.quire.client;

import java.util.Objects;

/** {@link QuireClient#awaitRun} gave up before the run finished; the run goes on on the server. */
public final class QuireTimeoutException extends QuireException {
    private static final long serialVersionUID = 1L;

    private final transient Run lastSeen;

    /**
     * Creates the exception.
     *
     * @param message  what timed out
     * @param lastSeen the run as last read from the server
     */
    public QuireTimeoutException(String message, Run lastSeen) {
        super(message);
        this.lastSeen = Objects.requireNonNull(lastSeen, "lastSeen");
    }

    /**
     * The run as last read before giving up.
     *
     * @return the run, not finished
     */
    public Run lastSeen() {
        return lastSeen;
    }
}
