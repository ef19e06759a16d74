package io.quire.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads fields of the API's JSON bodies, failing with a message that names the field and the resource. */
final class Wire {
    static final ObjectMapper JSON = JsonMapper.builder().build();

    private Wire() {
    }

    static String text(JsonNode json, String field, String what) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual()) {
            throw new QuireException("the server sent a " + what + " without a text '" + field + "': " + json);
        }
        return value.textValue();
    }

    static Optional<String> optionalText(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    static Optional<Long> optionalLong(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value != null && value.canConvertToLong() && value.isIntegralNumber() ? Optional.of(value.longValue())
                : Optional.empty();
    }

    static Optional<Integer> optionalInt(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value != null && value.isIntegralNumber() && value.canConvertToInt() ? Optional.of(value.intValue())
                : Optional.empty();
    }

    static int integer(JsonNode json, String field, String what) {
        return optionalInt(json, field).orElseThrow(() -> new QuireException(
                "the server sent a " + what + " without an integer '" + field + "': " + json));
    }

    static boolean bool(JsonNode json, String field, String what) {
        JsonNode value = json.get(field);
        if (value == null || !value.isBoolean()) {
            throw new QuireException("the server sent a " + what + " without a boolean '" + field + "': " + json);
        }
        return value.booleanValue();
    }

    static Optional<Instant> optionalInstant(JsonNode json, String field, String what) {
        Optional<String> value = optionalText(json, field);
        try {
            return value.map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw new QuireException("the server sent a " + what + " whose '" + field + "' is not an ISO-8601 instant: "
                    + value.orElse(""), e);
        }
    }

    static Instant instant(JsonNode json, String field, String what) {
        return optionalInstant(json, field, what).orElseThrow(() -> new QuireException(
                "the server sent a " + what + " without a time '" + field + "': " + json));
    }

    /** Appends nbformat multiline text: a string, or a list of strings. */
    static void appendText(StringBuilder text, JsonNode value) {
        if (value.isArray()) {
            value.forEach(part -> text.append(part.asText()));
        } else if (value.isTextual()) {
            text.append(value.textValue());
        }
    }
}
