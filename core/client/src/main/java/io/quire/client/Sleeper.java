package io.quire.client;

import java.time.Duration;

/** Waits between two polls; tests inject one that advances a fake clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    /**
     * Waits.
     *
     * @param duration how long, positive
     * @throws InterruptedException if the thread was interrupted meanwhile
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * The real one: {@link Thread#sleep(Duration)}.
     *
     * @return the sleeper
     */
    static Sleeper system() {
        return Thread::sleep;
    }
}
