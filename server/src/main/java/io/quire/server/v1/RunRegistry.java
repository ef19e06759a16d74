package io.quire.server.v1;

import java.util.List;
import java.util.Optional;

/**
 * Where runs are kept. In memory for now ({@link #inMemory()}); the store will persist them behind this interface.
 * Implementations are thread-safe. Each run has a single writer (the thread executing it), so {@link #put} needs no
 * compare-and-set.
 */
public interface RunRegistry {

    /**
     * Runs kept in this JVM only; they are gone after a restart.
     *
     * @return a new, empty registry
     */
    static RunRegistry inMemory() {
        return new InMemoryRunRegistry();
    }

    /**
     * Adds a run or replaces the record with the same id.
     *
     * @param run the run
     */
    void put(RunRecord run);

    /**
     * Finds a run.
     *
     * @param id the run's id
     * @return the run, or empty if unknown
     */
    Optional<RunRecord> find(String id);

    /**
     * The runs of a file.
     *
     * @param tenant whose runs ({@link RunRecord#tenant()}); file ids of two tenants may be equal
     * @param fileId the file's id
     * @return its runs of that tenant, oldest first
     */
    List<RunRecord> forFile(String tenant, String fileId);
}
