package io.quire.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One security-relevant event in an organisation's audit log.
 *
 * @param id         the id
 * @param orgId      the organisation
 * @param actor      who did it, if a user did
 * @param action     what was done, such as {@code token.create} or {@code grant.set}
 * @param resource   what it was done to, if anything: a kind ({@code user}, {@code token}, {@code space}, ...)
 *                   and an id
 * @param at         when
 * @param details    more about it, as a JSON object
 */
public record AuditEntry(UUID id, OrgId orgId, Optional<UserId> actor, String action, Optional<Target> resource,
        Instant at, JsonNode details) {

    /**
     * What an audited action was done to.
     *
     * @param kind the kind of thing, such as {@code user}, {@code token}, {@code file}
     * @param id   its id
     */
    public record Target(String kind, String id) {
        /** Checks that no component is null. */
        public Target {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(id, "id");
        }
    }

    /** Checks that no component is null and copies the details. */
    public AuditEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(at, "at");
        details = Objects.requireNonNull(details, "details").deepCopy();
    }

    @Override
    public JsonNode details() {
        return details.deepCopy();
    }
}
