package io.quire.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Projects of an organisation, each in a space. */
public final class ProjectRepository {
    private static final String COLUMNS = "id, org_id, space_id, name, created_at";

    private final StoreContext context;

    ProjectRepository(StoreContext context) {
        this.context = context;
    }

    /**
     * Creates a project.
     *
     * @param org   the organisation
     * @param space the space to hold it
     * @param name  the name, unique in the space
     * @return the project
     * @throws StoreNotFoundException   if the organisation has no such space
     * @throws StoreConflictException   if the name is taken in the space
     * @throws StoreBadRequestException if the name is malformed
     */
    public Project create(OrgId org, SpaceId space, String name) {
        String checked = Names.name("project name", name, 200);
        return context.tx().inTransaction(c -> {
            if (SpaceRepository.find(c, org, space).isEmpty()) {
                throw new StoreNotFoundException("no space " + space);
            }
            if (Sql.count(c, "SELECT COUNT(*) FROM projects WHERE space_id = ? AND name = ?", space, checked) > 0) {
                throw new StoreConflictException("a project named '" + checked + "' exists in space " + space);
            }
            Project project = new Project(new ProjectId(context.newId()), org, space, checked, context.now());
            Sql.update(c, "INSERT INTO projects (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)",
                    project.id(), org, space, checked, project.createdAt());
            return project;
        });
    }

    /**
     * Reads a project.
     *
     * @param org     the organisation
     * @param project the project
     * @return it
     * @throws StoreNotFoundException if the organisation has no such project
     */
    public Project get(OrgId org, ProjectId project) {
        return context.tx().inTransaction(c -> find(c, org, project))
                .orElseThrow(() -> new StoreNotFoundException("no project " + project));
    }

    /**
     * The projects of a space, by name.
     *
     * @param org   the organisation
     * @param space the space
     * @return the projects; empty also when the organisation has no such space
     */
    public List<Project> list(OrgId org, SpaceId space) {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(space, "space");
        return context.tx().inTransaction(c -> Sql.query(c, "SELECT " + COLUMNS
                        + " FROM projects WHERE org_id = ? AND space_id = ? ORDER BY name", ProjectRepository::map,
                org, space));
    }

    static Optional<Project> find(Connection c, OrgId org, ProjectId project) throws SQLException {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(project, "project");
        return Sql.queryOne(c, "SELECT " + COLUMNS + " FROM projects WHERE org_id = ? AND id = ?",
                ProjectRepository::map, org, project);
    }

    private static Project map(ResultSet rows) throws SQLException {
        return new Project(new ProjectId(Sql.uuid(rows, "id")), new OrgId(Sql.uuid(rows, "org_id")),
                new SpaceId(Sql.uuid(rows, "space_id")), rows.getString("name"), Sql.instant(rows, "created_at"));
    }
}
