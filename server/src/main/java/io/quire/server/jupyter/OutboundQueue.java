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
 *
 * <p>One write at a time. Whoever writes a frame holds the queue's write turn: the writer from {@link #take} until
 * {@link #finished}, or a producer that {@link #claim}ed it to write a message itself because nothing waits and
 * nobody writes (decision 0040). While a turn is held, {@link #take} waits, so what was queued meanwhile follows the
 * claimed message in order.
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
    /** Someone holds the write turn. */
    private boolean writing;
    /** When the producer holding the turn claimed it ({@link System#nanoTime()}); meaningful while claimed. */
    private long claimedAt;
    private boolean claimed;

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
     * Takes the write turn for a producer that will write one message itself, when nothing waits, no close or pong is
     * due and nobody writes. The caller must call {@link #finished()} once the message is written or failed.
     *
     * @param now the current {@link System#nanoTime()}
     * @return false when the message must be {@link #offer}ed instead
     */
    boolean claim(long now) {
        lock.lock();
        try {
            if (writing || close != null || pong != null || !messages.isEmpty()) {
                return false;
            }
            writing = true;
            claimed = true;
            claimedAt = now;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Gives the write turn back, after a claimed write or an item from {@link #take}. */
    void finished() {
        lock.lock();
        try {
            writing = false;
            claimed = false;
            if (!messages.isEmpty() || close != null || pong != null) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether a producer's claimed write has been going on for longer than a limit: its socket is not taking data.
     *
     * @param now   the current {@link System#nanoTime()}
     * @param limit the limit in nanoseconds
     * @return true when it has
     */
    boolean claimStalled(long now, long limit) {
        lock.lock();
        try {
            return claimed && now - claimedAt > limit;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next item and with it the write turn, waiting for one (and for a claimed write to finish). The
     * caller must call {@link #finished()} after handling it.
     *
     * @param timeout how long to wait at most
     * @return the item, or empty after the timeout
     * @throws InterruptedException when interrupted while waiting
     */
    Optional<Item> take(long timeout, TimeUnit unit) throws InterruptedException {
        long remaining = unit.toNanos(timeout);
        lock.lock();
        try {
            while (writing || (messages.isEmpty() && close == null && pong == null)) {
                if (remaining <= 0) {
                    return Optional.empty();
                }
                remaining = changed.awaitNanos(remaining);
            }
            writing = true;
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
