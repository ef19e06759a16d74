package io.quire.sessions;

import java.util.List;
import java.util.Optional;

/**
 * Where sessions are kept. Implementations must be thread-safe. The in-memory store serves a single server
 * node; a database-backed one can replace it without changing {@link SessionManager}.
 */
public interface SessionStore {

    /** @return a thread-safe store in this JVM's memory, in insertion order */
    static SessionStore inMemory() {
        return new InMemorySessionStore();
    }

    /**
     * Inserts a session or replaces the one with the same id.
     *
     * @param session the session
     */
    void put(SessionRecord session);

    /**
     * @param id a session id
     * @return the session, when stored
     */
    Optional<SessionRecord> get(String id);

    /**
     * @param path a path
     * @return the first stored session with that path, when there is one
     */
    Optional<SessionRecord> findByPath(String path);

    /** @return all sessions, oldest first */
    List<SessionRecord> list();

    /**
     * @param id a session id
     * @return whether a session was removed
     */
    boolean remove(String id);
}
