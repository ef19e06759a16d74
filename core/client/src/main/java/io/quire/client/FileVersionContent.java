package io.quire.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A version of a file with what it holds.
 *
 * @param version the version
 * @param content the notebook's nbformat JSON; for a file that is not a notebook, an object with {@code format}
 *                ({@code text} or {@code base64}), {@code mimetype} and {@code content}
 */
public record FileVersionContent(FileVersion version, JsonNode content) {

    /** Validates the fields. */
    public FileVersionContent {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(content, "content");
    }

    /**
     * Reads a version resource that carries its content.
     *
     * @param json the JSON object
     * @return the version and content
     * @throws QuireException if a required field is missing
     */
    public static FileVersionContent create(JsonNode json) {
        JsonNode content = json.get("content");
        if (content == null || !content.isObject()) {
            throw new QuireException("the server sent a version without an object 'content': " + json);
        }
        return new FileVersionContent(FileVersion.create(json), content);
    }
}
