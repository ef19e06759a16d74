package io.quire.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A space: the top level of an organisation's content, holding projects.
 *
 * @param id        the id
 * @param orgId     the organisation
 * @param name      the name, unique in the organisation
 * @param createdAt when it was created
 */
public record Space(SpaceId id, OrgId orgId, String name, Instant createdAt) {
    /** Checks that no component is null. */
    public Space {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
