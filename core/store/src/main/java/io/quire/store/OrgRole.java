package io.quire.store;

import java.util.Locale;

/** A member's role in an organisation. Owners and admins are owners of everything in the organisation. */
public enum OrgRole {
    /** Runs the organisation; an organisation always keeps at least one owner. */
    OWNER,
    /** Manages members and all content. */
    ADMIN,
    /** Sees what is shared with them through grants. */
    MEMBER;

    /**
     * The name stored in the database and used in APIs.
     *
     * @return {@code owner}, {@code admin} or {@code member}
     */
    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether this role manages everything in the organisation.
     *
     * @return true for owners and admins
     */
    public boolean managesEverything() {
        return this != MEMBER;
    }

    /**
     * Reads a role from its name.
     *
     * @param name {@code owner}, {@code admin} or {@code member}, in any case
     * @return the role
     * @throws StoreBadRequestException for another name
     */
    public static OrgRole fromName(String name) {
        for (OrgRole role : values()) {
            if (role.dbName().equalsIgnoreCase(name)) {
                return role;
            }
        }
        throw new StoreBadRequestException("unknown organisation role '" + name + "'; expected owner, admin or member");
    }
}
