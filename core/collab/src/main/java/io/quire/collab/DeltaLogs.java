package io.quire.collab;

import io.quire.collab.spi.DeltaStore;
import io.quire.notebook.Notebook;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The open logs of one process, one {@link DeltaLog} per file, so that every submitter of a file goes through the
 * same sequencer and its lock. Opening a file's log does not block other files (a concurrent map, no global lock).
 */
public final class DeltaLogs {
    private final DeltaStore store;
    private final DeltaLog.Config config;
    private final Map<UUID, DeltaLog> logs = new ConcurrentHashMap<>();

    /**
     * Creates the registry.
     *
     * @param store  where the logs are kept
     * @param config the configuration of every log
     */
    public DeltaLogs(DeltaStore store, DeltaLog.Config config) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * The log of a file, opened on first use.
     *
     * @param fileId  the file
     * @param initial the document a new log starts from; asked only when the store has no log for the file yet
     *                (see {@link DeltaLog#open})
     * @return the file's log; the same instance for every call with this file id
     */
    public DeltaLog log(UUID fileId, Supplier<Notebook> initial) {
        Objects.requireNonNull(initial, "initial");
        return logs.computeIfAbsent(fileId, id -> store.latestSnapshot(id, Long.MAX_VALUE).isPresent()
                ? DeltaLog.open(id, store, Notebook.empty(), config)
                : DeltaLog.open(id, store, initial.get(), config));
    }

    /**
     * Forgets a file's log (after the file was deleted, or to free memory when nobody edits it); the next
     * {@link #log} opens it again from the store.
     *
     * @param fileId the file
     */
    public void close(UUID fileId) {
        logs.remove(fileId);
    }
}
