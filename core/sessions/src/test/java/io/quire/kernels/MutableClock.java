package io.quire.kernels;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand. */
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
