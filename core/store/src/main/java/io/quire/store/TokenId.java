package io.quire.store;

import java.util.Objects;
import java.util.UUID;

/**
 * The id of an API token: a random UUID, typed so that ids of different kinds cannot be swapped by mistake.
 *
 * @param value the UUID
 */
public record TokenId(UUID value) {

    /** Checks the value is present. */
    public TokenId {
        Objects.requireNonNull(value, "value");
    }

    /**
     * Reads an id from its text form.
     *
     * @param text a UUID such as {@code 123e4567-e89b-12d3-a456-426614174000}
     * @return the id
     * @throws StoreBadRequestException if the text is not a UUID
     */
    public static TokenId parse(String text) {
        return new TokenId(Ids.parse("token id", text));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
