package io.quire.sessions;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored session: what a {@link SessionStore} keeps (Jupyter Server's session table row).
 *
 * @param id       the session id
 * @param path     the path
 * @param name     the name; may be empty
 * @param type     the type
 * @param kernelId the id of its kernel
 * @param created  when the session was created
 */
public record SessionRecord(String id, String path, String name, String type, String kernelId, Instant created) {
    /** Rejects nulls. */
    public SessionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(kernelId, "kernelId");
        Objects.requireNonNull(created, "created");
    }
}
