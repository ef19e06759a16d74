package io.quire.kernel;

/** A listener registration; {@link #close()} removes the listener. */
@FunctionalInterface
public interface Registration extends AutoCloseable {
    /** Removes the listener; calling it again has no effect. */
    @Override
    void close();
}
