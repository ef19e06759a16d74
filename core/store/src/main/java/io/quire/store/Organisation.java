package io.quire.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An organisation: the tenant that owns spaces, projects, files, tokens and an audit log. Every row of those belongs
 * to exactly one organisation, and every read of them names it.
 *
 * @param id        the id
 * @param slug      the unique short name ({@code [a-z0-9][a-z0-9-]*}, at most 64 characters)
 * @param name      the display name
 * @param createdAt when it was created
 */
public record Organisation(OrgId id, String slug, String name, Instant createdAt) {
    /** Checks that no component is null. */
    public Organisation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
