package io.quire.kernel;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Settings of a {@link KernelClient}; start from {@link #defaults()} and adjust with the {@code with...}
 * methods.
 *
 * @param username          the user name put in message headers
 * @param requestTimeout    how long blocking requests (complete, inspect, interrupt, ...) wait for a reply
 * @param heartbeatInterval how often the heartbeat is pinged
 * @param heartbeatMisses   consecutive unanswered pings after which the kernel is unresponsive
 * @param nudgeInterval     how often {@link KernelClient#kernelInfo} re-sends its request until IOPub is live
 * @param iopubGrace        how long an execution waits for IOPub {@code idle} after its reply before
 *                          completing anyway (protects against IOPub messages lost to a slow-joining SUB)
 * @param clock             the clock for header dates
 * @param callbackExecutor  runs listener callbacks; the default starts a virtual thread per task
 * @param listenerQueueLimit how many sheddable IOPub messages (output: streams, displays, comm messages) may wait
 *                          for one slow listener before further ones are dropped for it; replies, stdin requests and
 *                          lifecycle IOPub messages ({@code status}, {@code execute_input}, {@code execute_result},
 *                          {@code error}, {@code comm_open}, {@code comm_close}) are never dropped. See
 *                          {@link KernelClient#onAnyMessage} and {@link ClientMetrics#iopubShed()}.
 */
public record KernelClientOptions(String username, Duration requestTimeout, Duration heartbeatInterval,
                                  int heartbeatMisses, Duration nudgeInterval, Duration iopubGrace, Clock clock,
                                  Executor callbackExecutor, int listenerQueueLimit) {

    /** The default {@link #listenerQueueLimit()}. */
    public static final int DEFAULT_LISTENER_QUEUE_LIMIT = 10_000;

    private static final Executor VIRTUAL_THREADS =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("quire-kernel-callback-", 0).factory());

    /** Validates the settings. */
    public KernelClientOptions {
        Objects.requireNonNull(username, "username");
        positive("requestTimeout", requestTimeout);
        positive("heartbeatInterval", heartbeatInterval);
        positive("nudgeInterval", nudgeInterval);
        positive("iopubGrace", iopubGrace);
        if (heartbeatMisses < 1) {
            throw new IllegalArgumentException("heartbeatMisses must be at least 1 but was " + heartbeatMisses);
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(callbackExecutor, "callbackExecutor");
        if (listenerQueueLimit < 1) {
            throw new IllegalArgumentException("listenerQueueLimit must be at least 1 but was " + listenerQueueLimit);
        }
    }

    /**
     * Defaults: the OS user name, 30 s request timeout, heartbeat every 1 s with 3 misses allowed, nudge
     * every 100 ms, 30 s IOPub grace, the UTC system clock, virtual-thread callbacks, 10,000 sheddable
     * messages waiting per listener.
     *
     * @return the default options
     */
    public static KernelClientOptions defaults() {
        return new KernelClientOptions(System.getProperty("user.name", "quire"), Duration.ofSeconds(30),
                Duration.ofSeconds(1), 3, Duration.ofMillis(100), Duration.ofSeconds(30), Clock.systemUTC(),
                VIRTUAL_THREADS, DEFAULT_LISTENER_QUEUE_LIMIT);
    }

    /**
     * @param timeout the new request timeout
     * @return a copy with it
     */
    public KernelClientOptions withRequestTimeout(Duration timeout) {
        return new KernelClientOptions(username, timeout, heartbeatInterval, heartbeatMisses, nudgeInterval,
                iopubGrace, clock, callbackExecutor, listenerQueueLimit);
    }

    /**
     * @param interval the ping interval
     * @param misses   consecutive misses after which the kernel is unresponsive
     * @return a copy with them
     */
    public KernelClientOptions withHeartbeat(Duration interval, int misses) {
        return new KernelClientOptions(username, requestTimeout, interval, misses, nudgeInterval, iopubGrace, clock,
                callbackExecutor, listenerQueueLimit);
    }

    /**
     * @param grace the new IOPub grace
     * @return a copy with it
     */
    public KernelClientOptions withIopubGrace(Duration grace) {
        return new KernelClientOptions(username, requestTimeout, heartbeatInterval, heartbeatMisses, nudgeInterval,
                grace, clock, callbackExecutor, listenerQueueLimit);
    }

    /**
     * @param newClock the clock for header dates
     * @return a copy with it
     */
    public KernelClientOptions withClock(Clock newClock) {
        return new KernelClientOptions(username, requestTimeout, heartbeatInterval, heartbeatMisses, nudgeInterval,
                iopubGrace, newClock, callbackExecutor, listenerQueueLimit);
    }

    /**
     * @param executor runs listener callbacks
     * @return a copy with it
     */
    public KernelClientOptions withCallbackExecutor(Executor executor) {
        return new KernelClientOptions(username, requestTimeout, heartbeatInterval, heartbeatMisses, nudgeInterval,
                iopubGrace, clock, executor, listenerQueueLimit);
    }

    /**
     * @param limit sheddable IOPub messages that may wait for one listener, at least 1
     * @return a copy with it
     */
    public KernelClientOptions withListenerQueueLimit(int limit) {
        return new KernelClientOptions(username, requestTimeout, heartbeatInterval, heartbeatMisses, nudgeInterval,
                iopubGrace, clock, callbackExecutor, limit);
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive but was " + value);
        }
    }
}
