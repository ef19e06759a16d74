package io.quire.store;

import java.util.Locale;

/** What a file entry of a project is. */
public enum EntryType {
    /** A Jupyter notebook, stored as cells. */
    NOTEBOOK,
    /** Any other file, stored as bytes. */
    FILE,
    /** A directory: a row of its own, so that empty directories exist; it has no versions. */
    DIRECTORY;

    /**
     * The name stored in the database.
     *
     * @return {@code notebook}, {@code file} or {@code directory}
     */
    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static EntryType fromDbName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
