package io.quire.kernel;

/**
 * Receives every IOPub message of a client, parented or not (kernel-initiated comm traffic,
 * {@code iopub_welcome}, outputs of other clients' requests). Calls are made one at a time, in arrival
 * order, on a virtual thread.
 */
@FunctionalInterface
public interface IopubListener {
    /**
     * @param message the raw message (with its parent header)
     * @param event   the typed event
     */
    void onMessage(Message message, IopubEvent event);
}
