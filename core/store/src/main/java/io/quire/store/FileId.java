package io.quire.store;

import java.util.Objects;
import java.util.UUID;

/**
 * The id of a file, notebook or directory entry of a project: a random UUID, typed so that ids of different kinds cannot be swapped by mistake.
 *
 * @param value the UUID
 */
public record FileId(UUID value) {

    /** Checks the value is present. */
    public FileId {
        Objects.requireNonNull(value, "value");
    }

    /**
     * Reads an id from its text form.
     *
     * @param text a UUID such as {@code 123e4567-e89b-12d3-a456-426614174000}
     * @return the id
     * @throws StoreBadRequestException if the text is not a UUID
     */
    public static FileId parse(String text) {
        return new FileId(Ids.parse("file id", text));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
