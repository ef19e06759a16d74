package io.quire.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A project: a tree of files and notebooks inside a space.
 *
 * @param id        the id
 * @param orgId     the organisation
 * @param spaceId   the space holding it
 * @param name      the name, unique in the space
 * @param createdAt when it was created
 */
public record Project(ProjectId id, OrgId orgId, SpaceId spaceId, String name, Instant createdAt) {
    /** Checks that no component is null. */
    public Project {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(spaceId, "spaceId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
