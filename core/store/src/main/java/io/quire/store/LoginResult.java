package io.quire.store;

import java.time.Instant;
import java.util.Objects;

/** The outcome of a password sign-in. */
public sealed interface LoginResult {

    /**
     * The password matched; the failure counter was reset.
     *
     * @param user the user signed in
     */
    record Success(User user) implements LoginResult {
        /** Checks the user is present. */
        public Success {
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * The e-mail address or the password was wrong (which of the two is not told). A wrong password counts towards
     * the lockout.
     */
    record Failure() implements LoginResult {
    }

    /**
     * The account is locked after too many failures; the password was not checked.
     *
     * @param until when sign-in is allowed again
     */
    record Locked(Instant until) implements LoginResult {
        /** Checks the time is present. */
        public Locked {
            Objects.requireNonNull(until, "until");
        }
    }
}
