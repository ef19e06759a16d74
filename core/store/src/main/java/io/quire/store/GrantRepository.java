package io.quire.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Sharing: roles given to members on spaces, projects and files. A user holds at most one grant per resource;
 * granting again replaces the role. Only members of the resource's organisation can hold grants, and removing a
 * member removes their grants. Every change is audited in the same transaction.
 */
public final class GrantRepository {
    private static final String COLUMNS = "id, org_id, resource_kind, resource_id, user_id, role, created_at";

    private final StoreContext context;
    private final AuditRepository audit;

    GrantRepository(StoreContext context, AuditRepository audit) {
        this.context = context;
        this.audit = audit;
    }

    /**
     * Gives a member a role on a resource, replacing any role they had on it.
     *
     * @param org      the organisation
     * @param resource the space, project or file
     * @param user     the member
     * @param role     the role
     * @param actor    who shares it
     * @return the grant
     * @throws StoreNotFoundException if the organisation has no such resource, or the user is not a member
     */
    public Grant grant(OrgId org, ResourceRef resource, UserId user, ResourceRole role, Optional<UserId> actor) {
        Objects.requireNonNull(role, "role");
        return context.tx().inTransaction(c -> {
            requireResource(c, org, resource);
            if (MembershipRepository.find(c, org, user).isEmpty()) {
                throw new StoreNotFoundException("user " + user + " is not a member of organisation " + org);
            }
            Optional<Grant> existing = find(c, org, resource, user);
            Grant grant = new Grant(existing.map(Grant::id).orElseGet(context::newId), org, resource, user, role,
                    context.now());
            if (existing.isPresent()) {
                Sql.update(c, "UPDATE grants SET role = ?, created_at = ? WHERE id = ?", role.dbName(),
                        grant.createdAt(), grant.id());
            } else {
                Sql.update(c, "INSERT INTO grants (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", grant.id(), org,
                        resource.kind().dbName(), resource.id(), user, role.dbName(), grant.createdAt());
            }
            audit.append(c, org, actor, "grant.set", resource.kind().dbName(), resource.id(), "user",
                    user.toString(), "role", role.dbName());
            return grant;
        });
    }

    /**
     * Takes a member's role on a resource away (roles inherited from above stay).
     *
     * @param org      the organisation
     * @param resource the resource
     * @param user     the member
     * @param actor    who revokes it
     * @throws StoreNotFoundException if the user holds no grant on the resource
     */
    public void revoke(OrgId org, ResourceRef resource, UserId user, Optional<UserId> actor) {
        context.tx().inTransaction(c -> {
            Grant grant = find(c, org, resource, user).orElseThrow(() -> new StoreNotFoundException("user " + user
                    + " holds no grant on " + resource));
            Sql.update(c, "DELETE FROM grants WHERE id = ?", grant.id());
            audit.append(c, org, actor, "grant.revoke", resource.kind().dbName(), resource.id(), "user",
                    user.toString(), "role", grant.role().dbName());
            return null;
        });
    }

    /**
     * The grants on one resource (not those inherited from above it).
     *
     * @param org      the organisation
     * @param resource the resource
     * @return the grants, oldest first; empty also when the organisation has no such resource
     */
    public List<Grant> list(OrgId org, ResourceRef resource) {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(resource, "resource");
        return context.tx().inTransaction(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM grants WHERE org_id = ?"
                        + " AND resource_kind = ? AND resource_id = ? ORDER BY created_at, id", GrantRepository::map,
                org, resource.kind().dbName(), resource.id()));
    }

    private static Optional<Grant> find(Connection c, OrgId org, ResourceRef resource, UserId user)
            throws SQLException {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(user, "user");
        return Sql.queryOne(c, "SELECT " + COLUMNS + " FROM grants WHERE org_id = ? AND resource_kind = ?"
                        + " AND resource_id = ? AND user_id = ?", GrantRepository::map,
                org, resource.kind().dbName(), resource.id(), user);
    }

    static void requireResource(Connection c, OrgId org, ResourceRef resource) throws SQLException {
        String table = switch (resource.kind()) {
            case SPACE -> "spaces";
            case PROJECT -> "projects";
            case FILE -> "files";
        };
        if (Sql.count(c, "SELECT COUNT(*) FROM " + table + " WHERE org_id = ? AND id = ?", org, resource.id()) == 0) {
            throw new StoreNotFoundException("no " + resource.kind().dbName() + " " + resource.id());
        }
    }

    static Grant map(ResultSet rows) throws SQLException {
        return new Grant(Sql.uuid(rows, "id"), new OrgId(Sql.uuid(rows, "org_id")),
                new ResourceRef(ResourceRef.Kind.fromDbName(rows.getString("resource_kind")),
                        Sql.uuid(rows, "resource_id")),
                new UserId(Sql.uuid(rows, "user_id")), ResourceRole.fromName(rows.getString("role")),
                Sql.instant(rows, "created_at"));
    }
}
