package io.quire.sessions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A SessionStore in a LinkedHashMap guarded by this object's monitor (operations are tiny). */
final class InMemorySessionStore implements SessionStore {
    private final Map<String, SessionRecord> sessions = new LinkedHashMap<>();

    @Override
    public synchronized void put(SessionRecord session) {
        Objects.requireNonNull(session, "session");
        sessions.put(session.id(), session);
    }

    @Override
    public synchronized Optional<SessionRecord> get(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    @Override
    public synchronized Optional<SessionRecord> findByPath(String path) {
        return sessions.values().stream().filter(s -> s.path().equals(path)).findFirst();
    }

    @Override
    public synchronized List<SessionRecord> list() {
        return List.copyOf(sessions.values());
    }

    @Override
    public synchronized boolean remove(String id) {
        return sessions.remove(id) != null;
    }
}
