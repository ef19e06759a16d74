package io.quire.store;

import java.util.Objects;
import java.util.Optional;

/** Organisations (tenants). */
public final class OrganisationRepository {
    private static final String COLUMNS = "id, slug, name, created_at";

    private final StoreContext context;

    OrganisationRepository(StoreContext context) {
        this.context = context;
    }

    /**
     * Creates an organisation. It has no members yet: add an owner with {@link MembershipRepository#add}.
     *
     * @param slug the unique short name
     * @param name the display name
     * @return the organisation
     * @throws StoreBadRequestException if the slug or name is malformed
     * @throws StoreConflictException   if the slug is taken
     */
    public Organisation create(String slug, String name) {
        String checkedSlug = Names.slug(slug);
        String checkedName = Names.name("organisation name", name, 200);
        return context.tx().inTransaction(c -> {
            if (Sql.count(c, "SELECT COUNT(*) FROM organisations WHERE slug = ?", checkedSlug) > 0) {
                throw new StoreConflictException("organisation slug '" + checkedSlug + "' is taken");
            }
            Organisation org = new Organisation(new OrgId(context.newId()), checkedSlug, checkedName, context.now());
            Sql.update(c, "INSERT INTO organisations (" + COLUMNS + ") VALUES (?, ?, ?, ?)",
                    org.id(), org.slug(), org.name(), org.createdAt());
            return org;
        });
    }

    /**
     * Reads an organisation.
     *
     * @param id the organisation
     * @return it
     * @throws StoreNotFoundException if there is none with this id
     */
    public Organisation get(OrgId id) {
        Objects.requireNonNull(id, "id");
        return context.tx().inTransaction(c -> find(c, id))
                .orElseThrow(() -> new StoreNotFoundException("no organisation " + id));
    }

    /**
     * Looks an organisation up by its slug (as a URL or sign-in form names it).
     *
     * @param slug the slug
     * @return the organisation, or empty
     */
    public Optional<Organisation> findBySlug(String slug) {
        Objects.requireNonNull(slug, "slug");
        return context.tx().inTransaction(c -> Sql.queryOne(c,
                "SELECT " + COLUMNS + " FROM organisations WHERE slug = ?", OrganisationRepository::map, slug));
    }

    static Optional<Organisation> find(java.sql.Connection c, OrgId id) throws java.sql.SQLException {
        return Sql.queryOne(c, "SELECT " + COLUMNS + " FROM organisations WHERE id = ?", OrganisationRepository::map,
                id);
    }

    private static Organisation map(java.sql.ResultSet rows) throws java.sql.SQLException {
        return new Organisation(new OrgId(Sql.uuid(rows, "id")), rows.getString("slug"), rows.getString("name"),
                Sql.instant(rows, "created_at"));
    }
}
