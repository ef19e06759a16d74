package io.quire.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that tests move forward by hand; thread-safe. */
public final class MutableClock extends Clock {
    private volatile Instant now;

    /**
     * @param start the first instant
     */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /**
     * @param step how far to move
     * @return the new instant
     */
    public synchronized Instant advance(Duration step) {
        now = now.plus(step);
        return now;
    }

    /**
     * @param instant the new time, possibly earlier than the current one
     */
    public synchronized void set(Instant instant) {
        now = java.util.Objects.requireNonNull(instant, "instant");
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
