package io.quire.store;

import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * A reference to a resource that can be shared: a space, a project or a file.
 *
 * @param kind what kind of resource
 * @param id   its id
 */
public record ResourceRef(Kind kind, UUID id) {

    /** The kinds of resources that grants apply to. */
    public enum Kind {
        /** A space. */
        SPACE,
        /** A project. */
        PROJECT,
        /** A file, notebook or directory entry. */
        FILE;

        /**
         * The name stored in the database.
         *
         * @return {@code space}, {@code project} or {@code file}
         */
        public String dbName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind fromDbName(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /** Checks that no component is null. */
    public ResourceRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    /**
     * A space.
     *
     * @param id the space
     * @return the reference
     */
    public static ResourceRef space(SpaceId id) {
        return new ResourceRef(Kind.SPACE, id.value());
    }

    /**
     * A project.
     *
     * @param id the project
     * @return the reference
     */
    public static ResourceRef project(ProjectId id) {
        return new ResourceRef(Kind.PROJECT, id.value());
    }

    /**
     * A file.
     *
     * @param id the file
     * @return the reference
     */
    public static ResourceRef file(FileId id) {
        return new ResourceRef(Kind.FILE, id.value());
    }

    @Override
    public String toString() {
        return kind.dbName() + ":" + id;
    }
}
