package io.quire.notebook;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * JSON comparison for notebook tests, independent of Quire's own codec.
 *
 * <p><b>How values compare.</b> Objects are equal when they have the same keys (order ignored, as in JSON) with equal
 * values; arrays element by element in order; strings, booleans and null exactly. Numbers compare by value, but
 * integer and floating-point spellings are kept apart:
 * <ul>
 *   <li>two integers ({@code 42}, {@code 123456789012345678901234567890}) compare as {@link java.math.BigInteger};
 *   <li>two floating-point numbers compare as {@link java.math.BigDecimal} with {@code compareTo}, so {@code 1e-07}
 *       equals {@code 1E-7} and {@code 10.0} equals {@code 10.00}, but {@code 0.1} never equals a nearby double;
 *   <li>an integer never equals a floating-point number ({@code 1} vs {@code 1.0}), because Python reads those as
 *       {@code int} and {@code float}, so a writer that changed one into the other would change the notebook.
 * </ul>
 * Trees are parsed here with {@code USE_BIG_DECIMAL_FOR_FLOATS} and without stripping trailing zeros, so no number is
 * rounded to a double (or respelled) before it is compared.
 */
final class JsonTrees {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private JsonTrees() {
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }

    static JsonNode parse(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] bytes(JsonNode tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails with the JSON path of the first difference unless the trees are equal as described above. */
    static void assertSameJson(JsonNode expected, JsonNode actual) {
        firstDifference("$", expected, actual).ifPresent(difference -> fail("JSON differs at " + difference));
    }

    /**
     * The first place where two trees differ.
     *
     * @return a path and description, or empty if the trees are equal
     */
    static Optional<String> firstDifference(String path, JsonNode expected, JsonNode actual) {
        if (expected.getNodeType() != actual.getNodeType()) {
            return Optional.of(path + ": expected " + expected.getNodeType() + " " + abbreviate(expected)
                    + " but was " + actual.getNodeType() + " " + abbreviate(actual));
        }
        switch (expected.getNodeType()) {
            case OBJECT -> {
                TreeSet<String> keys = new TreeSet<>();
                expected.fieldNames().forEachRemaining(keys::add);
                actual.fieldNames().forEachRemaining(keys::add);
                for (String key : keys) {
                    String child = path + "." + key;
                    if (!expected.has(key)) {
                        return Optional.of(child + ": unexpected field " + abbreviate(actual.get(key)));
                    }
                    if (!actual.has(key)) {
                        return Optional.of(child + ": missing field, expected " + abbreviate(expected.get(key)));
                    }
                    Optional<String> difference = firstDifference(child, expected.get(key), actual.get(key));
                    if (difference.isPresent()) {
                        return difference;
                    }
                }
                return Optional.empty();
            }
            case ARRAY -> {
                int common = Math.min(expected.size(), actual.size());
                for (int i = 0; i < common; i++) {
                    Optional<String> difference = firstDifference(path + "[" + i + "]", expected.get(i), actual.get(i));
                    if (difference.isPresent()) {
                        return difference;
                    }
                }
                return expected.size() == actual.size() ? Optional.empty()
                        : Optional.of(path + ": expected " + expected.size() + " elements but was " + actual.size());
            }
            case NUMBER -> {
                return numbersEqual(expected, actual) ? Optional.empty()
                        : Optional.of(path + ": expected number " + expected + " but was " + actual);
            }
            case STRING -> {
                String e = expected.textValue();
                String a = actual.textValue();
                if (e.equals(a)) {
                    return Optional.empty();
                }
                int at = 0;
                while (at < e.length() && at < a.length() && e.charAt(at) == a.charAt(at)) {
                    at++;
                }
                return Optional.of(path + ": strings differ at index " + at + ": expected "
                        + abbreviate(TextNode.valueOf(e.substring(at))) + " but was "
                        + abbreviate(TextNode.valueOf(a.substring(at))));
            }
            default -> {
                return expected.equals(actual) ? Optional.empty()
                        : Optional.of(path + ": expected " + expected + " but was " + actual);
            }
        }
    }

    private static boolean numbersEqual(JsonNode expected, JsonNode actual) {
        if (expected.isIntegralNumber() && actual.isIntegralNumber()) {
            return expected.bigIntegerValue().equals(actual.bigIntegerValue());
        }
        if (expected.isFloatingPointNumber() && actual.isFloatingPointNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        return false;
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }

    // ------------------------------------------------------------------------------------- normalisations

    /**
     * A copy of an nbformat 4 notebook with every multi-line text joined into one string: cell {@code source}, stream
     * {@code text}, and the non-JSON values of output {@code data} and cell {@code attachments}. nbformat itself
     * joins on reading and splits on writing, so two notebooks that differ only in how these are split are the same
     * notebook.
     */
    static JsonNode joinMultiline(JsonNode notebook) {
        JsonNode copy = notebook.deepCopy();
        for (JsonNode cell : copy.path("cells")) {
            if (!(cell instanceof ObjectNode cellObject)) {
                continue;
            }
            join(cellObject, "source");
            if (cellObject.get("attachments") instanceof ObjectNode attachments) {
                attachments.elements().forEachRemaining(JsonTrees::joinBundle);
            }
            for (JsonNode output : cellObject.path("outputs")) {
                if (output instanceof ObjectNode outputObject) {
                    join(outputObject, "text");
                    joinBundle(outputObject.get("data"));
                }
            }
        }
        return copy;
    }

    private static void joinBundle(JsonNode bundle) {
        if (!(bundle instanceof ObjectNode object)) {
            return;
        }
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        for (String mime : keys) {
            if (!isJsonMimeType(mime)) {
                join(object, mime);
            }
        }
    }

    static boolean isJsonMimeType(String mime) {
        return mime.equals("application/json") || mime.endsWith("+json");
    }

    private static void join(ObjectNode node, String field) {
        if (node.get(field) instanceof ArrayNode parts) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : parts) {
                if (!part.isTextual()) {
                    return;
                }
                text.append(part.textValue());
            }
            node.put(field, text.toString());
        }
    }

    /**
     * A copy without Quire's deliberate corpus extensions: fields whose names start with {@code x_} (at any depth;
     * inside metadata, where nbformat allows any key, removing them changes nothing about validity) and cells or
     * outputs whose type starts with {@code x_}.
     */
    static JsonNode withoutExtensions(JsonNode notebook) {
        JsonNode copy = notebook.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> keys = new ArrayList<>();
            object.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                if (key.startsWith("x_")) {
                    object.remove(key);
                }
            }
            object.elements().forEachRemaining(JsonTrees::strip);
        } else if (node instanceof ArrayNode array) {
            for (int i = array.size() - 1; i >= 0; i--) {
                JsonNode element = array.get(i);
                if (element.path("cell_type").asText("").startsWith("x_")
                        || element.path("output_type").asText("").startsWith("x_")) {
                    array.remove(i);
                }
            }
            array.elements().forEachRemaining(JsonTrees::strip);
        }
    }

    /** Whether any number in the tree is written with a fraction or exponent. */
    static boolean hasFloatingPointNumber(JsonNode node) {
        if (node.isFloatingPointNumber()) {
            return true;
        }
        for (JsonNode child : node) {
            if (hasFloatingPointNumber(child)) {
                return true;
            }
        }
        return false;
    }
}
