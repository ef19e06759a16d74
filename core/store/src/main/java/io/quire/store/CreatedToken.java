package io.quire.store;

import java.util.Objects;

/**
 * A token just made: the stored token and its full secret, which exists only here and is to be shown to the user
 * once.
 *
 * @param token  the stored token
 * @param secret the full token text ({@code quire_<prefix>_<secret>}) to hand to the user
 */
public record CreatedToken(ApiToken token, String secret) {
    /** Checks that no component is null. */
    public CreatedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return "CreatedToken[token=" + token + ", secret=(hidden)]";
    }
}
