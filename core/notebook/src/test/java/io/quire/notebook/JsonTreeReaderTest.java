package io.quire.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonTreeReader} against Jackson's own reader, with both settings Quire reads JSON with (the HTTP layer's
 * defaults, and the notebook codec's exact decimals and strict duplicates): for every input, valid or not, the same
 * tree (same node classes, same number scales, same field order) or the same error. And the fast path must really
 * be taken for the inputs it is for, or the reader would be correct but no faster.
 */
class JsonTreeReaderTest {
    private static final ObjectReader HTTP = JsonMapper.builder().build().reader();
    private static final ObjectReader CODEC = NotebookCodec.jacksonReader();

    private static final List<String> CASES = List.of(
            "{}", "[]", "  {\"a\" : 1 }\n", "{\"a\":[1,2,[3,{}]],\"b\":{\"c\":null,\"d\":true,\"e\":false}}",
            "\"text\"", "1", "-0", "0", "-1", "2147483647", "2147483648", "-2147483648", "-2147483649",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "123456789012345678901234567890",
            "1.0", "1.50", "-0.0", "1e5", "1E+5", "1.5e-7", "0.1", "1e400", "-1e-400", "123456789.123456789012345",
            "[1.0, 2.50, 3e2, 0.000]",
            "\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\u00e9 \\u20ac \\ud83d\\ude00 end\"",
            "\"lone \\ud800 surrogate\"", "\"é€😀 ñ\"", "\"del \u007f\"", "\"\"", "{\"\":\"\"}",
            "{\"é\":\"ü\",\"k\":\"\\u0000\"}",
            // not JSON, or not in the fast path's subset: Jackson decides
            "", "   ", "{", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{a:1}", "'x'", "01", "1.", ".5", "1e", "+1",
            "-", "NaN", "Infinity", "truex", "nul", "[true false]", "{\"a\":1}{", "{\"a\":1} x", "[1]]",
            "{\"a\":1,\"a\":2}", "\uFEFF{\"a\":1}", "\"tab\tinside\"", "\"nl\ninside\"", "\"bad \\x escape\"",
            "\"bad \\u12g4\"", "\"unterminated", "[\"a\",", "// comment\n1", "[1e5x]", "{\"a\":tru}");

