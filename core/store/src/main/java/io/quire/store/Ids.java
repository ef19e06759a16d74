package io.quire.store;

import java.util.Objects;
import java.util.UUID;

/** Parsing of the text form of ids, with a message that names the bad value. */
final class Ids {

    private Ids() {
    }

    static UUID parse(String what, String text) {
        Objects.requireNonNull(text, what);
        try {
            UUID uuid = UUID.fromString(text);
            // UUID.fromString accepts short forms such as "1-2-3-4-5"; only the canonical form is an id
            if (!uuid.toString().equalsIgnoreCase(text)) {
                throw new IllegalArgumentException("not canonical");
            }
            return uuid;
        } catch (IllegalArgumentException e) {
            throw new StoreBadRequestException(what + " '" + text + "' is not a UUID", e);
        }
    }
}
