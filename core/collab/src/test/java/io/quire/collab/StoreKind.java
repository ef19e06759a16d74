package io.quire.collab;

import io.quire.collab.spi.DeltaStore;
import io.quire.store.Backend;
import io.quire.store.Store;
import io.quire.store.TestDatabases;
import java.util.Optional;

/** The delta stores the sequencer's tests run on. */
enum StoreKind {
    MEMORY, H2, POSTGRESQL;

    /** The store's database, or empty in memory. */
    Optional<Store> openDatabase() {
        return switch (this) {
            case MEMORY -> Optional.empty();
            case H2 -> Optional.of(Store.open(TestDatabases.config(Backend.H2).build()));
            case POSTGRESQL -> Optional.of(Store.open(TestDatabases.config(Backend.POSTGRESQL).build()));
        };
    }

    static DeltaStore deltaStore(Optional<Store> database) {
        return database.map(DeltaStores::jdbc).orElseGet(DeltaStores::inMemory);
    }
}
