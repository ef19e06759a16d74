package io.quire.execution.parameters;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A typed notebook parameter value, as papermill types parameters: text, integers, floats, booleans, none, lists and
 * mappings (from YAML). Each language's {@link ParameterTranslator} renders these as source code.
 */
public sealed interface ParameterValue {

    /** No value (Python {@code None}). */
    record None() implements ParameterValue {
    }

    /**
     * A text value.
     *
     * @param value the text
     */
    record Text(String value) implements ParameterValue {
        /** Validates the value. */
        public Text {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A boolean value.
     *
     * @param value the value
     */
    record Bool(boolean value) implements ParameterValue {
    }

    /**
     * An integer of any size.
     *
     * @param value the value
     */
    record Int(BigInteger value) implements ParameterValue {
        /** Validates the value. */
        public Int {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A floating-point value (may be NaN or infinite).
     *
     * @param value the value
     */
    record Float(double value) implements ParameterValue {
    }

    /**
     * A list of values.
     *
     * @param values the elements
     */
    record ListValue(List<ParameterValue> values) implements ParameterValue {
        /** Copies the elements. */
        public ListValue {
            values = List.copyOf(values);
        }
    }

    /**
     * A mapping with ordered keys. Keys are kept as values (YAML allows integer or boolean keys).
     *
     * @param entries the entries, in order
     */
    record MapValue(Map<ParameterValue, ParameterValue> entries) implements ParameterValue {
        /** Copies the entries, keeping their order. */
        public MapValue {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }
    }

    /**
     * Any other value (for example a YAML set or binary), rendered by its text form.
     *
     * @param text the value's text form
     */
    record Other(String text) implements ParameterValue {
        /** Validates the text. */
        public Other {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The value as plain Java data for JSON metadata: {@code null}, String, Boolean, BigInteger, Double, List, Map.
     *
     * @return the plain value
     */
    default Object toPlain() {
        return switch (this) {
            case None ignored -> null;
            case Text text -> text.value();
            case Bool bool -> bool.value();
            case Int integer -> integer.value();
            case Float number -> number.value();
            case ListValue list -> list.values().stream().map(ParameterValue::toPlain).toList();
            case MapValue map -> {
                Map<String, Object> plain = new LinkedHashMap<>();
                map.entries().forEach((key, value) -> plain.put(keyText(key), value.toPlain()));
                yield plain;
            }
            case Other other -> other.text();
        };
    }

    private static String keyText(ParameterValue key) {
        return switch (key) {
            case Text text -> text.value();
            case None ignored -> "None";
            case Bool bool -> bool.value() ? "True" : "False";
            default -> String.valueOf(key.toPlain());
        };
    }
}
