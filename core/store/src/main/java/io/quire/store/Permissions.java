package io.quire.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Effective roles: what a user may do with a space, project or file.
 *
 * <p>Rules: a user outside the organisation has no role on anything in it, whatever grants say. Organisation owners
 * and admins are {@link ResourceRole#OWNER owners} of everything in their organisation. Anyone else has the
 * strongest of the grants that apply: on the resource itself and on every resource above it (space → project →
 * file). Without such a grant a member has no role, and the resource is to be treated as not existing for them.
 */
public final class Permissions {
    private final StoreContext context;

    Permissions(StoreContext context) {
        this.context = context;
    }

    /**
     * The effective role of a user on a resource.
     *
     * @param org      the organisation
     * @param user     the user
     * @param resource the space, project or file
     * @return the role, or empty if the user may not see the resource (or it does not exist in the organisation)
     */
    public Optional<ResourceRole> effectiveRole(OrgId org, UserId user, ResourceRef resource) {
        Objects.requireNonNull(resource, "resource");
        return context.tx().inTransaction(c -> effectiveRole(c, org, user, resource));
    }

    /**
     * Requires a role: for callers that are about to act on a resource.
     *
     * @param org      the organisation
     * @param user     the user
     * @param resource the resource
     * @param needed   the least role the action needs
     * @return the user's role
     * @throws StoreNotFoundException  if the user has no role at all on it (existence is not revealed)
     * @throws StoreForbiddenException if the user's role is weaker than needed
     */
    public ResourceRole require(OrgId org, UserId user, ResourceRef resource, ResourceRole needed) {
        Objects.requireNonNull(needed, "needed");
        ResourceRole role = effectiveRole(org, user, resource)
                .orElseThrow(() -> new StoreNotFoundException("no " + resource.kind().dbName() + " " + resource.id()));
        if (!role.atLeast(needed)) {
            throw new StoreForbiddenException("this needs the role " + needed.dbName() + " on "
                    + resource.kind().dbName() + " " + resource.id() + "; user " + user + " is "
                    + role.dbName());
        }
        return role;
    }

    /**
     * A user's roles in a project and on its single files, for checking many files at once.
     *
     * @param org     the organisation
     * @param user    the user
     * @param project the project
     * @return the access; sees nothing if the user is not a member or the organisation has no such project
     */
    public ProjectAccess projectAccess(OrgId org, UserId user, ProjectId project) {
        Objects.requireNonNull(project, "project");
        return context.tx().inTransaction(c -> {
            Optional<ResourceRole> projectRole = effectiveRole(c, org, user, ResourceRef.project(project));
            Map<FileId, ResourceRole> files = new HashMap<>();
            if (MembershipRepository.find(c, org, user).isPresent()) {
                Sql.query(c, "SELECT g.resource_id, g.role FROM grants g JOIN files f ON f.id = g.resource_id"
                                + " WHERE g.org_id = ? AND g.user_id = ? AND g.resource_kind = 'file'"
                                + " AND f.org_id = ? AND f.project_id = ?",
                        rows -> files.merge(new FileId(Sql.uuid(rows, "resource_id")),
                                ResourceRole.fromName(rows.getString("role")), ResourceRole::max),
                        org, user, org, project);
            }
            return new ProjectAccess(project, projectRole, files);
        });
    }

    static Optional<ResourceRole> effectiveRole(Connection c, OrgId org, UserId user, ResourceRef resource)
            throws SQLException {
        Optional<Membership> membership = MembershipRepository.find(c, org, user);
        if (membership.isEmpty()) {
            return Optional.empty();
        }
        Optional<List<ResourceRef>> chain = chain(c, org, resource);
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        if (membership.get().role().managesEverything()) {
            return Optional.of(ResourceRole.OWNER);
        }
        StringBuilder where = new StringBuilder();
        Object[] parameters = new Object[2 + 2 * chain.get().size()];
        parameters[0] = org;
        parameters[1] = user;
        int i = 2;
        for (ResourceRef ref : chain.get()) {
            where.append(where.isEmpty() ? "" : " OR ").append("(resource_kind = ? AND resource_id = ?)");
            parameters[i++] = ref.kind().dbName();
            parameters[i++] = ref.id();
        }
        return Sql.query(c, "SELECT role FROM grants WHERE org_id = ? AND user_id = ? AND (" + where + ")",
                        rows -> ResourceRole.fromName(rows.getString("role")), parameters)
                .stream().reduce(ResourceRole::max);
    }

    /** The resource and those above it, or empty if the organisation has no such resource. */
    private static Optional<List<ResourceRef>> chain(Connection c, OrgId org, ResourceRef resource)
            throws SQLException {
        return switch (resource.kind()) {
            case SPACE -> Sql.count(c, "SELECT COUNT(*) FROM spaces WHERE org_id = ? AND id = ?", org, resource.id()) > 0
                    ? Optional.of(List.of(resource)) : Optional.empty();
            case PROJECT -> Sql.queryOne(c, "SELECT space_id FROM projects WHERE org_id = ? AND id = ?",
                    rows -> List.of(resource, new ResourceRef(ResourceRef.Kind.SPACE, Sql.uuid(rows, "space_id"))),
                    org, resource.id());
            case FILE -> Sql.queryOne(c, "SELECT f.project_id, p.space_id FROM files f"
                            + " JOIN projects p ON p.id = f.project_id WHERE f.org_id = ? AND f.id = ?",
                    rows -> {
                        UUID project = Sql.uuid(rows, "project_id");
                        UUID space = Sql.uuid(rows, "space_id");
                        return List.of(resource, new ResourceRef(ResourceRef.Kind.PROJECT, project),
                                new ResourceRef(ResourceRef.Kind.SPACE, space));
                    },
                    org, resource.id());
        };
    }
}
