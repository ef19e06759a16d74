package io.quire.server;

import io.quire.store.Backend;

/** {@link TeamModeTest} on a real PostgreSQL server (embedded binaries). */
class TeamModePostgresTest extends TeamModeTest {
    @Override
    Backend backend() {
        return Backend.POSTGRESQL;
    }
}
