package io.quire.execution.parameters;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Renders parameters as Python, character for character as papermill's Python translator does: strings in double
 * quotes with {@code unicode_escape} escaping, floats as Python's {@code repr}, {@code float('nan')} and
 * {@code float('inf')} for the special values, dictionary keys always quoted.
 */
public final class PythonTranslator implements ParameterTranslator {

    /** Creates the translator. */
    public PythonTranslator() {
    }

    @Override
    public String codify(Map<String, ParameterValue> parameters) {
        StringBuilder source = new StringBuilder("# Parameters\n");
        parameters.forEach((name, value) -> source.append(name).append(" = ").append(translate(value)).append('\n'));
        return source.toString();
    }

    /**
     * One value as a Python expression.
     *
     * @param value the value
     * @return the expression
     */
    public String translate(ParameterValue value) {
        return switch (value) {
            case ParameterValue.None ignored -> "None";
            case ParameterValue.Text text -> quote(text.value());
            case ParameterValue.Bool bool -> bool.value() ? "True" : "False";
            case ParameterValue.Int integer -> integer.value().toString();
            case ParameterValue.Float number -> floatRepr(number.value());
            case ParameterValue.ListValue list -> {
                StringJoiner joiner = new StringJoiner(", ", "[", "]");
                list.values().forEach(element -> joiner.add(translate(element)));
                yield joiner.toString();
            }
            case ParameterValue.MapValue map -> {
                StringJoiner joiner = new StringJoiner(", ", "{", "}");
                map.entries().forEach((key, element) -> joiner.add(key(key) + ": " + translate(element)));
                yield joiner.toString();
            }
            case ParameterValue.Other other -> "\"" + other.text() + "\"";
        };
    }

    private String key(ParameterValue key) {
        return key instanceof ParameterValue.Text text ? quote(text.value()) : "\"" + plainText(key) + "\"";
    }

    private String plainText(ParameterValue value) {
        return switch (value) {
            case ParameterValue.Float number -> floatRepr(number.value());
            case ParameterValue.Bool bool -> bool.value() ? "True" : "False";
            case ParameterValue.None ignored -> "None";
            default -> translate(value);
        };
    }

    /** Python's {@code "..."} form after {@code str.encode('unicode_escape')}, with double quotes escaped. */
    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        text.codePoints().forEach(cp -> {
            switch (cp) {
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                case '\r' -> quoted.append("\\r");
                case '"' -> quoted.append("\\\"");
                default -> {
                    if (cp < 0x20 || (cp >= 0x7f && cp <= 0xff)) {
                        quoted.append(String.format("\\x%02x", cp));
                    } else if (cp > 0xffff) {
                        quoted.append(String.format("\\U%08x", cp));
                    } else if (cp > 0xff) {
                        quoted.append(String.format("\\u%04x", cp));
                    } else {
                        quoted.appendCodePoint(cp);
                    }
                }
            }
        });
        return quoted.append('"').toString();
    }

    /** Python's {@code repr(float)}: the shortest round-tripping digits, fixed notation for 1e-4 <= |x| < 1e16. */
    static String floatRepr(double value) {
        if (Double.isNaN(value)) {
            return "float('nan')";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "float('inf')" : "float('-inf')";
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0.0" : "0.0";
        }
        // Double.toString gives the shortest digits that round-trip (JDK 19+), like Python's repr.
        BigDecimal decimal = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
        if (decimal.precision() == 2) {
            // Double.toString never gives fewer than two digits (4.9E-324); Python gives one where one round-trips (5e-324)
            BigDecimal oneDigit = new BigDecimal(Math.abs(value)).round(new MathContext(1, RoundingMode.HALF_EVEN));
            if (oneDigit.doubleValue() == Math.abs(value)) {
                decimal = oneDigit.stripTrailingZeros();
            }
        }
        String digits = decimal.unscaledValue().toString();
        int decimalPoint = digits.length() - decimal.scale(); // position of the point relative to the digits
        String sign = value < 0 ? "-" : "";
        if (decimalPoint > 16 || decimalPoint <= -4) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            int exponent = decimalPoint - 1;
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        if (decimalPoint <= 0) {
            return sign + "0." + "0".repeat(-decimalPoint) + digits;
        }
        if (decimalPoint >= digits.length()) {
            return sign + digits + "0".repeat(decimalPoint - digits.length()) + ".0";
        }
        return sign + digits.substring(0, decimalPoint) + "." + digits.substring(decimalPoint);
    }
}
