package io.quire.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The canonical writer against the Jackson generator setup it replaced, on random trees. */
class CanonicalJsonWriterTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    void randomTrees_areWrittenByteForByteAsTheJacksonWriterWroteThem() throws IOException {
        SplittableRandom random = new SplittableRandom(20261126);
        for (int i = 0; i < 3_000; i++) {
            JsonNode tree = randomObject(random, 0);
            byte[] expected = legacy(tree);
            byte[] actual = canonical(tree);
            if (!Arrays.equals(actual, expected)) {
                assertThat(new String(actual, StandardCharsets.UTF_8)).as("tree %d", i)
                        .isEqualTo(new String(expected, StandardCharsets.UTF_8));
                assertThat(actual).as("tree %d", i).isEqualTo(expected);
            }
        }
    }

    @Test
    void unpairedSurrogates_areWrittenAsLowercaseEscapes() {
        ObjectNode tree = F.objectNode().put("text", "a\ud800b\udfff\ud83d\ude00");
        assertThat(new String(canonical(tree), StandardCharsets.UTF_8))
                .isEqualTo("{\n \"text\": \"a\\ud800b\\udfff\ud83d\ude00\"\n}\n");
    }

    @Test
    void longAsciiStrings_withAQuestionMarkOrAnUnpairedSurrogate_keepBoth() {
        String plain = "x".repeat(300);
        ObjectNode tree = F.objectNode().put("a", plain + "?" + plain).put("b", plain + "\udc00" + plain);
        assertThat(new String(canonical(tree), StandardCharsets.UTF_8)).isEqualTo("{\n \"a\": \"" + plain + "?" + plain
                + "\",\n \"b\": \"" + plain + "\\udc00" + plain + "\"\n}\n");
    }

    private static byte[] canonical(JsonNode tree) {
        CanonicalJsonWriter writer = new CanonicalJsonWriter(16);
        writer.tree(tree);
        writer.finish();
        return writer.toBytes();
    }

    private static JsonNode randomObject(SplittableRandom random, int depth) {
        ObjectNode object = F.objectNode();
        int fields = random.nextInt(depth == 0 ? 8 : 5);
        for (int i = 0; i < fields; i++) {
            object.set(randomString(random, 6), randomValue(random, depth + 1));
        }
        return object;
    }

    private static JsonNode randomValue(SplittableRandom random, int depth) {
        int kind = random.nextInt(depth > 4 ? 11 : 13);
        return switch (kind) {
            case 0 -> F.textNode(randomString(random, 40));
            case 1 -> F.textNode(randomString(random, 3_000));
            case 2 -> F.numberNode(random.nextInt());
            case 3 -> F.numberNode(random.nextLong());
            case 4 -> F.numberNode(new BigInteger(100, new java.util.Random(random.nextLong())));
            case 5 -> F.numberNode(new BigDecimal(BigInteger.valueOf(random.nextLong()), random.nextInt(-30, 30)));
            case 6 -> F.numberNode(randomDouble(random));
            case 7 -> F.numberNode((float) randomDouble(random));
            case 8 -> F.booleanNode(random.nextBoolean());
            case 9 -> F.nullNode();
            case 10 -> F.binaryNode(randomBytes(random));
            case 11 -> randomObject(random, depth);
            default -> {
                ArrayNode array = F.arrayNode();
                int elements = random.nextInt(5);
                for (int i = 0; i < elements; i++) {
                    array.add(randomValue(random, depth + 1));
                }
                yield array;
            }
        };
    }

    private static double randomDouble(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> Double.NaN;
            case 1 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 2 -> random.nextInt(-1000, 1000);
            case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(-30, 30));
            default -> Double.longBitsToDouble(random.nextLong());
        };
    }

    private static byte[] randomBytes(SplittableRandom random) {
        byte[] bytes = new byte[random.nextInt(50)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** ASCII mostly, with escapes, controls, Latin-1, BMP, astral characters and unpaired surrogates. */
    static String randomString(SplittableRandom random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder text = new StringBuilder(length);
        int mode = random.nextInt(4);
        for (int i = 0; i < length; i++) {
            // mode 0: plain ASCII; mode 1: plain with a rare other character (the bulk path's edge); else mixed
            int pick = mode == 0 || mode == 1 && random.nextInt(400) != 0 ? 0 : random.nextInt(11);
            switch (pick) {
                case 0, 1, 2, 3 -> text.append((char) random.nextInt(0x20, 0x7f));
                case 4 -> text.append((char) random.nextInt(0, 0x20));
                case 5 -> text.append(random.nextBoolean() ? '"' : random.nextBoolean() ? '\\' : (char) 0x7f);
                case 6 -> text.append((char) random.nextInt(0x80, 0x800));
                case 7 -> text.append((char) random.nextInt(0x800, 0xd800));
                case 8 -> text.append((char) random.nextInt(0xe000, 0x10000));
                case 9 -> text.append(random.nextInt(20) == 0 ? (char) random.nextInt(0xd800, 0xe000)
                        : Character.toChars(random.nextInt(0x10000, 0x110000))[0]);
                default -> text.appendCodePoint(random.nextInt(0x10000, 0x110000));
            }
        }
        return text.toString();
    }

    // ------------------------------------------------------------ the writer this class replaced, as the oracle

    private static final JsonFactory LEGACY_FACTORY = JsonFactory.builder()
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();
    private static final ObjectMapper LEGACY_MAPPER = new ObjectMapper(LEGACY_FACTORY);
    private static final DefaultPrettyPrinter LEGACY_PRETTY = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter(" ", "\n"))
            .withArrayIndenter(new DefaultIndenter(" ", "\n"));

    private static byte[] legacy(JsonNode tree) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = LEGACY_MAPPER.createGenerator(out)) {
            generator.setPrettyPrinter(LEGACY_PRETTY.createInstance());
            writeSorted(generator, tree);
            generator.writeRaw('\n');
        }
        return out.toByteArray();
    }

    private static void writeSorted(JsonGenerator generator, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                generator.writeStartObject();
                String[] names = new String[node.size()];
                int i = 0;
                for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                    names[i++] = it.next();
                }
                Arrays.sort(names, CanonicalJsonWriter::compareCodePoints);
                for (String name : names) {
                    generator.writeFieldName(name);
                    writeSorted(generator, node.get(name));
                }
                generator.writeEndObject();
            }
            case ARRAY -> {
                generator.writeStartArray();
                for (JsonNode element : node) {
                    writeSorted(generator, element);
                }
                generator.writeEndArray();
            }
            case STRING -> generator.writeString(node.textValue());
            case BOOLEAN -> generator.writeBoolean(node.booleanValue());
            case NULL -> generator.writeNull();
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> generator.writeNumber(node.intValue());
                    case LONG -> generator.writeNumber(node.longValue());
                    case BIG_INTEGER -> generator.writeNumber(node.bigIntegerValue());
                    case BIG_DECIMAL -> generator.writeNumber(node.decimalValue());
                    case FLOAT -> generator.writeNumber(node.floatValue());
                    default -> generator.writeNumber(node.doubleValue());
                }
            }
            default -> generator.writeTree(node);
        }
    }
}
