package io.quire.server;

import io.quire.store.Backend;

/** {@link TeamModeTest} on H2 in memory. */
class TeamModeH2Test extends TeamModeTest {
    @Override
    Backend backend() {
        return Backend.H2;
    }
}
