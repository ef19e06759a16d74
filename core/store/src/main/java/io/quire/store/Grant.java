package io.quire.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A role given to a user on one resource; it applies to everything below the resource too (space → project → file).
 *
 * @param id        the id
 * @param orgId     the organisation
 * @param resource  the space, project or file
 * @param userId    the user
 * @param role      the role
 * @param createdAt when it was granted (or last changed)
 */
public record Grant(java.util.UUID id, OrgId orgId, ResourceRef resource, UserId userId, ResourceRole role,
        Instant createdAt) {
    /** Checks that no component is null. */
    public Grant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
