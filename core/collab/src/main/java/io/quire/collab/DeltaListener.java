package io.quire.collab;

/**
 * Observes a file's log: told of every delta once it is sequenced, whether this process submitted it or read it from
 * the store after another writer (server node) appended it. Register with {@link DeltaLog#addListener}.
 *
 * <p>Calls are made in sequence order, one at a time, on the thread that sequenced or caught up, while that thread
 * holds the log's lock: during the call {@link DeltaLog#state()} is the document right after this delta. So a listener
 * must return quickly and must not block on other threads that submit to the same log; hand work to a queue.
 * An exception thrown by a listener is logged and does not affect the log or other listeners.
 */
@FunctionalInterface
public interface DeltaListener {

    /**
     * A delta was sequenced (it is persisted and applied).
     *
     * @param delta the delta as the log holds it
     */
    void onDelta(SequencedDelta delta);
}
