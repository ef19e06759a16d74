package io.quire.client;

import java.util.Objects;
import java.util.Optional;

/**
 * A wait gave up before what it waited for finished: {@link QuireClient#awaitRun} (the run goes on on the server),
 * {@link QuireClient#awaitExecution} (the execution goes on), or a kernel channel request.
 */
public final class QuireTimeoutException extends QuireException {
    private static final long serialVersionUID = 1L;

    private final transient Optional<Run> run;
    private final transient Optional<Execution> execution;

    /**
     * A wait for a run timed out.
     *
     * @param message  what timed out
     * @param lastSeen the run as last read from the server
     */
    public QuireTimeoutException(String message, Run lastSeen) {
        super(message);
        this.run = Optional.of(Objects.requireNonNull(lastSeen, "lastSeen"));
        this.execution = Optional.empty();
    }

    /**
     * A wait for an execution timed out.
     *
     * @param message  what timed out
     * @param lastSeen the execution as last read from the server
     */
    public QuireTimeoutException(String message, Execution lastSeen) {
        super(message);
        this.run = Optional.empty();
        this.execution = Optional.of(Objects.requireNonNull(lastSeen, "lastSeen"));
    }

    /**
     * Any other wait timed out.
     *
     * @param message what timed out
     */
    public QuireTimeoutException(String message) {
        super(message);
        this.run = Optional.empty();
        this.execution = Optional.empty();
    }

    /**
     * The run as last read before giving up, for a wait on a run.
     *
     * @return the run, not finished; empty for other waits
     */
    public Optional<Run> run() {
        return run;
    }

    /**
     * The execution as last read before giving up, for a wait on an execution.
     *
     * @return the execution, not finished; empty for other waits
     */
    public Optional<Execution> execution() {
        return execution;
    }
}
