package io.quire.store;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** What every repository shares: transactions, the dialect, the configuration, the clock and the id source. */
record StoreContext(Transactions tx, Dialect dialect, StoreConfig config) {

    Clock clock() {
        return config.clock();
    }

    /** The current time at the database's precision (microseconds), so that what is written reads back equal. */
    Instant now() {
        return config.clock().instant().truncatedTo(ChronoUnit.MICROS);
    }

    UUID newId() {
        return config.ids().get();
    }
}
