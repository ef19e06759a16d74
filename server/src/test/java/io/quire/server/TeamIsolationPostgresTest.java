package io.quire.server;

import io.quire.store.Backend;

/** {@link TeamIsolationTest} on a real PostgreSQL server (embedded binaries). */
class TeamIsolationPostgresTest extends TeamIsolationTest {
    @Override
    Backend backend() {
        return Backend.POSTGRESQL;
    }
}
