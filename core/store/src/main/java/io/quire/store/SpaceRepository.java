package io.quire.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Spaces of an organisation. */
public final class SpaceRepository {
    private static final String COLUMNS = "id, org_id, name, created_at";

    private final StoreContext context;

    SpaceRepository(StoreContext context) {
        this.context = context;
    }

    /**
     * Creates a space.
     *
     * @param org  the organisation
     * @param name the name, unique in the organisation
     * @return the space
     * @throws StoreNotFoundException   if the organisation does not exist
     * @throws StoreConflictException   if the name is taken
     * @throws StoreBadRequestException if the name is malformed
     */
    public Space create(OrgId org, String name) {
        Objects.requireNonNull(org, "org");
        String checked = Names.name("space name", name, 200);
        return context.tx().inTransaction(c -> {
            if (OrganisationRepository.find(c, org).isEmpty()) {
                throw new StoreNotFoundException("no organisation " + org);
            }
            if (Sql.count(c, "SELECT COUNT(*) FROM spaces WHERE org_id = ? AND name = ?", org, checked) > 0) {
                throw new StoreConflictException("a space named '" + checked + "' exists");
            }
            Space space = new Space(new SpaceId(context.newId()), org, checked, context.now());
            Sql.update(c, "INSERT INTO spaces (" + COLUMNS + ") VALUES (?, ?, ?, ?)",
                    space.id(), org, checked, space.createdAt());
            return space;
        });
    }

    /**
     * Reads a space.
     *
     * @param org   the organisation
     * @param space the space
     * @return it
     * @throws StoreNotFoundException if the organisation has no such space
     */
    public Space get(OrgId org, SpaceId space) {
        return context.tx().inTransaction(c -> find(c, org, space))
                .orElseThrow(() -> new StoreNotFoundException("no space " + space));
    }

    /**
     * The spaces of an organisation, by name.
     *
     * @param org the organisation
     * @return the spaces
     */
    public List<Space> list(OrgId org) {
        Objects.requireNonNull(org, "org");
        return context.tx().inTransaction(c -> Sql.query(c,
                "SELECT " + COLUMNS + " FROM spaces WHERE org_id = ? ORDER BY name", SpaceRepository::map, org));
    }

    static Optional<Space> find(Connection c, OrgId org, SpaceId space) throws SQLException {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(space, "space");
        return Sql.queryOne(c, "SELECT " + COLUMNS + " FROM spaces WHERE org_id = ? AND id = ?", SpaceRepository::map,
                org, space);
    }

    private static Space map(ResultSet rows) throws SQLException {
        return new Space(new SpaceId(Sql.uuid(rows, "id")), new OrgId(Sql.uuid(rows, "org_id")),
                rows.getString("name"), Sql.instant(rows, "created_at"));
    }
}
