package io.quire.store;

import java.util.Locale;

/**
 * A role on a space, project or file. The roles form a ladder, each allowing what the ones below it allow:
 * {@code viewer} reads; {@code commenter} also comments; {@code executor} also runs code (but cannot edit);
 * {@code editor} also edits; {@code owner} also shares and deletes. Where several grants apply (inherited
 * space → project → file), the strongest wins.
 */
public enum ResourceRole {
    /** Reads content and outputs. */
    VIEWER,
    /** Reads and comments. */
    COMMENTER,
    /** Reads, comments and runs code. */
    EXECUTOR,
    /** Everything but sharing: edits content, creates, renames and deletes entries. */
    EDITOR,
    /** Everything, including sharing. */
    OWNER;

    /**
     * The name stored in the database and used in APIs.
     *
     * @return {@code viewer}, {@code commenter}, {@code executor}, {@code editor} or {@code owner}
     */
    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether this role allows at least what another allows.
     *
     * @param other the role needed
     * @return true if this role is the same or stronger
     */
    public boolean atLeast(ResourceRole other) {
        return compareTo(other) >= 0;
    }

    /**
     * The stronger of two roles.
     *
     * @param other another role
     * @return the stronger one
     */
    public ResourceRole max(ResourceRole other) {
        return atLeast(other) ? this : other;
    }

    /**
     * Reads a role from its name.
     *
     * @param name the role name, in any case
     * @return the role
     * @throws StoreBadRequestException for another name
     */
    public static ResourceRole fromName(String name) {
        for (ResourceRole role : values()) {
            if (role.dbName().equalsIgnoreCase(name)) {
                return role;
            }
        }
        throw new StoreBadRequestException("unknown role '" + name
                + "'; expected owner, editor, executor, commenter or viewer");
    }
}