    @Test
    void everyCase_givesJacksonsTreeOrJacksonsError() throws IOException {
        for (ObjectReader jackson : List.of(HTTP, CODEC)) {
            JsonTreeReader reader = new JsonTreeReader(jackson);
            for (String text : CASES) {
                compare(reader, jackson, text.getBytes(StandardCharsets.UTF_8), text);
            }
            // malformed UTF-8: a lone continuation byte, a truncated sequence, an overlong form, an encoded surrogate
            for (byte[] bytes : List.of(new byte[] {'"', (byte) 0x80, '"'}, new byte[] {'"', (byte) 0xc3, '"'},
                    new byte[] {'"', (byte) 0xc0, (byte) 0xaf, '"'},
                    new byte[] {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'},
                    new byte[] {'"', (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'},
                    new byte[] {'"', (byte) 0xff, '"'})) {
                compare(reader, jackson, bytes, Arrays.toString(bytes));
            }
        }
    }

    @Test
    void randomDocumentsAndTheirCorruptions_giveJacksonsTreeOrJacksonsError() throws IOException {
        SplittableRandom random = new SplittableRandom(20261127);
        int fast = 0;
        for (int i = 0; i < 2_000; i++) {
            StringBuilder json = new StringBuilder();
            randomValue(random, json, 0);
            byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
            for (ObjectReader jackson : List.of(HTTP, CODEC)) {
                JsonTreeReader reader = new JsonTreeReader(jackson);
                compare(reader, jackson, bytes, json.toString());
                if (reader.tryRead(bytes) != null) {
                    fast++;
                }
                // a corrupted copy: a byte changed, or the end cut off
                byte[] broken = bytes.clone();
                if (random.nextBoolean() && broken.length > 0) {
                    // é cast to a byte is a lone UTF-8 lead byte
                    String replacements = "{}[]\",:\\ 0a-.eé\u0001";
                    broken[random.nextInt(broken.length)] = (byte) replacements.charAt(random.nextInt(replacements.length()));
                } else {
                    broken = Arrays.copyOf(broken, random.nextInt(broken.length + 1));
                }
                compare(reader, jackson, broken, new String(broken, StandardCharsets.UTF_8));
            }
        }
        // the generator writes duplicates now and then; everything else must take the fast path
        assertThat(fast).as("documents read without Jackson").isGreaterThan(3_600);
    }

    @Test
    void notebookShapedInput_takesTheFastPath() throws IOException {
        StringBuilder image = new StringBuilder();
        SplittableRandom random = new SplittableRandom(7);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 300_000; i++) {
            image.append(alphabet.charAt(random.nextInt(64)));
        }
        String json = "{\"cells\":[{\"cell_type\":\"code\",\"execution_count\":1,\"id\":\"a\",\"metadata\":{},"
                + "\"outputs\":[{\"data\":{\"image/png\":\"" + image + "\",\"text/plain\":[\"<Figure>\"]},"
                + "\"metadata\":{\"width\":640.5},\"output_type\":\"display_data\"}],\"source\":[\"plot()\\n\","
                + "\"print('é')\"]}],\"metadata\":{},\"nbformat\":4,\"nbformat_minor\":5}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        for (ObjectReader jackson : List.of(HTTP, CODEC)) {
            JsonTreeReader reader = new JsonTreeReader(jackson);
            JsonNode tree = reader.tryRead(bytes);
            assertThat(tree).as("the fast path").isNotNull();
            assertThat(tree.at("/cells/0/outputs/0/data/image~1png")).as("the image").isInstanceOf(PlainText.class);
            compare(reader, jackson, bytes, "notebook");
        }
    }

    @Test
    void limits_areJacksons() throws IOException {
        // deeper than the fast path goes, and deeper than Jackson allows
        for (int depth : new int[] {499, 501, 1_500, 2_500}) {
            String json = "[".repeat(depth) + "]".repeat(depth);
            for (ObjectReader jackson : List.of(HTTP, CODEC)) {
                compare(new JsonTreeReader(jackson), jackson, json.getBytes(StandardCharsets.UTF_8), "depth " + depth);
            }
        }
        // a number longer than the HTTP reader's limit (1,000 characters)
        String digits = "1".repeat(1_200);
        compare(new JsonTreeReader(HTTP), HTTP, digits.getBytes(StandardCharsets.UTF_8), "long number");
    }

    private static void compare(JsonTreeReader reader, ObjectReader jackson, byte[] bytes, String what) {
        Outcome jacksons = Outcome.of(() -> jackson.readTree(bytes));
        Outcome readers = Outcome.of(() -> reader.readTree(bytes));
        JsonNode expected = jacksons.tree();
        Exception expectedError = jacksons.error();
        JsonNode actual = readers.tree();
        Exception actualError = readers.error();
        if (expectedError != null) {
            assertThat(actualError).as("error for %s; Jackson said %s", what, expectedError).isNotNull();
            assertThat(actualError.getClass()).as("error class for %s", what).isEqualTo(expectedError.getClass());
            assertThat(actualError.getMessage()).as("error for %s", what).isEqualTo(expectedError.getMessage());
            return;
        }
        if (actualError != null) {
            fail("Jackson read " + what + " but the reader failed: " + actualError);
        }
        sameTree(actual, expected, what + " at $");
        // and the canonical writer writes both alike (it copies the marked plain strings without looking at them)
        if (expected.isContainerNode() || expected.isValueNode()) {
            assertThat(new String(canonical(actual), StandardCharsets.UTF_8)).as("written %s", what)
                    .isEqualTo(new String(canonical(expected), StandardCharsets.UTF_8));
        }
    }

    /** What a read gave: a tree (possibly null, as Jackson gives for some inputs), or the exception it threw. */
    private record Outcome(JsonNode tree, Exception error) {
        interface Read {
            JsonNode read() throws IOException;
        }

        static Outcome of(Read read) {
            try {
                return new Outcome(read.read(), null);
            } catch (IOException | RuntimeException e) {
                return new Outcome(null, e);
            }
        }
    }

    private static byte[] canonical(JsonNode tree) {
        CanonicalJsonWriter writer = new CanonicalJsonWriter(16);
        writer.tree(tree);
        writer.finish();
        return writer.toBytes();
    }

    /** Equal, and built of the same node classes with the same number scales and field orders. */
    private static void sameTree(JsonNode actual, JsonNode expected, String where) {
        sameTree(actual, expected, where, 0);
    }

    private static void sameTree(JsonNode actual, JsonNode expected, String where, int depth) {
        if (expected == null) {
            assertThat(actual).as(where).isNull();
            return;
        }
        assertThat(actual).as(where).isNotNull();
        // a long plain string is a TextNode marked for the writer
        assertThat(actual instanceof PlainText ? TextNode.class : actual.getClass()).as(where)
                .isEqualTo(expected.getClass());
        if (actual instanceof PlainText) {
            assertThat(actual.textValue()).as(where).hasSizeGreaterThanOrEqualTo(CanonicalJsonWriter.PLAIN_MIN_LENGTH)
                    .doesNotContain("\"", "\\").matches("[\\x20-\\x7f]*");
        }
        assertThat(actual).as(where).isEqualTo(expected);
        if (expected.isBigDecimal()) {
            assertThat(actual.decimalValue().scale()).as(where).isEqualTo(expected.decimalValue().scale());
        }
        if (depth > 100) {
            // deeper than any notebook; equality above covers the values
            return;
        }
        if (expected.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> a = actual.properties().iterator();
            for (Map.Entry<String, JsonNode> e : expected.properties()) {
                Map.Entry<String, JsonNode> next = a.next();
                assertThat(next.getKey()).as(where).isEqualTo(e.getKey());
                sameTree(next.getValue(), e.getValue(), where + "." + e.getKey(), depth + 1);
            }
        } else if (expected.isArray()) {
            for (int i = 0; i < expected.size(); i++) {
                sameTree(actual.get(i), expected.get(i), where + "[" + i + "]", depth + 1);
            }
        }
    }

    private static void randomValue(SplittableRandom random, StringBuilder out, int depth) {
        int kind = depth > 4 ? 3 + random.nextInt(5) : random.nextInt(8);
        space(random, out);
        switch (kind) {
            case 0, 1 -> {
                out.append('{');
                int n = random.nextInt(5);
                List<String> names = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    space(random, out);
                    // now and then a name that is already there
                    String name = !names.isEmpty() && random.nextInt(40) == 0 ? names.get(0) : randomString(random);
                    names.add(name);
                    out.append(name);
                    space(random, out);
                    out.append(':');
                    randomValue(random, out, depth + 1);
                }
                space(random, out);
                out.append('}');
            }
            case 2 -> {
                out.append('[');
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    randomValue(random, out, depth + 1);
                }
                space(random, out);
                out.append(']');
            }
            case 3, 4 -> out.append(randomString(random));
            case 5 -> out.append(randomNumber(random));
            case 6 -> out.append(random.nextBoolean() ? "true" : "false");
            default -> out.append(random.nextInt(4) == 0 ? "null" : randomNumber(random));
        }
        space(random, out);
    }

    private static void space(SplittableRandom random, StringBuilder out) {
        if (random.nextInt(4) == 0) {
            out.append(" \n\r\t".charAt(random.nextInt(4)));
        }
    }

    private static String randomString(SplittableRandom random) {
        StringBuilder s = new StringBuilder("\"");
        int length = random.nextInt(10) == 0 ? 200 + random.nextInt(2_000) : random.nextInt(12);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(40);
            switch (kind) {
                case 0 -> s.append("\\\"");
                case 1 -> s.append("\\\\");
                case 2 -> s.append("\\n");
                case 3 -> s.append("\\u").append(String.format("%04x", random.nextInt(0x10000)));
                case 4 -> s.append("\\/");
                case 5 -> s.append('é');
                case 6 -> s.append('€');
                case 7 -> s.append("😀");
                case 8 -> s.append('\u007f');
                default -> s.append(safe(random));
            }
        }
        return s.append('"').toString();
    }

    private static char safe(SplittableRandom random) {
        char c = (char) (0x20 + random.nextInt(0x5f));
        return c == '"' || c == '\\' ? 'x' : c;
    }

    private static String randomNumber(SplittableRandom random) {
        return switch (random.nextInt(7)) {
            case 0 -> Integer.toString(random.nextInt());
            case 1 -> Long.toString(random.nextLong());
            case 2 -> "1" + "0".repeat(random.nextInt(25));
            case 3 -> Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(-20, 20)));
            case 4 -> random.nextInt(100) + "." + random.nextInt(1000) + "0".repeat(random.nextInt(3));
            case 5 -> random.nextInt(10) + "e" + (random.nextBoolean() ? "-" : "+") + random.nextInt(30);
            default -> "-" + random.nextInt(1000);
        };
    }
}
