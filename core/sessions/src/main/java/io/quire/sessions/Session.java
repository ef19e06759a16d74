package io.quire.sessions;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.kernels.ManagedKernelInfo;

import java.time.Instant;
import java.util.Objects;

/**
 * A session with the fields of Jupyter Server's session model ({@code GET /api/sessions/{id}}).
 *
 * @param id     the session id (a UUID string)
 * @param path   the API path of the file (or any unique string a client uses)
 * @param name   the session name, usually the file name; may be empty
 * @param type   the session type, e.g. {@code notebook}, {@code console} or {@code file}
 * @param kernel  the model of the session's kernel
 * @param created when the session was created (not part of Jupyter's model)
 */
public record Session(String id, String path, String name, String type, ManagedKernelInfo kernel, Instant created) {

    /** Rejects nulls. */
    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(created, "created");
    }

    /**
     * @return the model as Jupyter Server's JSON: {@code id, path, name, type, kernel}, plus the deprecated
     *         {@code notebook: {path, name}} that Jupyter Server still adds for type {@code notebook}
     */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode()
                .put("id", id)
                .put("path", path)
                .put("name", name)
                .put("type", type);
        json.set("kernel", kernel.toJson());
        if (type.equals("notebook")) {
            json.putObject("notebook").put("path", path).put("name", name);
        }
        return json;
    }
}
