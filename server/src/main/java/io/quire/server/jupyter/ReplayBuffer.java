package io.quire.server.jupyter;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The messages kept for a session while it has no connection, bounded by a count and a byte total: when full, the
 * oldest messages are dropped and counted. Not thread-safe (guarded by the kernel's relay lock).
 */
final class ReplayBuffer {
    private final int maxMessages;
    private final long maxBytes;
    private final ArrayDeque<Outbound> messages = new ArrayDeque<>();
    private long bytes;
    private long dropped;

    ReplayBuffer(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /**
     * Keeps a message, dropping the oldest ones while over a limit (a single message larger than the byte limit is
     * dropped itself).
     *
     * @param message the message
     */
    void add(Outbound message) {
        long size = message.size();
        if (size > maxBytes) {
            dropped++;
            return;
        }
        messages.addLast(message);
        bytes += size;
        while (messages.size() > maxMessages || bytes > maxBytes) {
            bytes -= messages.pollFirst().size();
            dropped++;
        }
    }

    /** @return the kept messages, oldest first */
    List<Outbound> messages() {
        return List.copyOf(messages);
    }

    /** @return how many messages were dropped */
    long dropped() {
        return dropped;
    }

    /** @return how many bytes are kept */
    long bytes() {
        return bytes;
    }
}
