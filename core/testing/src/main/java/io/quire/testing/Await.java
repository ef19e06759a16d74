package io.quire.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline, for tests that observe asynchronous effects. The condition is
 * re-checked every few milliseconds; the wait ends as soon as it holds, and fails with the description
 * when the deadline passes.
 */
public final class Await {
    private Await() {
    }

    /**
     * Waits until the condition holds.
     *
     * @param timeout     the deadline
     * @param description what is awaited, used in the failure message
     * @param condition   the condition
     * @throws AssertionError when the deadline passes first
     */
    public static void until(Duration timeout, String description, BooleanSupplier condition) {
        untilPresent(timeout, () -> description, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    /**
     * Waits until the supplier returns a non-null value and returns it.
     *
     * @param timeout     the deadline
     * @param description what is awaited, evaluated for the failure message
     * @param value       returns null while the value is not there
     * @param <T>         the value type
     * @return the first non-null value
     * @throws AssertionError when the deadline passes first
     */
    public static <T> T untilPresent(Duration timeout, Supplier<String> description, Supplier<T> value) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T result = value.get();
            if (result != null) {
                return result;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + description.get());
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + description.get());
            }
        }
    }
}
