package io.quire.execution.parameters;

import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An ordered set of named notebook parameters, merged the way papermill merges them: a later value replaces an
 * earlier one but the name keeps the position where it first appeared.
 *
 * <p>{@link #typed(String)} types a command-line value as papermill's {@code -p} does: exactly {@code True},
 * {@code False} and {@code None}; then anything Python's {@code int()} accepts; then anything {@code float()} accepts
 * (including {@code nan} and {@code inf}); else the text unchanged.
 */
public final class Parameters {
    private static final Pattern INT = Pattern.compile("[+-]?\\p{Nd}+(_\\p{Nd}+)*");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(\\p{Nd}+(_\\p{Nd}+)*(\\.(\\p{Nd}+(_\\p{Nd}+)*)?)?|\\.\\p{Nd}+(_\\p{Nd}+)*)([eE][+-]?\\p{Nd}+(_\\p{Nd}+)*)?");
    private static final Pattern SPECIAL_FLOAT = Pattern.compile("(?i)[+-]?(nan|inf|infinity)");

    private final Map<String, ParameterValue> values = new LinkedHashMap<>();

    /** Creates an empty parameter set. */
    public Parameters() {
    }

    /**
     * Sets a parameter; a name already present keeps its position.
     *
     * @param name  the variable name
     * @param value the value
     * @return this set
     */
    public Parameters put(String name, ParameterValue value) {
        values.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Sets every parameter of another set, in its order.
     *
     * @param other the parameters to add
     * @return this set
     */
    public Parameters putAll(Map<String, ParameterValue> other) {
        other.forEach(this::put);
        return this;
    }

    /**
     * The parameters in order.
     *
     * @return an unmodifiable view
     */
    public Map<String, ParameterValue> asMap() {
        return Collections.unmodifiableMap(values);
    }

    /**
     * Whether no parameter was given.
     *
     * @return true if empty
     */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * Types a command-line value as papermill's {@code -p} does.
     *
     * @param raw the value as typed on the command line
     * @return the typed value
     */
    public static ParameterValue typed(String raw) {
        Objects.requireNonNull(raw, "raw");
        switch (raw) {
            case "True" -> {
                return new ParameterValue.Bool(true);
            }
            case "False" -> {
                return new ParameterValue.Bool(false);
            }
            case "None" -> {
                return new ParameterValue.None();
            }
            default -> {
                // typed below
            }
        }
        String stripped = raw.strip();
        if (INT.matcher(stripped).matches()) {
            return new ParameterValue.Int(new BigInteger(asciiDigits(stripped)));
        }
        if (SPECIAL_FLOAT.matcher(stripped).matches()) {
            boolean negative = stripped.startsWith("-");
            String word = stripped.replaceFirst("^[+-]", "").toLowerCase(java.util.Locale.ROOT);
            double value = word.equals("nan") ? Double.NaN
                    : negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            return new ParameterValue.Float(value);
        }
        if (FLOAT.matcher(stripped).matches()) {
            return new ParameterValue.Float(Double.parseDouble(asciiDigits(stripped)));
        }
        return new ParameterValue.Text(raw);
    }

    /** Removes digit-group underscores and maps any Unicode decimal digit to ASCII, as Python's int() and float() do. */
    private static String asciiDigits(String text) {
        StringBuilder ascii = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == '_') {
                return;
            }
            if (Character.isDigit(cp)) {
                ascii.append((char) ('0' + Character.digit(cp, 10)));
            } else {
                ascii.appendCodePoint(cp);
            }
        });
        return ascii.toString();
    }
}
