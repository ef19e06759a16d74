package io.quire.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A file resource of the v1 API.
 *
 * @param id           the file's id; opaque, use it as given
 * @param path         the path relative to the server's root, {@code /}-separated
 * @param name         the last segment of the path
 * @param type         notebook, file or directory
 * @param size         the size in bytes; empty for directories
 * @param lastModified when the file last changed
 * @param writable     whether the server may write it
 */
public record FileInfo(String id, String path, String name, FileType type, Optional<Long> size, Instant lastModified,
        boolean writable) {

    /** Validates the fields. */
    public FileInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(lastModified, "lastModified");
    }

    /**
     * Reads a file resource.
     *
     * @param json the JSON object
     * @return the file
     * @throws QuireException if a required field is missing
     */
    public static FileInfo create(JsonNode json) {
        String what = "file";
        return new FileInfo(Wire.text(json, "id", what), Wire.text(json, "path", what), Wire.text(json, "name", what),
                FileType.fromWire(Wire.text(json, "type", what)), Wire.optionalLong(json, "size"),
                Wire.instant(json, "last_modified", what), Wire.bool(json, "writable", what));
    }
}
