package io.quire.collab;

import io.quire.collab.spi.DeltaStore;
import io.quire.store.Store;

/** The {@link DeltaStore} implementations. */
public final class DeltaStores {

    private DeltaStores() {
    }

    /**
     * Logs kept in memory: for tests and single-process use; nothing survives the process.
     *
     * @return a new, empty store
     */
    public static DeltaStore inMemory() {
        return new InMemoryDeltaStore();
    }

    /**
     * Logs kept in the store's database (H2, PostgreSQL or CockroachDB; tables from migration V2).
     *
     * @param store the open store; it stays owned by the caller
     * @return a delta store over it
     */
    public static DeltaStore jdbc(Store store) {
        return new JdbcDeltaStore(store);
    }
}
