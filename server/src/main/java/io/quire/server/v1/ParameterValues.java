package io.quire.server.v1;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.execution.parameters.ParameterValue;
import io.quire.server.http.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the {@code parameters} object of a run request into typed parameters: strings, integers (any size), floats,
 * booleans, null, lists and objects (keys are strings). Names must be identifiers, since each becomes a variable.
 */
final class ParameterValues {
    private static final Pattern IDENTIFIER = Pattern.compile("[\\p{L}_][\\p{L}\\p{Nd}_]*");

    private ParameterValues() {
    }

    /**
     * Reads the parameters.
     *
     * @param json the value of the {@code parameters} field, or null when absent
     * @return the parameters in the given order
     * @throws ApiException 400 if the value is not an object or a name is not an identifier
     */
    static Map<String, ParameterValue> read(JsonNode json) {
        Map<String, ParameterValue> parameters = new LinkedHashMap<>();
        if (json == null || json.isNull()) {
            return parameters;
        }
        if (!json.isObject()) {
            throw ApiException.badRequest("'parameters' must be an object of name to value, got "
                    + json.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        for (Map.Entry<String, JsonNode> entry : json.properties()) {
            if (!IDENTIFIER.matcher(entry.getKey()).matches()) {
                throw ApiException.badRequest("parameter name '" + entry.getKey()
                        + "' is not an identifier (letters, digits and _; not starting with a digit)");
            }
            parameters.put(entry.getKey(), value(entry.getValue()));
        }
        return parameters;
    }

    private static ParameterValue value(JsonNode json) {
        return switch (json.getNodeType()) {
            case NULL, MISSING -> new ParameterValue.None();
            case STRING -> new ParameterValue.Text(json.textValue());
            case BOOLEAN -> new ParameterValue.Bool(json.booleanValue());
            case NUMBER -> json.isIntegralNumber() ? new ParameterValue.Int(json.bigIntegerValue())
                    : new ParameterValue.Float(json.doubleValue());
            case ARRAY -> {
                List<ParameterValue> values = new ArrayList<>(json.size());
                json.forEach(element -> values.add(value(element)));
                yield new ParameterValue.ListValue(values);
            }
            case OBJECT -> {
                Map<ParameterValue, ParameterValue> entries = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> entry : json.properties()) {
                    entries.put(new ParameterValue.Text(entry.getKey()), value(entry.getValue()));
                }
                yield new ParameterValue.MapValue(entries);
            }
            case BINARY, POJO -> new ParameterValue.Other(json.asText());
        };
    }
}
