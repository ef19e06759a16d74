package io.quire.execution;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves forward by a fixed step every time it is read; safe to read from any thread. */
final class SteppingClock extends Clock {
    private final Instant start;
    private final Duration step;
    private final AtomicLong reads = new AtomicLong();

    SteppingClock(Instant start, Duration step) {
        this.start = start;
        this.step = step;
    }

    @Override
    public Instant instant() {
        return start.plus(step.multipliedBy(reads.getAndIncrement()));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a stepping clock stays in UTC");
    }
}
