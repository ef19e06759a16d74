package io.quire.server.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.server.http.ApiException;
import java.util.Locale;
import java.util.Optional;

/** Reads optional fields of v1 request bodies; a field of the wrong shape is a 400 naming the field and the value. */
final class Fields {
    private Fields() {
    }

    /**
     * An optional non-empty string field; {@code null} counts as absent.
     *
     * @throws ApiException 400 when the field is there but is not a non-empty string
     */
    static Optional<String> optionalText(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw ApiException.badRequest("'" + field + "' must be a non-empty string, got " + describe(value));
        }
        return Optional.of(value.textValue());
    }

    /** A JSON value for an error message: scalars as written, others by their type. */
    static String describe(JsonNode value) {
        return value.isValueNode() && !value.isTextual() ? value.toString()
                : value.getNodeType().name().toLowerCase(Locale.ROOT)
                        + (value.isTextual() ? " '" + value.textValue() + "'" : "");
    }
}
