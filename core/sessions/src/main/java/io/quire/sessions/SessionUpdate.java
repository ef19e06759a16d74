package io.quire.sessions;

import java.util.Objects;
import java.util.Optional;

/**
 * Changes to a session (Jupyter's {@code PATCH /api/sessions/{id}}); empty fields stay as they are.
 *
 * @param path   a new path, e.g. after a rename
 * @param name   a new name
 * @param type   a new type
 * @param kernel a different kernel: a new one of a spec, or a running one; the old kernel is shut down
 */
public record SessionUpdate(Optional<String> path, Optional<String> name, Optional<String> type,
                            Optional<KernelChoice> kernel) {

    /** Rejects nulls. */
    public SessionUpdate {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(kernel, "kernel");
    }

    /** @return an update that changes nothing */
    public static SessionUpdate none() {
        return new SessionUpdate(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * @param value the new path
     * @return a copy that changes the path
     */
    public SessionUpdate withPath(String value) {
        return new SessionUpdate(Optional.of(value), name, type, kernel);
    }

    /**
     * @param value the new name
     * @return a copy that changes the name
     */
    public SessionUpdate withName(String value) {
        return new SessionUpdate(path, Optional.of(value), type, kernel);
    }

    /**
     * @param value the new type
     * @return a copy that changes the type
     */
    public SessionUpdate withType(String value) {
        return new SessionUpdate(path, name, Optional.of(value), kernel);
    }

    /**
     * @param value the kernel to switch to
     * @return a copy that changes the kernel
     */
    public SessionUpdate withKernel(KernelChoice value) {
        return new SessionUpdate(path, name, type, Optional.of(value));
    }
}
