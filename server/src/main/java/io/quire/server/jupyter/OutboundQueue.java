package io.quire.server.jupyter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The messages one WebSocket connection has yet to write, bounded by a count and a byte total, and ended by a close
 * instruction. Producers never block: {@link #offer} refuses a message that does not fit. One consumer (the
 * connection's writer thread) {@link #take}s messages in order and, after the last one, the close.
 */
final class OutboundQueue {
    /** What the writer does next: write a message, answer a ping, or close the WebSocket. */
    sealed interface Item permits Write, Pong, Close {
    }

    /**
     * Answer the client's latest ping (RFC 6455 5.5.2: with its application data).
     *
     * @param payload the ping's application data
     */
    record Pong(byte[] payload) implements Item {
    }

    /** Write a message. */
    record Write(Outbound message) implements Item {
    }

    /**
     * Close the WebSocket; nothing follows.
     *
     * @param code   the close code
     * @param reason the reason
     */
    record Close(int code, String reason) implements Item {
    }

    private final int maxMessages;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Outbound> messages = new ArrayDeque<>();
    private long bytes;
    private Close close;
    /** The latest unanswered ping's data; an older unanswered one needs no answer of its own (RFC 6455 5.5.3). */
    private byte[] pong;

    OutboundQueue(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /**
     * Adds a message at the end unless the queue is closing or the message does not fit.
     *
     * @param message the message
     * @return false when it was refused
     */
    boolean offer(Outbound message) {
        long size = message.size();
        lock.lock();
        try {
            if (close != null || messages.size() >= maxMessages || bytes + size > maxBytes) {
                return false;
            }
            messages.addLast(message);
            bytes += size;
            changed.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Asks the writer to answer a ping before the messages that wait (a control frame may come between them).
     *
     * @param payload the ping's application data (at most 125 bytes)
     */
    void pong(byte[] payload) {
        lock.lock();
        try {
            if (close == null) {
                pong = payload.clone();
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the queue with a close; later offers are refused. A second call has no effect.
     *
     * @param code   the close code
     * @param reason the close reason
     * @return false when the queue was already closing
     */
    boolean close(int code, String reason) {
        lock.lock();
        try {
            if (close != null) {
                return false;
            }
            close = new Close(code, reason);
            changed.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next item, waiting for one.
     *
     * @param timeout how long to wait at most
     * @return the item, or empty after the timeout
     * @throws InterruptedException when interrupted while waiting
     */
    Optional<Item> take(long timeout, TimeUnit unit) throws InterruptedException {
        long remaining = unit.toNanos(timeout);
        lock.lock();
        try {
            while (messages.isEmpty() && close == null && pong == null) {
                if (remaining <= 0) {
                    return Optional.empty();
                }
                remaining = changed.awaitNanos(remaining);
            }
            if (pong != null && close == null) {
                Pong answer = new Pong(pong);
                pong = null;
                return Optional.of(answer);
            }
            Outbound next = messages.pollFirst();
            if (next == null) {
                return Optional.of(close);
            }
            bytes -= next.size();
            return Optional.of(new Write(next));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes and returns every message not yet taken, in order.
     *
     * @return the messages
     */
    List<Outbound> drain() {
        lock.lock();
        try {
            List<Outbound> pending = new ArrayList<>(messages);
            messages.clear();
            bytes = 0;
            return pending;
        } finally {
            lock.unlock();
        }
    }

    /** @return how many messages wait */
    int size() {
        lock.lock();
        try {
            return messages.size();
        } finally {
            lock.unlock();
        }
    }

    /** @return how many bytes wait */
    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }
}
