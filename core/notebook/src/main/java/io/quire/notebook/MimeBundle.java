package io.quire.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code data} of a display or result output: MIME type to value, kept as open JSON as nbformat defines it.
 *
 * <p>Text values may be one string or a list of strings (kept as stored); JSON MIME types ({@code application/json},
 * {@code *+json}) hold any JSON value; binary types hold base64 text, kept exactly as given.
 */
public final class MimeBundle {
    private static final MimeBundle EMPTY = new MimeBundle(Json.object());

    private final ObjectNode json;

    private MimeBundle(ObjectNode json) {
        this.json = json;
    }

    /**
     * A bundle holding a private copy of the given JSON object.
     *
     * @param json the MIME bundle as JSON
     * @return the bundle
     */
    public static MimeBundle of(ObjectNode json) {
        return new MimeBundle(Json.copy(json));
    }

    /**
     * The empty bundle.
     *
     * @return a bundle with no MIME types
     */
    public static MimeBundle empty() {
        return EMPTY;
    }

    /**
     * A bundle with one more (or a replaced) MIME type holding text, stored split into lines.
     *
     * @param mimeType the MIME type
     * @param text     the value
     * @return the new bundle
     */
    public MimeBundle withText(String mimeType, String text) {
        ObjectNode copy = json.deepCopy();
        ArrayNode lines = copy.putArray(mimeType);
        MultilineText.of(text).parts().forEach(lines::add);
        return new MimeBundle(copy);
    }

    /**
     * The MIME types present, in stored order.
     *
     * @return the MIME types
     */
    public List<String> mimeTypes() {
        List<String> types = new ArrayList<>(json.size());
        json.fieldNames().forEachRemaining(types::add);
        return types;
    }

    /**
     * The value of a MIME type as text: a string, or a list of strings concatenated.
     *
     * @param mimeType the MIME type, such as {@code text/plain}
     * @return the text, or empty if the type is absent or its value is not text
     */
    public Optional<String> text(String mimeType) {
        JsonNode value = json.get(mimeType);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isTextual()) {
            return Optional.of(value.textValue());
        }
        if (value.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : value) {
                if (!part.isTextual()) {
                    return Optional.empty();
                }
                text.append(part.textValue());
            }
            return Optional.of(text.toString());
        }
        return Optional.empty();
    }

    /**
     * The value of a MIME type as JSON (a copy).
     *
     * @param mimeType the MIME type
     * @return the value, or empty if absent
     */
    public Optional<JsonNode> value(String mimeType) {
        JsonNode value = json.get(mimeType);
        return value == null ? Optional.empty() : Optional.of(value.deepCopy());
    }

    /**
     * Whether the bundle has no MIME types.
     *
     * @return true if empty
     */
    public boolean isEmpty() {
        return json.isEmpty();
    }

    /**
     * The bundle as JSON (a copy).
     *
     * @return the JSON object
     */
    public ObjectNode toJson() {
        return json.deepCopy();
    }

    /** The stored JSON, not copied: for the codec, which never mutates it. */
    ObjectNode json() {
        return json;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MimeBundle bundle && json.equals(bundle.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return "MimeBundle" + mimeTypes();
    }
}
