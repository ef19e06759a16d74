package io.quire.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who belongs to which organisation, with which role. Every change is written to the audit log in the same
 * transaction. An organisation always keeps at least one owner: demoting or removing the last one is refused.
 */
public final class MembershipRepository {
    private static final String COLUMNS = "org_id, user_id, role, created_at";

    private final StoreContext context;
    private final AuditRepository audit;

    MembershipRepository(StoreContext context, AuditRepository audit) {
        this.context = context;
        this.audit = audit;
    }

    /**
     * Adds a user to an organisation.
     *
     * @param org   the organisation
     * @param user  the user
     * @param role  the role
     * @param actor who adds them, if a user (empty for bootstrap from the command line)
     * @return the membership
     * @throws StoreNotFoundException if the organisation or the user does not exist
     * @throws StoreConflictException if the user is a member already
     */
    public Membership add(OrgId org, UserId user, OrgRole role, Optional<UserId> actor) {
        Objects.requireNonNull(role, "role");
        return context.tx().inTransaction(c -> {
            if (OrganisationRepository.find(c, org).isEmpty()) {
                throw new StoreNotFoundException("no organisation " + org);
            }
            if (!UserRepository.exists(c, user)) {
                throw new StoreNotFoundException("no user " + user);
            }
            if (find(c, org, user).isPresent()) {
                throw new StoreConflictException("user " + user + " is a member of organisation " + org + " already");
            }
            Membership membership = new Membership(org, user, role, context.now());
            Sql.update(c, "INSERT INTO memberships (" + COLUMNS + ") VALUES (?, ?, ?, ?)",
                    org, user, role.dbName(), membership.createdAt());
            audit.append(c, org, actor, "membership.add", "user", user, "role", role.dbName());
            return membership;
        });
    }

    /**
     * Changes a member's role.
     *
     * @param org   the organisation
     * @param user  the member
     * @param role  the new role
     * @param actor who changes it
     * @return the changed membership
     * @throws StoreNotFoundException if the user is not a member
     * @throws StoreConflictException if this would leave the organisation without an owner
     */
    public Membership changeRole(OrgId org, UserId user, OrgRole role, Optional<UserId> actor) {
        Objects.requireNonNull(role, "role");
        return context.tx().inTransaction(c -> {
            Membership current = require(c, org, user);
            if (current.role() == OrgRole.OWNER && role != OrgRole.OWNER) {
                requireAnotherOwner(c, org, user);
            }
            Sql.update(c, "UPDATE memberships SET role = ? WHERE org_id = ? AND user_id = ?", role.dbName(), org, user);
            audit.append(c, org, actor, "membership.role", "user", user, "from", current.role().dbName(), "to",
                    role.dbName());
            return new Membership(org, user, role, current.createdAt());
        });
    }

    /**
     * Removes a user from an organisation, with the user's grants and API tokens in it (tokens are revoked).
     *
     * @param org   the organisation
     * @param user  the member
     * @param actor who removes them
     * @throws StoreNotFoundException if the user is not a member
     * @throws StoreConflictException if the user is the last owner
     */
    public void remove(OrgId org, UserId user, Optional<UserId> actor) {
        context.tx().inTransaction(c -> {
            Membership current = require(c, org, user);
            if (current.role() == OrgRole.OWNER) {
                requireAnotherOwner(c, org, user);
            }
            Sql.update(c, "DELETE FROM grants WHERE org_id = ? AND user_id = ?", org, user);
            Sql.update(c, "UPDATE api_tokens SET revoked_at = ? WHERE org_id = ? AND user_id = ? AND revoked_at IS NULL",
                    context.now(), org, user);
            Sql.update(c, "DELETE FROM memberships WHERE org_id = ? AND user_id = ?", org, user);
            audit.append(c, org, actor, "membership.remove", "user", user, "role", current.role().dbName());
            return null;
        });
    }

    /**
     * A user's membership of an organisation.
     *
     * @param org  the organisation
     * @param user the user
     * @return the membership, or empty if the user is not a member
     */
    public Optional<Membership> find(OrgId org, UserId user) {
        return context.tx().inTransaction(c -> find(c, org, user));
    }

    /**
     * The members of an organisation, oldest first.
     *
     * @param org the organisation
     * @return the memberships
     */
    public List<Membership> list(OrgId org) {
        Objects.requireNonNull(org, "org");
        return context.tx().inTransaction(c -> Sql.query(c, "SELECT " + COLUMNS
                + " FROM memberships WHERE org_id = ? ORDER BY created_at, user_id", MembershipRepository::map, org));
    }

    /**
     * The organisations a user belongs to (the user's own view, for choosing an organisation after sign-in).
     *
     * @param user the user
     * @return the memberships, oldest first
     */
    public List<Membership> ofUser(UserId user) {
        Objects.requireNonNull(user, "user");
        return context.tx().inTransaction(c -> Sql.query(c, "SELECT " + COLUMNS
                + " FROM memberships WHERE user_id = ? ORDER BY created_at, org_id", MembershipRepository::map, user));
    }

    static Optional<Membership> find(Connection c, OrgId org, UserId user) throws SQLException {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(user, "user");
        return Sql.queryOne(c, "SELECT " + COLUMNS + " FROM memberships WHERE org_id = ? AND user_id = ?",
                MembershipRepository::map, org, user);
    }

    private static Membership require(Connection c, OrgId org, UserId user) throws SQLException {
        return find(c, org, user).orElseThrow(() -> new StoreNotFoundException("user " + user
                + " is not a member of organisation " + org));
    }

    private static void requireAnotherOwner(Connection c, OrgId org, UserId user) throws SQLException {
        long others = Sql.count(c, "SELECT COUNT(*) FROM memberships WHERE org_id = ? AND role = 'owner'"
                + " AND user_id <> ?", org, user);
        if (others == 0) {
            throw new StoreConflictException("user " + user + " is the last owner of organisation " + org
                    + "; make another member owner first");
        }
    }

    private static Membership map(ResultSet rows) throws SQLException {
        return new Membership(new OrgId(Sql.uuid(rows, "org_id")), new UserId(Sql.uuid(rows, "user_id")),
                OrgRole.fromName(rows.getString("role")), Sql.instant(rows, "created_at"));
    }
}
