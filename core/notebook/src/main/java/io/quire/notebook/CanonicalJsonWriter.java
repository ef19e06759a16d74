package io.quire.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON trees as nbformat writes notebooks, {@code json.dumps(nb, indent=1, sort_keys=True,
 * ensure_ascii=False) + "\n"}, straight into a growable byte array.
 *
 * <p>Design: one pass over the tree, no generator state machine and no pretty-printer callbacks. Strings are copied
 * char by char into the array in a tight loop while they are plain ASCII, and leave that loop only for the characters
 * JSON must escape ({@code "}, {@code \}, controls below U+0020: {@code \b \t \n \f \r} by name, others as
 * {@code \}{@code u00xx} with lowercase hex, as Python writes them) and for non-ASCII characters, written as UTF-8
 * (surrogate pairs as one four-byte sequence, an unpaired surrogate as a {@code \}{@code uxxxx} escape). Keys are sorted by code point, as Python's {@code sort_keys} sorts.
 * Numbers are written as Python writes them: integers in decimal, other numbers that a double holds exactly in
 * {@code repr} form ({@code 1e-05}, {@code 1.5e+20}, {@code 0.1}, {@code 100.0}), decimals with more digits than a
 * double as written (Quire loses no digit where Python would round); non-finite values as quoted strings (strict
 * JSON has no literal for them; Python would write a bare {@code NaN}).
 *
 * <p>An instance is single-use and not thread-safe; {@link #toBytes()} or {@link #writeTo(OutputStream)} hand the
 * result over.
 */
final class CanonicalJsonWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** For each ASCII character: 0 to copy it, the escape letter for named escapes, 'u' for a {@code \}u00xx escape. */
    private static final byte[] ESCAPES = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = 'u';
        }
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\f'] = 'f';
        ESCAPES['\r'] = 'r';
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
    }

    /** Strings at least this long are tried on the bulk path first. */
    static final int PLAIN_MIN_LENGTH = 256;

    private byte[] buffer;
    private int size;
    private int depth;

    CanonicalJsonWriter(int capacity) {
        buffer = new byte[Math.max(capacity, 256)];
    }

    /** The bytes written so far, in an array of their exact length. */
    byte[] toBytes() {
        return Arrays.copyOf(buffer, size);
    }

    /** Writes the bytes written so far to a stream, which is not closed. */
    void writeTo(OutputStream out) throws IOException {
        out.write(buffer, 0, size);
    }

    /** The number of bytes written so far. */
    int size() {
        return size;
    }

    // ------------------------------------------------------------------------------------------------ structure

    void startObject() {
        depth++;
        raw('{');
    }

    /**
     * Ends an object.
     *
     * @param empty whether no field was written (then no line break goes before the brace)
     */
    void endObject(boolean empty) {
        depth--;
        if (!empty) {
            newline();
        }
        raw('}');
    }

    void startArray() {
        depth++;
        raw('[');
    }

    void endArray(boolean empty) {
        depth--;
        if (!empty) {
            newline();
        }
        raw(']');
    }

    /**
     * Writes a field name, preceded by the separator and line break.
     *
     * @param first whether this is the object's first field
     */
    void field(String name, boolean first) {
        element(first);
        string(name);
        ensure(2);
        buffer[size++] = ':';
        buffer[size++] = ' ';
    }

    /**
     * Starts an array element: the separator and line break.
     *
     * @param first whether this is the array's first element
     */
    void element(boolean first) {
        if (!first) {
            raw(',');
        }
        newline();
    }

    /** The line break after the whole document. */
    void finish() {
        raw('\n');
    }

    private void newline() {
        ensure(depth + 1);
        buffer[size++] = '\n';
        Arrays.fill(buffer, size, size + depth, (byte) ' ');
        size += depth;
    }

    private void raw(char c) {
        ensure(1);
        buffer[size++] = (byte) c;
    }

    private void ascii(String text) {
        int length = text.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            buffer[size++] = (byte) text.charAt(i);
        }
    }

    // ------------------------------------------------------------------------------------------------- values

    void nullValue() {
        ascii("null");
    }

    void bool(boolean value) {
        ascii(value ? "true" : "false");
    }

    void number(int value) {
        ascii(Integer.toString(value));
    }

    /**
     * Writes a string value with JSON escapes, UTF-8 encoded; an unpaired surrogate, which has no UTF-8 encoding, is
     * written as a {@code \}{@code uxxxx} escape.
     */
    void string(String text) {
        int length = text.length();
        ensure(length + 2);
        buffer[size++] = '"';
        if (length >= PLAIN_MIN_LENGTH && plain(text)) {
            ensure(1);
            buffer[size++] = '"';
            return;
        }
        int i = 0;
        while (i < length) {
            // the common case: a run of ASCII characters that need no escape, one byte each
            byte[] out = buffer;
            int at = size;
            for (; i < length; i++) {
                char c = text.charAt(i);
                if (c >= 0x80 || ESCAPES[c] != 0) {
                    break;
                }
                out[at++] = (byte) c;
            }
            size = at;
            if (i == length) {
                break;
            }
            char c = text.charAt(i++);
            // room for the longest sequence (a six-byte escape) plus the rest at one byte per character and the quote
            ensure(6 + (length - i) + 1);
            if (c < 0x80) {
                escape(c);
            } else if (c < 0x800) {
                buffer[size++] = (byte) (0xc0 | c >> 6);
                buffer[size++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i == length || !Character.isLowSurrogate(text.charAt(i))) {
                    // not encodable as UTF-8: escaped, as Jackson wrote it (Python would fail to encode the file)
                    buffer[size++] = '\\';
                    buffer[size++] = 'u';
                    buffer[size++] = HEX[c >> 12];
                    buffer[size++] = HEX[c >> 8 & 0xf];
                    buffer[size++] = HEX[c >> 4 & 0xf];
                    buffer[size++] = HEX[c & 0xf];
                    continue;
                }
                int codePoint = Character.toCodePoint(c, text.charAt(i++));
                buffer[size++] = (byte) (0xf0 | codePoint >> 18);
                buffer[size++] = (byte) (0x80 | codePoint >> 12 & 0x3f);
                buffer[size++] = (byte) (0x80 | codePoint >> 6 & 0x3f);
                buffer[size++] = (byte) (0x80 | codePoint & 0x3f);
            } else {
                buffer[size++] = (byte) (0xe0 | c >> 12);
                buffer[size++] = (byte) (0x80 | c >> 6 & 0x3f);
                buffer[size++] = (byte) (0x80 | c & 0x3f);
            }
        }
        ensure(1);
        buffer[size++] = '"';
    }

    /** A string known to be ASCII with nothing to escape ({@link PlainText}): its characters, one byte each. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the low byte of each char, exact for ASCII
    private void plainText(String text) {
        int length = text.length();
        ensure(length + 2);
        buffer[size++] = '"';
        text.getBytes(0, length, buffer, size);
        size += length;
        buffer[size++] = '"';
    }

    /**
     * The fast path for long plain ASCII strings (base64 images, long output lines): {@link String#getBytes} with
     * UTF-8 is a bulk copy for such strings; {@code indexOf} (vectorised) finds quotes and backslashes, and a
     * word-at-a-time check ({@link AsciiScan}) control characters and unpaired surrogates (written as {@code ?}). Adds
     * the bytes and returns true if the string is plain ASCII without escapes; otherwise writes nothing.
     */
    private boolean plain(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length != text.length()) {
            return false;
        }
        // a negative byte cannot occur at equal length; '?' may stand for an unpaired surrogate
        if (text.indexOf('"') >= 0 || text.indexOf('\\') >= 0
                || AsciiScan.hasControlNonAsciiOrQuestionMark(bytes, 0, bytes.length)) {
            for (int i = 0; i < bytes.length; i++) {
                byte b = bytes[i];
                if (b < 0x20 || b == '"' || b == '\\' || b == '?' && text.charAt(i) != '?') {
                    return false;
                }
            }
        }
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
        return true;
    }

    private void escape(char c) {
        byte letter = ESCAPES[c];
        buffer[size++] = '\\';
        if (letter != 'u') {
            buffer[size++] = letter;
            return;
        }
        buffer[size++] = 'u';
        buffer[size++] = '0';
        buffer[size++] = '0';
        buffer[size++] = HEX[c >> 4];
        buffer[size++] = HEX[c & 0xf];
    }

    /**
     * Writes any JSON tree: objects with keys sorted by code point.
     *
     * @throws IllegalArgumentException for a node that is not JSON data (a POJO node, a missing node)
     */
    void tree(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                int count = node.size();
                startObject();
                if (count > 0) {
                    String[] names = new String[count];
                    int i = 0;
                    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                        names[i++] = it.next();
                    }
                    if (count > 1) {
                        Arrays.sort(names, CanonicalJsonWriter::compareCodePoints);
                    }
                    boolean first = true;
                    for (String name : names) {
                        field(name, first);
                        first = false;
                        tree(node.get(name));
                    }
                }
                endObject(count == 0);
            }
            case ARRAY -> {
                startArray();
                boolean first = true;
                for (JsonNode element : node) {
                    element(first);
                    first = false;
                    tree(element);
                }
                endArray(first);
            }
            case STRING -> {
                if (node instanceof PlainText) {
                    plainText(node.textValue());
                } else {
                    string(node.textValue());
                }
            }
            case BOOLEAN -> bool(node.booleanValue());
            case NULL -> nullValue();
            case NUMBER -> number(node);
            case BINARY -> {
                try {
                    string(Base64.getEncoder().encodeToString(node.binaryValue()));
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read a binary JSON node", e);
                }
            }
            default -> throw new IllegalArgumentException("cannot write a " + node.getNodeType()
                    + " node as notebook JSON");
        }
    }

    private void number(JsonNode node) {
        switch (node.numberType()) {
            case INT -> number(node.intValue());
            case LONG -> ascii(Long.toString(node.longValue()));
            case BIG_INTEGER -> ascii(node.bigIntegerValue().toString());
            case BIG_DECIMAL -> decimal(node.decimalValue());
            case FLOAT -> floating(Double.parseDouble(Float.toString(node.floatValue())));
            default -> floating(node.doubleValue());
        }
    }

    /**
     * Writes a decimal read from a file or a request. When it is the value of a double (every number nbformat
     * wrote), as Python's {@code repr} of that double, so files written by nbformat keep their bytes; when it holds
     * more than a double can (a hand-written {@code 0.1000000000000000055511151231257827}), as its own decimal text,
     * so no digit is lost.
     */
    private void decimal(BigDecimal value) {
        double binary = value.doubleValue();
        if (Double.isFinite(binary)) {
            String repr = pythonRepr(binary);
            if (new BigDecimal(repr).compareTo(value) == 0) {
                ascii(repr);
                return;
            }
        }
        ascii(value.toString());
    }

    /**
     * Writes a double as Python's {@code repr} does (what {@code json.dumps} writes): the shortest digits that read
     * back as the same double, in positional notation when the decimal exponent is in [-4, 16), else as
     * {@code d.ddde+XX}. Non-finite doubles are written as quoted strings, since strict JSON has no literal for them.
     */
    private void floating(double value) {
        if (Double.isFinite(value)) {
            ascii(pythonRepr(value));
        } else {
            string(Double.toString(value));
        }
    }

    /** Python's {@code repr(float)} of a finite double. */
    static String pythonRepr(double value) {
        // Double.toString gives the shortest round-tripping digits (JDK 19+), as Python's repr does
        String java = Double.toString(Math.abs(value));
        int e = java.indexOf('E');
        String mantissa = e < 0 ? java : java.substring(0, e);
        int exponent = e < 0 ? 0 : Integer.parseInt(java.substring(e + 1));
        int dot = mantissa.indexOf('.');
        StringBuilder digits = new StringBuilder(mantissa.length()).append(mantissa, 0, dot).append(mantissa, dot + 1,
                mantissa.length());
        // value = 0.DIGITS x 10^point
        int point = dot + exponent;
        int leading = 0;
        while (leading < digits.length() - 1 && digits.charAt(leading) == '0') {
            leading++;
        }
        digits.delete(0, leading);
        point -= leading;
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        digits.setLength(end);
        if (digits.length() == 2) {
            // Double.toString shows at least two digits; a subnormal whose shortest form has one (Python's 5e-324
            // where Java writes 4.9E-324) gets it back here
            long rounded = Math.round((digits.charAt(0) - '0') + (digits.charAt(1) - '0') / 10.0);
            if (rounded < 10 && Double.parseDouble(rounded + "e" + (point - 1)) == Math.abs(value)) {
                digits.setLength(0);
                digits.append(rounded);
            }
        }
        StringBuilder out = new StringBuilder(24);
        if (value < 0 || (value == 0 && 1 / value < 0)) {
            out.append('-');
        }
        if (digits.length() == 1 && digits.charAt(0) == '0') {
            return out.append("0.0").toString();
        }
        if (point > -4 && point <= 16) {
            if (point <= 0) {
                out.append("0.").append("0".repeat(-point)).append(digits);
            } else if (point >= digits.length()) {
                out.append(digits).append("0".repeat(point - digits.length())).append(".0");
            } else {
                out.append(digits, 0, point).append('.').append(digits, point, digits.length());
            }
        } else {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            int shown = point - 1;
            out.append('e').append(shown < 0 ? '-' : '+');
            int magnitude = Math.abs(shown);
            if (magnitude < 10) {
                out.append('0');
            }
            out.append(magnitude);
        }
        return out.toString();
    }

    /**
     * About how many bytes {@link #tree} writes for a tree (exact for ASCII text without escapes, low for others), so
     * the buffer can be sized once instead of growing by copies.
     */
    static long estimate(JsonNode node) {
        return estimate(node, 1);
    }

    private static long estimate(JsonNode node, int depth) {
        return switch (node.getNodeType()) {
            case OBJECT -> {
                long bytes = depth + 2;
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    bytes += depth + 6 + field.getKey().length() + estimate(field.getValue(), depth + 1);
                }
                yield bytes;
            }
            case ARRAY -> {
                long bytes = depth + 2;
                for (JsonNode element : node) {
                    bytes += depth + 2 + estimate(element, depth + 1);
                }
                yield bytes;
            }
            case STRING -> node.textValue().length() + 2;
            default -> 8;
        };
    }

    /** Python's {@code sort_keys} order: by code point (String.compareTo would order by UTF-16 unit). */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private void ensure(int more) {
        int needed = size + more;
        if (needed > buffer.length || needed < 0) {
            if (needed < 0) {
                throw new IllegalStateException("notebook JSON larger than 2 GB");
            }
            buffer = Arrays.copyOf(buffer, Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8, buffer.length * 2L)));
        }
    }
}
