package io.quire.server.v1;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Optional;

/**
 * File ids of the filesystem backend. Ids are opaque to clients; this backend derives them from the API path, as
 * {@code f_} followed by the path's UTF-8 bytes in URL-safe base64 without padding, so they need no storage. A
 * database store will mint permanent ids instead (surviving renames) without any change to the API. A renamed file
 * therefore gets a new id here.
 */
public final class FileIds {
    private static final String PREFIX = "f_";

    private FileIds() {
    }

    /**
     * The id of a path.
     *
     * @param path an API path
     * @return the id
     */
    public static String of(String path) {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(path.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The path an id stands for.
     *
     * @param id an id from a client
     * @return the path, or empty when the id is not one this backend made
     */
    public static Optional<String> path(String id) {
        if (!id.startsWith(PREFIX) || id.length() == PREFIX.length()) {
            return Optional.empty();
        }
        String encoded = id.substring(PREFIX.length());
        if (encoded.contains("=")) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(encoded);
            String path = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            // only the canonical spelling is an id, so one file never has two ids
            return of(path).equals(id) ? Optional.of(path) : Optional.empty();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
