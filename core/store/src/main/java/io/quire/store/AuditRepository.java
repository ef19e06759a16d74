package io.quire.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The audit log: an append-only record, per organisation, of security-relevant actions (memberships, grants, API
 * tokens). The store's own repositories append to it in the same transaction as the change they record, so an
 * action and its audit entry are committed together or not at all.
 */
public final class AuditRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LIMIT = 1000;

    private final StoreContext context;

    AuditRepository(StoreContext context) {
        this.context = context;
    }

    /**
     * Appends an entry.
     *
     * @param org      the organisation
     * @param actor    who did it, if a user did
     * @param action   what was done ({@code [a-z_.]+}, at most 100 characters)
     * @param resource what it was done to, if anything
     * @param details  more about it: a JSON object
     * @return the entry
     * @throws StoreBadRequestException if the action or details are malformed
     * @throws StoreFailureException    if the organisation does not exist or the database fails
     */
    public AuditEntry record(OrgId org, Optional<UserId> actor, String action, Optional<AuditEntry.Target> resource,
            JsonNode details) {
        checkAction(action);
        if (!details.isObject()) {
            throw new StoreBadRequestException("audit details must be a JSON object, got " + details.getNodeType());
        }
        return context.tx().inTransaction(c -> append(c, org, actor, action, resource, details));
    }

    /**
     * The newest entries of an organisation, newest first.
     *
     * @param org   the organisation
     * @param limit how many at most, 1 to 1000
     * @return the entries
     */
    public List<AuditEntry> list(OrgId org, int limit) {
        Objects.requireNonNull(org, "org");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new StoreBadRequestException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        return context.tx().inTransaction(c -> Sql.query(c,
                "SELECT id, org_id, actor_id, action, resource_kind, resource_id, at, details FROM audit_log"
                        + " WHERE org_id = ? ORDER BY at DESC, id FETCH FIRST " + limit + " ROWS ONLY",
                rows -> new AuditEntry(
                        Sql.uuid(rows, "id"),
                        new OrgId(Sql.uuid(rows, "org_id")),
                        Sql.optionalUuid(rows, "actor_id").map(UserId::new),
                        rows.getString("action"),
                        rows.getString("resource_kind") == null ? Optional.empty()
                                : Optional.of(new AuditEntry.Target(rows.getString("resource_kind"),
                                        rows.getString("resource_id"))),
                        Sql.instant(rows, "at"),
                        parse(rows.getString("details"))),
                org));
    }

    /** Appends an entry inside a transaction of the caller. */
    AuditEntry append(Connection c, OrgId org, Optional<UserId> actor, String action,
            Optional<AuditEntry.Target> resource, JsonNode details) throws SQLException {
        UUID id = context.newId();
        var at = context.now();
        Sql.update(c, "INSERT INTO audit_log (id, org_id, actor_id, action, resource_kind, resource_id, at, details)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                id, org, actor, action, resource.map(AuditEntry.Target::kind), resource.map(AuditEntry.Target::id),
                at, write(details));
        return new AuditEntry(id, org, actor, action, resource, at, details);
    }

    /** Shorthand for {@link #append} with a details object built from alternating keys and values. */
    AuditEntry append(Connection c, OrgId org, Optional<UserId> actor, String action, String kind, Object id,
            String... keyValues) throws SQLException {
        var details = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            details.put(keyValues[i], keyValues[i + 1]);
        }
        return append(c, org, actor, action, Optional.of(new AuditEntry.Target(kind, String.valueOf(id))), details);
    }

    private static void checkAction(String action) {
        Objects.requireNonNull(action, "action");
        if (action.isEmpty() || action.length() > 100 || !action.matches("[a-z_.]+")) {
            throw new StoreBadRequestException("audit action '" + action
                    + "' must be 1 to 100 characters of a-z, '_' and '.'");
        }
    }

    private static String write(JsonNode details) {
        try {
            return JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static JsonNode parse(String text) throws SQLException {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SQLException("audit details are not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
