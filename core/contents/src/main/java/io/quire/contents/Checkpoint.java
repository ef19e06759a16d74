package io.quire.contents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A saved state of a file that it can be restored to, as Jupyter's checkpoint model.
 *
 * @param id           the checkpoint id, unique per file (the filesystem backend keeps one, {@code "checkpoint"})
 * @param lastModified when the checkpointed state was last modified
 */
public record Checkpoint(String id, Instant lastModified) {

    /** Checks the components and truncates the timestamp to microseconds, the precision of Jupyter's JSON. */
    public Checkpoint {
        Objects.requireNonNull(id, "id");
        lastModified = Objects.requireNonNull(lastModified, "lastModified").truncatedTo(ChronoUnit.MICROS);
        if (id.isEmpty()) {
            throw new IllegalArgumentException("checkpoint id must not be empty");
        }
    }

    /**
     * Reads a checkpoint from its REST JSON.
     *
     * @param json an object with {@code id} and {@code last_modified}
     * @return the checkpoint
     * @throws ContentsBadRequestException if a field is missing or malformed
     */
    public static Checkpoint create(JsonNode json) {
        JsonNode id = json.get("id");
        JsonNode modified = json.get("last_modified");
        if (id == null || !id.isTextual() || modified == null || !modified.isTextual()) {
            throw new ContentsBadRequestException("", "a checkpoint needs string fields 'id' and 'last_modified', got "
                    + json);
        }
        return new Checkpoint(id.asText(), Timestamps.parse("last_modified", modified.asText()));
    }

    /**
     * The checkpoint as Jupyter's REST JSON: {@code {"id": ..., "last_modified": ...}}.
     *
     * @return a new JSON object
     */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", id);
        json.put("last_modified", Timestamps.format(lastModified));
        return json;
    }
}
