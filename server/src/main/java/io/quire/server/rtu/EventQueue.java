package io.quire.server.rtu;

import java.util.ArrayDeque;
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
