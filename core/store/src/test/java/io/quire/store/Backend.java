package io.quire.store;

/** The databases the store's tests run against. */
public enum Backend {
    /** H2 in memory, a fresh database per test. */
    H2,
    /** A real PostgreSQL server (embedded binaries from Maven), a fresh database per test. */
    POSTGRESQL
}
