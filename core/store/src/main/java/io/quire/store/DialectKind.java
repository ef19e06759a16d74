package io.quire.store;

import java.util.Locale;

/** The databases the store runs on. */
public enum DialectKind {
    /** H2 2.x, embedded: a file under the user's data directory (desktop) or in memory (tests). */
    H2("h2"),
    /** PostgreSQL 14 or later. */
    POSTGRESQL("postgresql"),
    /**
     * CockroachDB, reached with the PostgreSQL driver ({@code jdbc:postgresql://...}); it reports itself as
     * PostgreSQL, so it is recognised by the {@code version()} string or chosen explicitly.
     */
    COCKROACHDB("cockroachdb");

    private final String configName;

    DialectKind(String configName) {
        this.configName = configName;
    }

    /**
     * The name used in configuration ({@code dialect: cockroachdb}).
     *
     * @return {@code h2}, {@code postgresql} or {@code cockroachdb}
     */
    public String configName() {
        return configName;
    }

    /**
     * Reads a dialect from its configuration name, ignoring case; {@code postgres} and {@code cockroach} are accepted
     * too.
     *
     * @param name the configured name
     * @return the dialect
     * @throws IllegalArgumentException if the name is none of these
     */
    public static DialectKind fromConfigName(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "h2" -> H2;
            case "postgresql", "postgres" -> POSTGRESQL;
            case "cockroachdb", "cockroach" -> COCKROACHDB;
            default -> throw new IllegalArgumentException("unknown store dialect '" + name
                    + "'; expected h2, postgresql or cockroachdb");
        };
    }

    @Override
    public String toString() {
        return configName;
    }
}
