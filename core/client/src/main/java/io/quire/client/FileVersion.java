package io.quire.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A version of a file (servers with the database store keep one per save).
 *
 * @param id           the version's id; opaque, use it as given
 * @param fileId       the file's id
 * @param number       1, 2, 3, ... within the file, without gaps
 * @param author       the id of the user who saved it
 * @param createdAt    when it was saved
 * @param name         the name given to it, if any
 * @param size         bytes of its content (a notebook as nbformat JSON)
 * @param sha256       SHA-256 (hex) of those bytes
 * @param restoredFrom the id of the version it restored, if a restore made it
 */
public record FileVersion(String id, String fileId, long number, String author, Instant createdAt,
        Optional<String> name, long size, String sha256, Optional<String> restoredFrom) {

    /** Validates the fields. */
    public FileVersion {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(restoredFrom, "restoredFrom");
    }

    /**
     * Reads a version resource.
     *
     * @param json the JSON object
     * @return the version
     * @throws QuireException if a required field is missing
     */
    public static FileVersion create(JsonNode json) {
        String what = "version";
        return new FileVersion(Wire.text(json, "id", what), Wire.text(json, "file_id", what),
                Wire.optionalLong(json, "number").orElseThrow(() -> missing(json, "number")),
                Wire.text(json, "author", what), Wire.instant(json, "created_at", what),
                Wire.optionalText(json, "name"),
                Wire.optionalLong(json, "size").orElseThrow(() -> missing(json, "size")),
                Wire.text(json, "sha256", what), Wire.optionalText(json, "restored_from"));
    }

    private static QuireException missing(JsonNode json, String field) {
        return new QuireException("the server sent a version without an integer '" + field + "': " + json);
    }
}
