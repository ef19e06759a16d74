package io.quire.server.collab;

/**
 * Receives a file's {@link SharedExecutionEvent}s, in the order they happen. Called on the execution's worker thread
 * or on the thread of a control call (interrupt, restart, shutdown); a listener must return quickly (hand events to a
 * bounded per-connection queue) and never call back into the execution from the call. Exceptions are logged and
 * ignored.
 */
@FunctionalInterface
public interface SharedExecutionListener {

    /**
     * An event happened.
     *
     * @param event the event
     */
    void onEvent(SharedExecutionEvent event);
}
