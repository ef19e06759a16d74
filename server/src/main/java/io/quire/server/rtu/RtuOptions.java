package io.quire.server.rtu;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the real-time channel {@code /api/v1/rtu}.
 *
 * @param maxQueuedEvents how many events one connection may have waiting to be written before it is told to resync
 * @param maxQueuedBytes  how many bytes of events one connection may have waiting
 * @param pollInterval    how often a node reads the log of each file it has subscribers for, to fan out deltas other
 *                        nodes sequenced ({@link Duration#ZERO}: never; one process alone)
 * @param maxCatchUp      how many deltas a subscriber may be behind and still be sent them; further behind it gets a
 *                        snapshot
 * @param idleTimeout     how long a connection may stay silent (no event, no pong) before it is dropped with its
 *                        subscriptions and presence; the server pings a connection silent for a third of it
 *                        ({@link Duration#ZERO}: never)
 * @param kernelLeaseTtl  how long a node's kernel lease on a file lasts without renewal (renewed every third of it):
 *                        how long the files of a dead node wait before another node runs their executions
 * @param presenceTtl     team mode, several nodes: how long another node's client stays present here without its
 *                        node repeating its presence (repeated every third of it); how far back a node that starts
 *                        serving a file reads the other nodes' events; they are kept twice as long (decision 0028)
 * @param writeAfter      how long a live notebook's log must be quiet before the server writes its document to the
 *                        file (a new version on the database store); it is also written when its last subscriber on a
 *                        node leaves ({@link Duration#ZERO}: only then; decision 0029)
 */
public record RtuOptions(int maxQueuedEvents, long maxQueuedBytes, Duration pollInterval, int maxCatchUp,
        Duration idleTimeout, Duration kernelLeaseTtl, Duration presenceTtl, Duration writeAfter) {
    /** The default {@link #maxQueuedEvents()}. */
    public static final int DEFAULT_MAX_QUEUED_EVENTS = 10_000;
    /** The default {@link #maxQueuedBytes()}: 32 MiB. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 32L * 1024 * 1024;
    /** The default {@link #pollInterval()}. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(50);
    /** The default {@link #maxCatchUp()}. */
    public static final int DEFAULT_MAX_CATCH_UP = 1_000;
    /** The default {@link #idleTimeout()}. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** The default {@link #kernelLeaseTtl()}. */
    public static final Duration DEFAULT_KERNEL_LEASE_TTL = Duration.ofSeconds(15);
    /** The default {@link #presenceTtl()}. */
    public static final Duration DEFAULT_PRESENCE_TTL = Duration.ofSeconds(15);
    /** The default {@link #writeAfter()}. */
    public static final Duration DEFAULT_WRITE_AFTER = Duration.ofSeconds(5);

    /** Validates the fields. */
    public RtuOptions {
        if (maxQueuedEvents < 1) {
            throw new IllegalArgumentException("rtu-queue-max-events must be at least 1, got " + maxQueuedEvents);
        }
        if (maxQueuedBytes < 1) {
            throw new IllegalArgumentException("rtu-queue-max-bytes must be at least 1, got " + maxQueuedBytes);
        }
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isNegative()) {
            throw new IllegalArgumentException("rtu-poll-interval must not be negative, got " + pollInterval);
        }
        if (maxCatchUp < 0) {
            throw new IllegalArgumentException("rtu-max-catch-up must not be negative, got " + maxCatchUp);
        }
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || !idleTimeout.isZero() && idleTimeout.toMillis() < 30) {
            throw new IllegalArgumentException("rtu-idle-timeout must be 0 (off) or at least 0.03 s, got "
                    + idleTimeout);
        }
        Objects.requireNonNull(kernelLeaseTtl, "kernelLeaseTtl");
        if (kernelLeaseTtl.toMillis() < 3) {
            throw new IllegalArgumentException("rtu-kernel-lease-ttl must be positive, got " + kernelLeaseTtl);
        }
        Objects.requireNonNull(presenceTtl, "presenceTtl");
        if (presenceTtl.toMillis() < 30) {
            throw new IllegalArgumentException("rtu-presence-ttl must be at least 0.03 s, got " + presenceTtl);
        }
        Objects.requireNonNull(writeAfter, "writeAfter");
        if (writeAfter.isNegative() || !writeAfter.isZero() && writeAfter.toMillis() < 10) {
            throw new IllegalArgumentException("rtu-write-after must be 0 (only when the last subscriber leaves) or at"
                    + " least 0.01 s, got " + writeAfter);
        }
    }

    /**
     * @return 10,000 events or 32 MiB per connection, a 50 ms poll, 1,000 deltas of catch-up, 60 s idle timeout, 15 s
     *         kernel leases, 15 s presence TTL, written after 5 s of quiet
     */
    public static RtuOptions defaults() {
        return new RtuOptions(DEFAULT_MAX_QUEUED_EVENTS, DEFAULT_MAX_QUEUED_BYTES, DEFAULT_POLL_INTERVAL,
                DEFAULT_MAX_CATCH_UP, DEFAULT_IDLE_TIMEOUT, DEFAULT_KERNEL_LEASE_TTL, DEFAULT_PRESENCE_TTL, DEFAULT_WRITE_AFTER);
    }

    /**
     * @param ttl the kernel lease TTL
     * @return these options with another kernel lease TTL
     */
    public RtuOptions withKernelLeaseTtl(Duration ttl) {
        return new RtuOptions(maxQueuedEvents, maxQueuedBytes, pollInterval, maxCatchUp, idleTimeout, ttl, presenceTtl,
                writeAfter);
    }

    /**
     * @param timeout the idle timeout
     * @return these options with another idle timeout
     */
    public RtuOptions withIdleTimeout(Duration timeout) {
        return new RtuOptions(maxQueuedEvents, maxQueuedBytes, pollInterval, maxCatchUp, timeout, kernelLeaseTtl,
                presenceTtl, writeAfter);
    }

    /**
     * @param events the event limit
     * @param bytes  the byte limit
     * @return these options with other queue limits
     */
    public RtuOptions withQueue(int events, long bytes) {
        return new RtuOptions(events, bytes, pollInterval, maxCatchUp, idleTimeout, kernelLeaseTtl, presenceTtl,
                writeAfter);
    }

    /**
     * @param interval the poll interval
     * @return these options with another poll interval
     */
    public RtuOptions withPollInterval(Duration interval) {
        return new RtuOptions(maxQueuedEvents, maxQueuedBytes, interval, maxCatchUp, idleTimeout, kernelLeaseTtl,
                presenceTtl, writeAfter);
    }

    /**
     * @param deltas the catch-up limit
     * @return these options with another catch-up limit
     */
    public RtuOptions withMaxCatchUp(int deltas) {
        return new RtuOptions(maxQueuedEvents, maxQueuedBytes, pollInterval, deltas, idleTimeout, kernelLeaseTtl,
                presenceTtl, writeAfter);
    }

    /**
     * @param ttl the presence TTL
     * @return these options with another presence TTL
     */
    public RtuOptions withPresenceTtl(Duration ttl) {
        return new RtuOptions(maxQueuedEvents, maxQueuedBytes, pollInterval, maxCatchUp, idleTimeout, kernelLeaseTtl,
                ttl, writeAfter);
    }

    /**
     * @param quiet how long a log must be quiet before it is written ({@link Duration#ZERO}: only on last leave)
     * @return these options with another write delay
     */
    public RtuOptions withWriteAfter(Duration quiet) {
        return new RtuOptions(maxQueuedEvents, maxQueuedBytes, pollInterval, maxCatchUp, idleTimeout, kernelLeaseTtl,
                presenceTtl, quiet);
    }
}
