package io.quire.kernel;

/**
 * Receives what happens during one execution. Calls for one execution are made one at a time, in
 * arrival order, on a virtual thread (never on the socket thread), so implementations may block; but a
 * listener that falls {@link KernelClientOptions#listenerQueueLimit()} output messages behind misses further
 * output until it catches up (counted in {@link ClientMetrics#iopubShed()}). Status, results, errors and input
 * requests always arrive.
 */
public interface ExecutionListener {

    /** A listener that ignores events and answers input requests with an empty string. */
    ExecutionListener IGNORE = new ExecutionListener() {
    };

    /**
     * Called for every IOPub message parented to the execution request.
     *
     * @param event the event
     */
    default void onEvent(IopubEvent event) {
    }

    /**
     * Called when the kernel asks for input on stdin; the returned text is sent as the
     * {@code input_reply}. The default answers with an empty string.
     *
     * @param request the prompt and password flag
     * @return the text to send
     */
    default String onInputRequest(InputRequest request) {
        return "";
    }
}
