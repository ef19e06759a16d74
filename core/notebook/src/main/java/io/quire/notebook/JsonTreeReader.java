package io.quire.notebook;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads JSON bytes into the Jackson tree that a given {@link ObjectReader} would build, faster for the documents
 * notebooks are: a few strings of hundreds of kilobytes (base64 images, long outputs) in a small structure.
 *
 * <p>Design: Jackson decodes a string byte by byte into a {@code char} buffer and then compresses that into the
 * string; for a megabyte notebook that was a third of a save's time. Here a string's closing quote is found with
 * {@link String#indexOf(int)} on a Latin-1 view of the input (which the JVM vectorises), backslashes likewise, and
 * control characters or bytes outside ASCII sixteen bytes at a time ({@link AsciiScan}); a string with none of them
 * is then one copy, and a long one is marked ({@link PlainText}) so that the canonical writer copies it as it is,
 * without looking at it again (decision 0039). This reader
 * only handles the common, unambiguous subset of JSON; on anything else (a byte-order mark, a duplicate name,
 * content after the value, malformed UTF-8, a number or string past the reader's limits, deep nesting, any syntax
 * error) it declines and the Jackson reader parses the whole input instead. So every error, and every edge case this
 * class does not take on, is Jackson's own, with its messages and locations.
 */
public final class JsonTreeReader {
    private final ObjectReader fallback;
    private final JsonNodeFactory factory;
    private final boolean bigDecimals;
    private final int maxStringLength;
    private final int maxNumberLength;
    private final int maxNameLength;
    private final int maxDepth;
    private final boolean decimalsDeclined;

    /**
     * A reader that builds what {@code fallback} builds.
     *
     * @param fallback the Jackson reader whose settings (node factory, decimals, limits) are followed, and which parses
     *                 whatever this class declines
     */
    public JsonTreeReader(ObjectReader fallback) {
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.factory = fallback.getConfig().getNodeFactory();
        this.bigDecimals = fallback.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        // with trailing zeros stripped, decimals are left to Jackson (none of Quire's readers strip them)
        boolean strips = fallback.getConfig().isEnabled(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);
        StreamReadConstraints limits = fallback.getFactory().streamReadConstraints();
        this.maxStringLength = limits.getMaxStringLength();
        this.maxNumberLength = limits.getMaxNumberLength();
        this.maxNameLength = limits.getMaxNameLength();
        this.maxDepth = Math.min(limits.getMaxNestingDepth(), 500);
        this.decimalsDeclined = bigDecimals && strips;
    }

    /**
     * Parses the bytes.
     *
     * @param bytes UTF-8 JSON
     * @return the tree, as the Jackson reader would return it (a {@code MissingNode} for empty input)
     * @throws IOException what the Jackson reader throws for input that is not valid JSON
     */
    public JsonNode readTree(byte[] bytes) throws IOException {
        JsonNode fast = tryRead(bytes);
        return fast != null ? fast : fallback.readTree(bytes);
    }

    /**
     * Parses the bytes if they are in the subset this class takes on.
     *
     * @param bytes UTF-8 JSON
     * @return the tree, or null when the Jackson reader has to parse them
     */
    JsonNode tryRead(byte[] bytes) {
        try {
            Parse parse = new Parse(bytes);
            parse.skipWhitespace();
            if (parse.pos >= bytes.length) {
                return null;
            }
            JsonNode root = parse.value(0);
            parse.skipWhitespace();
            return parse.pos == bytes.length ? root : null;
        } catch (Declined | IndexOutOfBoundsException | NumberFormatException | ArithmeticException e) {
            // past the end of truncated input, or a number that BigDecimal cannot hold (a huge exponent)
            return null;
        }
    }

    /** Thrown, without a stack trace, where this reader leaves the input to Jackson. */
    private static final class Declined extends RuntimeException {
        private static final Declined INSTANCE = new Declined();

        private Declined() {
            super("declined", null, false, false);
        }
    }

    private final class Parse {
        private final byte[] in;
        /** The input as Latin-1 text, one char per byte: {@link String#indexOf(int)} finds quotes in it quickly. */
        private final String latin1;
        private int pos;
        /** The index of the first backslash at or after the last string searched, or the input's length. */
        private int backslash = -1;
        private char[] chars;

        Parse(byte[] in) {
            this.in = in;
            this.latin1 = new String(in, StandardCharsets.ISO_8859_1);
        }

        void skipWhitespace() {
            byte[] b = in;
            int i = pos;
            while (i < b.length) {
                byte c = b[i];
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    break;
                }
                i++;
            }
            pos = i;
        }

        JsonNode value(int depth) {
            byte c = in[pos];
            switch (c) {
                case '{':
                    return object(depth + 1);
                case '[':
                    return array(depth + 1);
                case '"':
                    pos++;
                    int start = pos;
                    String text = string(false);
                    // a long string that needed no decoding: marked, so the canonical writer copies it as it is
                    return text.length() >= CanonicalJsonWriter.PLAIN_MIN_LENGTH && pos - start == text.length() + 1
                            ? new PlainText(text) : factory.textNode(text);
                case 't':
                    literal("true");
                    return factory.booleanNode(true);
                case 'f':
                    literal("false");
                    return factory.booleanNode(false);
                case 'n':
                    literal("null");
                    return factory.nullNode();
                default:
                    if (c == '-' || c >= '0' && c <= '9') {
                        return number();
                    }
                    throw Declined.INSTANCE;
            }
        }

        private ObjectNode object(int depth) {
            if (depth > maxDepth) {
                throw Declined.INSTANCE;
            }
            pos++;
            ObjectNode object = factory.objectNode();
            skipWhitespace();
            if (in[pos] == '}') {
                pos++;
                return object;
            }
            while (true) {
                if (in[pos] != '"') {
                    throw Declined.INSTANCE;
                }
                pos++;
                String name = string(true);
                skipWhitespace();
                if (in[pos] != ':') {
                    throw Declined.INSTANCE;
                }
                pos++;
                skipWhitespace();
                if (object.replace(name, value(depth)) != null) {
                    // a duplicate name: Jackson either refuses it or keeps the last, depending on its settings
                    throw Declined.INSTANCE;
                }
                skipWhitespace();
                byte next = in[pos++];
                if (next == '}') {
                    return object;
                }
                if (next != ',') {
                    throw Declined.INSTANCE;
                }
                skipWhitespace();
            }
        }

        private ArrayNode array(int depth) {
            if (depth > maxDepth) {
                throw Declined.INSTANCE;
            }
            pos++;
            ArrayNode array = factory.arrayNode();
            skipWhitespace();
            if (in[pos] == ']') {
                pos++;
                return array;
            }
            while (true) {
                array.add(value(depth));
                skipWhitespace();
                byte next = in[pos++];
                if (next == ']') {
                    return array;
                }
                if (next != ',') {
                    throw Declined.INSTANCE;
                }
                skipWhitespace();
            }
        }

        private void literal(String word) {
            int length = word.length();
            for (int i = 0; i < length; i++) {
                if (in[pos + i] != word.charAt(i)) {
                    throw Declined.INSTANCE;
                }
            }
            pos += length;
            // "truex" or "null1": not a literal followed by a separator; Jackson reports it
            if (pos < in.length && isWordByte(in[pos])) {
                throw Declined.INSTANCE;
            }
        }

        /** The string from {@code pos} (just after its opening quote) to its closing quote, which is consumed. */
        private String string(boolean name) {
            int maxLength = name ? maxNameLength : maxStringLength;
            int start = pos;
            int quote = latin1.indexOf('"', start);
            if (quote < 0) {
                throw Declined.INSTANCE;
            }
            if (backslash < start) {
                backslash = latin1.indexOf('\\', start);
                if (backslash < 0) {
                    backslash = in.length;
                }
            }
            if (backslash < quote || AsciiScan.hasControlOrNonAscii(in, start, quote)) {
                return decode(start, maxLength, name);
            }
            if (quote - start > maxLength) {
                throw Declined.INSTANCE;
            }
            pos = quote + 1;
            // ASCII only, no escapes: one copy into a Latin-1 string
            return latin1.substring(start, quote);
        }

        /** The general case, escapes and multi-byte UTF-8, a byte at a time from {@code start}. */
        private String decode(int start, int maxLength, boolean name) {
            char[] out = chars == null ? new char[256] : chars;
            int n = 0;
            int i = start;
            byte[] b = in;
            while (true) {
                if (n + 2 > out.length) {
                    out = java.util.Arrays.copyOf(out, out.length * 2);
                }
                int c = b[i++];
                if (c == '"') {
                    break;
                }
                if (c >= 0x20 && c != '\\') {
                    out[n++] = (char) c;
                } else if (c == '\\') {
                    i = escape(i, out, n);
                    if (name && Character.isSurrogate(out[n])) {
                        // Jackson checks the pairing of escaped surrogates in names (not in values)
                        throw Declined.INSTANCE;
                    }
                    n++;
                } else if (c >= 0) {
                    // an unescaped control character
                    throw Declined.INSTANCE;
                } else {
                    i = utf8(c & 0xff, i, out, n);
                    n += (c & 0xf0) == 0xf0 ? 2 : 1;
                }
                if (n > maxLength) {
                    throw Declined.INSTANCE;
                }
            }
            pos = i;
            chars = out;
            return new String(out, 0, n);
        }

        /** Decodes the escape whose letter is at {@code i} into {@code out[n]}; returns the index after it. */
        private int escape(int i, char[] out, int n) {
            byte e = in[i++];
            char c;
            switch (e) {
                case '"' -> c = '"';
                case '\\' -> c = '\\';
                case '/' -> c = '/';
                case 'b' -> c = '\b';
                case 'f' -> c = '\f';
                case 'n' -> c = '\n';
                case 'r' -> c = '\r';
                case 't' -> c = '\t';
                case 'u' -> {
                    int value = 0;
                    for (int k = 0; k < 4; k++) {
                        int digit = Character.digit(in[i++], 16);
                        if (digit < 0) {
                            throw Declined.INSTANCE;
                        }
                        value = value << 4 | digit;
                    }
                    c = (char) value;
                }
                default -> throw Declined.INSTANCE;
            }
            out[n] = c;
            return i;
        }

        /**
         * Decodes the well-formed UTF-8 sequence whose lead byte {@code lead} was at {@code i - 1} into {@code out} at
         * {@code n} (two chars for a supplementary code point); returns the index after the sequence. Anything not
         * well-formed (overlong, a surrogate, past U+10FFFF, a bad continuation) is declined.
         */
        private int utf8(int lead, int i, char[] out, int n) {
            byte[] b = in;
            if (lead >= 0xc2 && lead <= 0xdf) {
                out[n] = (char) ((lead & 0x1f) << 6 | continuation(b[i]));
                return i + 1;
            }
            if (lead >= 0xe0 && lead <= 0xef) {
                int second = b[i] & 0xff;
                if (lead == 0xe0 && second < 0xa0 || lead == 0xed && second > 0x9f) {
                    throw Declined.INSTANCE;
                }
                out[n] = (char) ((lead & 0x0f) << 12 | continuation(b[i]) << 6 | continuation(b[i + 1]));
                return i + 2;
            }
            if (lead >= 0xf0 && lead <= 0xf4) {
                int second = b[i] & 0xff;
                if (lead == 0xf0 && second < 0x90 || lead == 0xf4 && second > 0x8f) {
                    throw Declined.INSTANCE;
                }
                int codePoint = (lead & 0x07) << 18 | continuation(b[i]) << 12 | continuation(b[i + 1]) << 6
                        | continuation(b[i + 2]);
                out[n] = Character.highSurrogate(codePoint);
                out[n + 1] = Character.lowSurrogate(codePoint);
                return i + 3;
            }
            throw Declined.INSTANCE;
        }

        private static int continuation(byte b) {
            if ((b & 0xc0) != 0x80) {
                throw Declined.INSTANCE;
            }
            return b & 0x3f;
        }

        private JsonNode number() {
            int start = pos;
            int i = pos;
            byte[] b = in;
            if (b[i] == '-') {
                i++;
            }
            int digits = i;
            if (b[i] == '0') {
                i++;
            } else if (b[i] >= '1' && b[i] <= '9') {
                while (i < b.length && b[i] >= '0' && b[i] <= '9') {
                    i++;
                }
            } else {
                throw Declined.INSTANCE;
            }
            boolean integral = true;
            if (i < b.length && b[i] == '.') {
                integral = false;
                i++;
                int fraction = i;
                while (i < b.length && b[i] >= '0' && b[i] <= '9') {
                    i++;
                }
                if (i == fraction) {
                    throw Declined.INSTANCE;
                }
            }
            if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
                integral = false;
                i++;
                if (i < b.length && (b[i] == '+' || b[i] == '-')) {
                    i++;
                }
                int exponent = i;
                while (i < b.length && b[i] >= '0' && b[i] <= '9') {
                    i++;
                }
                if (i == exponent) {
                    throw Declined.INSTANCE;
                }
            }
            if (i - start > maxNumberLength || i < b.length && isWordByte(b[i])) {
                throw Declined.INSTANCE;
            }
            pos = i;
            String text = new String(b, start, i - start, StandardCharsets.ISO_8859_1);
            if (integral) {
                if (i - digits <= 18) {
                    long value = Long.parseLong(text);
                    return value == (int) value ? factory.numberNode((int) value) : factory.numberNode(value);
                }
                BigInteger value = new BigInteger(text);
                return value.bitLength() < 64 ? factory.numberNode(value.longValue()) : factory.numberNode(value);
            }
            if (bigDecimals) {
                if (decimalsDeclined) {
                    throw Declined.INSTANCE;
                }
                return DecimalNode.valueOf(new BigDecimal(text));
            }
            return factory.numberNode(Double.parseDouble(text));
        }

        private static boolean isWordByte(byte c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
                    || c == '-' || c == '+' || c < 0;
        }
    }
}
