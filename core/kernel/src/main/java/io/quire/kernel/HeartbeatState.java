package io.quire.kernel;

/*
 * The heartbeat's bookkeeping, the same for both transports: a beat without an answer since the previous beat is a
 * miss; after `allowedMisses` misses in a row the kernel is reported dead, but only once it has answered at least once
 * (a kernel still starting is not dead); an answer after that reports it alive again. Thread-safe.
 */
final class HeartbeatState {
    private final int allowedMisses;
    private boolean everAnswered;
    private boolean reportedDead;
    private int misses;
    private boolean awaitingPong;

    HeartbeatState(int allowedMisses) {
        this.allowedMisses = allowedMisses;
    }

    /** A beat is due (a ping goes out after it); true when the kernel is to be reported dead now. */
    synchronized boolean beat() {
        boolean dead = false;
        if (awaitingPong && everAnswered) {
            misses++;
            if (misses >= allowedMisses && !reportedDead) {
                reportedDead = true;
                dead = true;
            }
        }
        awaitingPong = true;
        return dead;
    }

    /** The kernel answered; true when it had been reported dead and is to be reported alive now. */
    synchronized boolean pong() {
        awaitingPong = false;
        everAnswered = true;
        misses = 0;
        boolean revived = reportedDead;
        reportedDead = false;
        return revived;
    }

    /** Forgets the history, e.g. after a kernel restart. */
    synchronized void reset() {
        everAnswered = false;
        reportedDead = false;
        misses = 0;
        awaitingPong = false;
    }
}
