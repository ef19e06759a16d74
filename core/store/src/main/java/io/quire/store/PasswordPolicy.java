package io.quire.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How passwords are hashed and how repeated failures are slowed down.
 *
 * <p>Passwords are hashed with Argon2id (password4j), a random 16-byte salt per hash, and stored in the PHC string
 * format ({@code $argon2id$v=19$m=...,t=...,p=...$salt$hash}), which records the parameters: a hash made under older
 * parameters still verifies after they change.
 *
 * @param memoryKib   Argon2 memory cost in KiB, at least 8 per lane
 * @param iterations  Argon2 time cost, at least 1
 * @param parallelism Argon2 lanes, at least 1
 * @param maxFailures consecutive failed logins after which the account is locked, at least 1
 * @param lockout     how long a lock lasts, positive
 */
public record PasswordPolicy(int memoryKib, int iterations, int parallelism, int maxFailures, Duration lockout) {

    /** Checks the bounds. */
    public PasswordPolicy {
        Objects.requireNonNull(lockout, "lockout");
        if (parallelism < 1 || iterations < 1 || memoryKib < 8 * parallelism) {
            throw new IllegalArgumentException("Argon2 needs parallelism >= 1, iterations >= 1 and memory >= 8 KiB"
                    + " per lane; got m=" + memoryKib + ", t=" + iterations + ", p=" + parallelism);
        }
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1, got " + maxFailures);
        }
        if (lockout.isNegative() || lockout.isZero()) {
            throw new IllegalArgumentException("lockout must be positive, got " + lockout);
        }
    }

    /**
     * OWASP's recommended Argon2id parameters (19 MiB, 2 iterations, 1 lane); 5 failures lock an account for 15
     * minutes.
     *
     * @return the default policy
     */
    public static PasswordPolicy defaults() {
        return new PasswordPolicy(19 * 1024, 2, 1, 5, Duration.ofMinutes(15));
    }

    /**
     * This policy with other Argon2 costs (tests use small ones).
     *
     * @param memoryKib   memory in KiB
     * @param iterations  time cost
     * @param parallelism lanes
     * @return the new policy
     */
    public PasswordPolicy withArgon2(int memoryKib, int iterations, int parallelism) {
        return new PasswordPolicy(memoryKib, iterations, parallelism, maxFailures, lockout);
    }

    /**
     * This policy with another lockout rule.
     *
     * @param failures consecutive failures that lock an account
     * @param duration how long the lock lasts
     * @return the new policy
     */
    public PasswordPolicy withLockout(int failures, Duration duration) {
        return new PasswordPolicy(memoryKib, iterations, parallelism, failures, duration);
    }
}
