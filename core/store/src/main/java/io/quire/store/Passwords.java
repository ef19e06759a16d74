package io.quire.store;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.util.Objects;

/**
 * Argon2id password hashing (password4j), in the PHC string format.
 *
 * <p>Hashing costs tens of milliseconds and megabytes of memory by design; it is done outside database
 * transactions, so that a retried transaction does not hash again.
 */
final class Passwords {
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final int MAX_LENGTH = 1024;

    private final Argon2Function function;
    private final String dummyHash;

    Passwords(PasswordPolicy policy) {
        this.function = Argon2Function.getInstance(policy.memoryKib(), policy.iterations(), policy.parallelism(),
                HASH_BYTES, Argon2.ID, Argon2Function.ARGON2_VERSION_13);
        this.dummyHash = hash("no user has this password");
    }

    /** Hashes a password with a fresh random salt. */
    String hash(String password) {
        check(password);
        return Password.hash(password).addRandomSalt(SALT_BYTES).with(function).getResult();
    }

    /** Whether a password matches a stored hash, using the parameters recorded in the hash. */
    boolean verify(String password, String hash) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(hash, "hash");
        if (password.length() > MAX_LENGTH) {
            return false;
        }
        Argon2Function stored;
        try {
            stored = Argon2Function.getInstanceFromHash(hash);
        } catch (RuntimeException e) {
            throw new StoreFailureException("a stored password hash is not an Argon2 PHC string", e);
        }
        return Password.check(password, hash).with(stored);
    }

    /** Spends the time of one verification, for sign-ins of unknown users (no timing hint that they are unknown). */
    void verifyDummy(String password) {
        verify(password.length() > MAX_LENGTH ? "" : password, dummyHash);
    }

    static void check(String password) {
        Objects.requireNonNull(password, "password");
        if (password.length() < 8) {
            throw new StoreBadRequestException("a password must have at least 8 characters");
        }
        if (password.length() > MAX_LENGTH) {
            throw new StoreBadRequestException("a password must have at most " + MAX_LENGTH + " characters");
        }
    }
}
