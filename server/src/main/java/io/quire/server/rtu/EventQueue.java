package io.quire.server.rtu;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The encoded events one connection has yet to write, bounded by a count and a byte total (UTF-16 length as the
 * measure). Producers never block: {@link #offer} refuses what does not fit. One consumer, the connection's writer,
 * {@link #take}s in order until the queue is {@link #close closed}.
 */
final class EventQueue {
    private final int maxEvents;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<String> events = new ArrayDeque<>();
    private long bytes;
    private boolean closed;

    EventQueue(int maxEvents, long maxBytes) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /** Adds an event at the end; false when closed or it does not fit. */
    boolean offer(String event) {
        lock.lock();
        try {
            if (closed || events.size() >= maxEvents || bytes + event.length() > maxBytes) {
                return false;
            }
            events.addLast(event);
            bytes += event.length();
            changed.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Drops every waiting event. */
    void clear() {
        lock.lock();
        try {
            events.clear();
            bytes = 0;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the queue: nothing more is accepted, and {@link #take} returns empty once the rest is taken. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next event, waiting for one.
     *
     * @return the event, or empty when the queue is closed and empty
     * @throws InterruptedException when interrupted while waiting
     */
    Optional<String> take() throws InterruptedException {
        lock.lock();
        try {
            while (events.isEmpty()) {
                if (closed) {
                    return Optional.empty();
                }
                changed.await(1, TimeUnit.MINUTES);
            }
            String next = events.pollFirst();
            bytes -= next.length();
            return Optional.of(next);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next event and those queued right behind it, waiting for the first: at most {@code maxEvents} events and,
     * beyond the first, at most {@code maxChars} characters in all; an event for which {@code alone} holds is only ever
     * taken by itself.
     *
     * @param maxEvents the most events to take
     * @param maxChars  the most characters to take beyond the first event
     * @param alone     events that must be written on their own (e.g. a ping)
     * @return the events in order, empty when the queue is closed and empty
     * @throws InterruptedException when interrupted while waiting
     */
    List<String> takeBatch(int maxEvents, long maxChars, java.util.function.Predicate<String> alone)
            throws InterruptedException {
        lock.lock();
        try {
            while (events.isEmpty()) {
                if (closed) {
                    return List.of();
                }
                changed.await(1, TimeUnit.MINUTES);
            }
            String first = events.pollFirst();
            bytes -= first.length();
            if (alone.test(first) || events.isEmpty()) {
                return List.of(first);
            }
            List<String> batch = new ArrayList<>();
            batch.add(first);
            long chars = 0;
            while (batch.size() < maxEvents && !events.isEmpty() && !alone.test(events.peekFirst())
                    && chars + events.peekFirst().length() <= maxChars) {
                String next = events.pollFirst();
                bytes -= next.length();
                chars += next.length();
                batch.add(next);
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** @return how many events wait */
    int size() {
        lock.lock();
        try {
            return events.size();
        } finally {
            lock.unlock();
        }
    }
}
