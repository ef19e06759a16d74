package io.quire.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A person who can sign in. Users exist across organisations (one person may belong to several); what they may see
 * is decided by their {@link Membership memberships} and {@link Grant grants}. The password hash never leaves the
 * store.
 *
 * @param id           the id
 * @param email        the e-mail address, lower case, unique
 * @param displayName  the name shown to others
 * @param hasPassword  whether password sign-in is set up
 * @param failedLogins consecutive failed password sign-ins since the last success
 * @param lockedUntil  until when password sign-in is refused, if locked
 * @param createdAt    when the user was created
 */
public record User(UserId id, String email, String displayName, boolean hasPassword, int failedLogins,
        Optional<Instant> lockedUntil, Instant createdAt) {
    /** Checks that no component is null. */
    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(lockedUntil, "lockedUntil");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
