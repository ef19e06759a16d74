package io.quire.server.jupyter;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the kernel channels WebSocket ({@link KernelChannels}): the outbound queue of each connection, IOPub rate
 * limiting, and buffering for clients that reconnect.
 *
 * <p>Defaults ({@link #defaults()}): a connection may have 10,000 messages or 32 MiB waiting to be written, and is
 * closed with 1008 when it falls further behind (after a 10 s grace to write the close frame, its socket is
 * aborted); IOPub output is limited to 1,000 messages/s and 1,000,000 bytes/s of stream output over a 3 s window, as
 * Jupyter Server's {@code iopub_msg_rate_limit}, {@code iopub_data_rate_limit} and {@code rate_limit_window}; a
 * session whose last connection went away is buffered for 60 s, at most 1,000 messages or 10 MiB (oldest dropped
 * first); the kernel's receiving thread writes up to 1 MiB per second per connection itself while that
 * connection's queue is empty (see {@link KernelChannels}), and a connection whose direct write has not finished
 * after 1 s is aborted. The server's configuration sets them ({@code iopub-msg-rate-limit},
 * {@code iopub-data-rate-limit}, {@code rate-limit-window}, {@code ws-queue-max-messages}, {@code ws-queue-max-bytes},
 * {@code ws-close-grace}, {@code ws-replay-timeout}, {@code ws-replay-max-messages}, {@code ws-replay-max-bytes},
 * {@code ws-direct-write-budget}).
 *
 * @param maxQueuedMessages  messages a connection may have waiting to be written before it is closed as too slow
 * @param maxQueuedBytes     bytes a connection may have waiting to be written before it is closed as too slow
 * @param closeGrace         how long a connection closed by the server may take to write its close frame before its
 *                           socket is aborted
 * @param iopubMsgRateLimit  IOPub messages per second relayed to one connection before output is paused; 0 disables
 * @param iopubDataRateLimit bytes of IOPub {@code stream} messages per second relayed to one connection before output
 *                           is paused; 0 disables
 * @param rateLimitWindow    the window over which both rates are averaged
 * @param bufferTimeout      how long the messages of a disconnected session are kept for its reconnection; zero
 *                           disables buffering
 * @param maxBufferedMessages messages kept per disconnected session (the oldest are dropped)
 * @param maxBufferedBytes   bytes kept per disconnected session (the oldest messages are dropped)
 * @param directWriteBudget  bytes per second per connection that the kernel's receiving thread may write itself
 *                           instead of handing them to the connection's writer; 0 disables direct writes
 * @param directWriteStall   how long a direct write may take before its connection is aborted as not reading
 */
public record ChannelsOptions(int maxQueuedMessages, long maxQueuedBytes, Duration closeGrace, double iopubMsgRateLimit,
                              double iopubDataRateLimit, Duration rateLimitWindow, Duration bufferTimeout,
                              int maxBufferedMessages, long maxBufferedBytes, long directWriteBudget,
                              Duration directWriteStall) {

    /**
     * Validates the limits.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public ChannelsOptions {
        requireArgument(maxQueuedMessages > 0, "max queued messages must be positive, got " + maxQueuedMessages);
        requireArgument(maxQueuedBytes > 0, "max queued bytes must be positive, got " + maxQueuedBytes);
        requireArgument(!Objects.requireNonNull(closeGrace, "closeGrace").isNegative(),
                "close grace must not be negative, got " + closeGrace);
        requireArgument(iopubMsgRateLimit >= 0 && Double.isFinite(iopubMsgRateLimit),
                "iopub message rate limit must be 0 (off) or positive, got " + iopubMsgRateLimit);
        requireArgument(iopubDataRateLimit >= 0 && Double.isFinite(iopubDataRateLimit),
                "iopub data rate limit must be 0 (off) or positive, got " + iopubDataRateLimit);
        requireArgument(Objects.requireNonNull(rateLimitWindow, "rateLimitWindow").toNanos() > 0,
                "rate limit window must be positive, got " + rateLimitWindow);
        requireArgument(!Objects.requireNonNull(bufferTimeout, "bufferTimeout").isNegative(),
                "buffer timeout must not be negative, got " + bufferTimeout);
        requireArgument(maxBufferedMessages > 0, "max buffered messages must be positive, got " + maxBufferedMessages);
        requireArgument(maxBufferedBytes > 0, "max buffered bytes must be positive, got " + maxBufferedBytes);
        requireArgument(directWriteBudget >= 0, "direct write budget must be 0 (off) or positive, got "
                + directWriteBudget);
        requireArgument(Objects.requireNonNull(directWriteStall, "directWriteStall").toNanos() > 0,
                "direct write stall must be positive, got " + directWriteStall);
    }

    /**
     * The defaults described on the type.
     *
     * @return the defaults
     */
    public static ChannelsOptions defaults() {
        return new ChannelsOptions(10_000, 32L * 1024 * 1024, Duration.ofSeconds(10), 1000, 1_000_000,
                Duration.ofSeconds(3), Duration.ofSeconds(60), 1_000, 10L * 1024 * 1024, 1024 * 1024,
                Duration.ofSeconds(1));
    }

    /**
     * These options with other outbound queue limits.
     *
     * @param messages   messages a connection may have waiting
     * @param bytes      bytes a connection may have waiting
     * @param closeGrace how long a close may take before the socket is aborted
     * @return the new options
     * @throws IllegalArgumentException for a value out of range
     */
    public ChannelsOptions withQueue(int messages, long bytes, Duration closeGrace) {
        return new ChannelsOptions(messages, bytes, closeGrace, iopubMsgRateLimit, iopubDataRateLimit,
                rateLimitWindow, bufferTimeout, maxBufferedMessages, maxBufferedBytes, directWriteBudget,
                directWriteStall);
    }

    /**
     * These options with other IOPub rate limits.
     *
     * @param messagesPerSecond IOPub messages per second, 0 for no limit
     * @param bytesPerSecond    bytes of stream output per second, 0 for no limit
     * @param window            the averaging window
     * @return the new options
     * @throws IllegalArgumentException for a value out of range
     */
    public ChannelsOptions withRateLimits(double messagesPerSecond, double bytesPerSecond, Duration window) {
        return new ChannelsOptions(maxQueuedMessages, maxQueuedBytes, closeGrace, messagesPerSecond, bytesPerSecond,
                window, bufferTimeout, maxBufferedMessages, maxBufferedBytes, directWriteBudget, directWriteStall);
    }

    /**
     * These options with other buffering limits for disconnected sessions.
     *
     * @param timeout  how long a disconnected session is buffered, zero to disable
     * @param messages messages kept per session
     * @param bytes    bytes kept per session
     * @return the new options
     * @throws IllegalArgumentException for a value out of range
     */
    public ChannelsOptions withBuffering(Duration timeout, int messages, long bytes) {
        return new ChannelsOptions(maxQueuedMessages, maxQueuedBytes, closeGrace, iopubMsgRateLimit,
                iopubDataRateLimit, rateLimitWindow, timeout, messages, bytes, directWriteBudget, directWriteStall);
    }

    /**
     * These options with other limits for direct writes.
     *
     * @param bytesPerSecond what the kernel's receiving thread may write itself per connection and second; 0 disables
     * @param stall          how long a direct write may take before its connection is aborted
     * @return the new options
     * @throws IllegalArgumentException for a value out of range
     */
    public ChannelsOptions withDirectWrites(long bytesPerSecond, Duration stall) {
        return new ChannelsOptions(maxQueuedMessages, maxQueuedBytes, closeGrace, iopubMsgRateLimit,
                iopubDataRateLimit, rateLimitWindow, bufferTimeout, maxBufferedMessages, maxBufferedBytes,
                bytesPerSecond, stall);
    }

    private static void requireArgument(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
