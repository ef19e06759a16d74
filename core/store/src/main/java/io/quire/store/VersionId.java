package io.quire.store;

import java.util.Objects;
import java.util.UUID;

/**
 * The id of one saved version of a file: a random UUID, typed so that ids of different kinds cannot be swapped by mistake.
 *
 * @param value the UUID
 */
public record VersionId(UUID value) {

    /** Checks the value is present. */
    public VersionId {
        Objects.requireNonNull(value, "value");
    }

    /**
     * Reads an id from its text form.
     *
     * @param text a UUID such as {@code 123e4567-e89b-12d3-a456-426614174000}
     * @return the id
     * @throws StoreBadRequestException if the text is not a UUID
     */
    public static VersionId parse(String text) {
        return new VersionId(Ids.parse("version id", text));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
