package io.quire.store;

/** The databases the store's tests run against. */
public enum Backend {
    /** H2 in memory, a fresh database per test. */
    H2,
    /** A real PostgreSQL server (embedded binaries from Maven), a fresh database per test. */
    POSTGRESQL,
    /**
     * A real CockroachDB server named by the environment variable {@value TestDatabases#COCKROACH_URL_VARIABLE}, a
     * fresh database ({@code CREATE DATABASE}) per test. Without the variable the tests of this backend are skipped,
     * on CI too: no CockroachDB binary is installed there (see docs/store-testing.md).
     */
    COCKROACHDB
}
