package io.quire.server;

import io.quire.store.Backend;

/** {@link TeamIsolationTest} on H2 in memory. */
class TeamIsolationH2Test extends TeamIsolationTest {
    @Override
    Backend backend() {
        return Backend.H2;
    }
}
