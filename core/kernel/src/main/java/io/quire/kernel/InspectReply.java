package io.quire.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * An {@code inspect_reply}.
 *
 * @param found    whether the kernel found something to show
 * @param data     the MIME bundle
 * @param metadata the metadata
 */
public record InspectReply(boolean found, ObjectNode data, ObjectNode metadata) {
    /** Rejects nulls. */
    public InspectReply {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(metadata, "metadata");
    }

    static InspectReply fromJson(ObjectNode c) {
        return new InspectReply(c.path("found").asBoolean(false), Json.objectOrEmpty(c, "data"),
                Json.objectOrEmpty(c, "metadata"));
    }
}
