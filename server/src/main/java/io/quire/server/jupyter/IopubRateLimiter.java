package io.quire.server.jupyter;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Decides, message by message, whether IOPub output may be relayed to one WebSocket connection, with Jupyter
 * Server's rate limiting ({@code iopub_msg_rate_limit}, {@code iopub_data_rate_limit}, {@code rate_limit_window}).
 *
 * <p>Design: every counted message (any IOPub message except {@code status}, {@code comm_open} and
 * {@code execute_input}, which always pass) enters a sliding window of {@code window} length; stream messages also
 * add their size. The message rate is the count in the window divided by the window, the data rate the bytes divided
 * by the window. A rate above its limit pauses output (and reports {@link Exceeded} once); a paused limit clears when
 * its rate falls below 80 % of the limit (hysteresis, as Jupyter), and output resumes ({@link Resumed}, with how many
 * messages were dropped) when no limit is paused. Dropped messages leave the window again, so the window measures what
 * was relayed: a flood that goes on is relayed in bursts that average the limit. A {@code status: idle} resets
 * everything, so a "run all" of many short cells is not limited by their sum. A limit of 0 is off.
 *
 * <p>Time comes from an injected nanosecond ticker. Not thread-safe: one connection's messages arrive one at a time.
 */
final class IopubRateLimiter {
    private static final double RESUME_FRACTION = 0.8;
    private static final List<String> ALWAYS_PASS = List.of("status", "comm_open", "execute_input");

    /** Which limit a transition concerns. */
    enum Limit {
        /** IOPub messages per second. */
        MESSAGES,
        /** Bytes of stream output per second. */
        DATA
    }

    /** A change of the limiter's state that the client should be told about. */
    sealed interface Transition permits Exceeded, Resumed {
    }

    /**
     * A limit was exceeded; output is paused.
     *
     * @param limit the limit
     */
    record Exceeded(Limit limit) implements Transition {
        Exceeded {
            Objects.requireNonNull(limit, "limit");
        }
    }

    /**
     * Output resumed.
     *
     * @param dropped how many messages were not relayed while paused
     */
    record Resumed(long dropped) implements Transition {
    }

    /**
     * What to do with one message.
     *
     * @param relay       whether to relay it
     * @param transitions state changes this message caused, to tell the client before the message (if relayed)
     */
    record Decision(boolean relay, List<Transition> transitions) {
        static final Decision RELAY = new Decision(true, List.of());
        static final Decision DROP = new Decision(false, List.of());

        Decision {
            transitions = List.copyOf(transitions);
        }
    }

    private record Entry(long expiresAt, long bytes) {
    }

    private final double msgRateLimit;
    private final double dataRateLimit;
    private final long windowNanos;
    private final double windowSeconds;
    private final LongSupplier ticker;
    private final ArrayDeque<Entry> window = new ArrayDeque<>();
    private long windowBytes;
    private boolean msgsExceeded;
    private boolean dataExceeded;
    private long dropped;

    /**
     * Creates a limiter.
     *
     * @param msgRateLimit  messages per second, 0 for no limit
     * @param dataRateLimit bytes of stream output per second, 0 for no limit
     * @param window        the averaging window, positive
     * @param ticker        the current time in nanoseconds (such as {@code System::nanoTime})
     */
    IopubRateLimiter(double msgRateLimit, double dataRateLimit, Duration window, LongSupplier ticker) {
        if (msgRateLimit < 0 || dataRateLimit < 0) {
            throw new IllegalArgumentException("rate limits must not be negative, got " + msgRateLimit + " messages/s and "
                    + dataRateLimit + " bytes/s");
        }
        if (window.toNanos() <= 0) {
            throw new IllegalArgumentException("the rate limit window must be positive, got " + window);
        }
        this.msgRateLimit = msgRateLimit;
        this.dataRateLimit = dataRateLimit;
        this.windowNanos = window.toNanos();
        this.windowSeconds = windowNanos / 1e9;
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /**
     * A limiter configured by the channels options.
     *
     * @param options the options
     * @param ticker  the current time in nanoseconds
     * @return the limiter
     */
    static IopubRateLimiter create(ChannelsOptions options, LongSupplier ticker) {
        return new IopubRateLimiter(options.iopubMsgRateLimit(), options.iopubDataRateLimit(),
                options.rateLimitWindow(), ticker);
    }

    /**
     * Decides about one IOPub message.
     *
     * @param msgType        the message type
     * @param executionState for a {@code status} message its {@code execution_state}, otherwise anything
     * @param bytes          the message's size (counted for {@code stream} messages only)
     * @return whether to relay it, and the transitions it caused
     */
    Decision admit(String msgType, String executionState, long bytes) {
        if (msgType.equals("status") && executionState.equals("idle")) {
            return reset();
        }
        if (ALWAYS_PASS.contains(msgType) || (msgRateLimit == 0 && dataRateLimit == 0)) {
            return Decision.RELAY;
        }
        long now = ticker.getAsLong();
        while (!window.isEmpty() && now - window.peekFirst().expiresAt() >= 0) {
            windowBytes -= window.pollFirst().bytes();
        }
        long counted = msgType.equals("stream") ? bytes : 0;
        window.addLast(new Entry(now + windowNanos, counted));
        windowBytes += counted;
        double msgRate = window.size() / windowSeconds;
        double dataRate = windowBytes / windowSeconds;

        boolean wasPaused = msgsExceeded || dataExceeded;
        List<Transition> transitions = new ArrayList<>(2);
        if (msgRateLimit > 0 && msgRate > msgRateLimit) {
            if (!msgsExceeded) {
                msgsExceeded = true;
                transitions.add(new Exceeded(Limit.MESSAGES));
            }
        } else if (msgsExceeded && msgRate < RESUME_FRACTION * msgRateLimit) {
            msgsExceeded = false;
        }
        if (dataRateLimit > 0 && dataRate > dataRateLimit) {
            if (!dataExceeded) {
                dataExceeded = true;
                transitions.add(new Exceeded(Limit.DATA));
            }
        } else if (dataExceeded && dataRate < RESUME_FRACTION * dataRateLimit) {
            dataExceeded = false;
        }

        if (msgsExceeded || dataExceeded) {
            window.pollLast();
            windowBytes -= counted;
            dropped++;
            return transitions.isEmpty() ? Decision.DROP : new Decision(false, transitions);
        }
        if (wasPaused) {
            transitions.add(new Resumed(dropped));
            dropped = 0;
        }
        return transitions.isEmpty() ? Decision.RELAY : new Decision(true, transitions);
    }

    private Decision reset() {
        boolean wasPaused = msgsExceeded || dataExceeded;
        window.clear();
        windowBytes = 0;
        msgsExceeded = false;
        dataExceeded = false;
        if (!wasPaused) {
            return Decision.RELAY;
        }
        Decision decision = new Decision(true, List.of(new Resumed(dropped)));
        dropped = 0;
        return decision;
    }

    /** @return whether output is paused now */
    boolean paused() {
        return msgsExceeded || dataExceeded;
    }

    /** @return the messages counted in the window as of the last decision */
    int windowMessages() {
        return window.size();
    }

    /** @return the stream bytes counted in the window as of the last decision */
    long windowBytes() {
        return windowBytes;
    }
}
