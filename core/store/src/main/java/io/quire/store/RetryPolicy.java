package io.quire.store;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently a transaction is run again after a serialization conflict.
 *
 * <p>Attempt {@code n} (from 1) that fails with a conflict is followed by a pause drawn uniformly from
 * {@code [0, min(maxBackoff, initialBackoff * 2^(n-1))]} ("full jitter"), so that transactions that collided do not
 * collide again in lockstep.
 *
 * @param maxAttempts    how many times a transaction is run at most, at least 1
 * @param initialBackoff the upper bound of the first pause, not negative
 * @param maxBackoff     the upper bound of any pause, not below {@code initialBackoff}
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** Checks the bounds. */
    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (initialBackoff.isNegative()) {
            throw new IllegalArgumentException("initialBackoff must not be negative, got " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is below initialBackoff "
                    + initialBackoff);
        }
    }

    /**
     * Ten attempts, pauses from up to 5 ms growing to at most 1 s.
     *
     * @return the default policy
     */
    public static RetryPolicy defaults() {
        return new RetryPolicy(10, Duration.ofMillis(5), Duration.ofSeconds(1));
    }

    /**
     * The pause after a failed attempt.
     *
     * @param attempt the attempt that failed, from 1
     * @param random  the source of jitter
     * @return a pause between zero and the attempt's bound
     */
    public Duration backoff(int attempt, RandomGenerator random) {
        long initial = initialBackoff.toNanos();
        long bound = maxBackoff.toNanos();
        int doublings = Math.min(Math.max(attempt - 1, 0), 62);
        long ceiling = initial > (bound >> doublings) ? bound : Math.min(bound, initial << doublings);
        return ceiling <= 0 ? Duration.ZERO : Duration.ofNanos(random.nextLong(ceiling + 1));
    }
}
