package io.quire.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A user's membership of an organisation.
 *
 * @param orgId     the organisation
 * @param userId    the user
 * @param role      the role in the organisation
 * @param createdAt when the user joined
 */
public record Membership(OrgId orgId, UserId userId, OrgRole role, Instant createdAt) {
    /** Checks that no component is null. */
    public Membership {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
