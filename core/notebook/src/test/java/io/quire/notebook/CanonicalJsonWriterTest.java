package io.quire.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The canonical writer against Python's {@code json.dumps(indent=1, sort_keys=True, ensure_ascii=False)} (what
 * nbformat writes) on random trees (floats included), and the cases where Quire differs (non-finite floats, which
 * strict JSON cannot hold, and unpaired surrogates). The earlier writer itself was compared on 3,000 random trees of all node types before it
 * was removed (commit history of this test).
 */
class CanonicalJsonWriterTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    void randomTrees_areWrittenByteForByteAsPythonsJsonModuleWritesThem(@TempDir Path dir) throws IOException {
        TestEnvironment.require(Files.isExecutable(PythonOracle.PYTHON), "Python (" + PythonOracle.PYTHON + ")");
        SplittableRandom random = new SplittableRandom(20261126);
        List<JsonNode> trees = new ArrayList<>();
        ArrayNode all = F.arrayNode();
        for (int i = 0; i < 1_000; i++) {
            JsonNode tree = randomObject(random, 0);
            trees.add(tree);
            all.add(tree);
        }
        Path input = dir.resolve("trees.json");
        Files.write(input, new ObjectMapper().writeValueAsBytes(all));
        // what nbformat.write does with each tree, one per line of base64 (the output holds newlines)
        String written = PythonOracle.run("""
                import base64, json, sys
                for tree in json.load(open(sys.argv[1], encoding="utf-8")):
                    text = json.dumps(tree, indent=1, sort_keys=True, ensure_ascii=False) + "\\n"
                    print(base64.b64encode(text.encode("utf-8")).decode())
                """, input.toString());
        List<String> lines = written.lines().toList();
        assertThat(lines).hasSize(trees.size());
        for (int i = 0; i < trees.size(); i++) {
            byte[] expected = Base64.getDecoder().decode(lines.get(i));
            byte[] actual = canonical(trees.get(i));
            if (!Arrays.equals(actual, expected)) {
                assertThat(new String(actual, StandardCharsets.UTF_8)).as("tree %d", i)
                        .isEqualTo(new String(expected, StandardCharsets.UTF_8));
                assertThat(actual).as("tree %d", i).isEqualTo(expected);
            }
        }
    }

    @Test
    void numbers_areWrittenAsPythonWritesThem() {
        ObjectNode tree = F.objectNode();
        tree.put("int", -7).put("long", 1L << 40).put("big", new BigInteger("123456789012345678901234567890"))
                .put("decimal", new BigDecimal("1.50")).put("scientific", new BigDecimal("1E+5"))
                .put("double", 1e-5).put("float", 0.1f).put("nan", Double.NaN)
                .put("infinity", Double.NEGATIVE_INFINITY).put("yes", true).put("large", 1.5e20)
                .put("e16", 1e16).put("e15", 1e15).put("small", 0.0001).put("negzero", -0.0).put("tiny", Double.MIN_VALUE)
                .put("huge", new BigDecimal("1E+400"));
        tree.putNull("none");
        tree.put("bytes", new byte[] {1, 2, 3});
        assertThat(new String(canonical(tree), StandardCharsets.UTF_8)).isEqualTo("""
                {
                 "big": 123456789012345678901234567890,
                 "bytes": "AQID",
                 "decimal": 1.5,
                 "double": 1e-05,
                 "e15": 1000000000000000.0,
                 "e16": 1e+16,
                 "float": 0.1,
                 "huge": 1E+400,
                 "infinity": "-Infinity",
                 "int": -7,
                 "large": 1.5e+20,
                 "long": 1099511627776,
                 "nan": "NaN",
                 "negzero": -0.0,
                 "none": null,
                 "scientific": 100000.0,
                 "small": 0.0001,
                 "tiny": 5e-324,
                 "yes": true
                }
                """);
    }

    @Test
    void floatsOfANotebookWrittenByNbformat_roundTripByteForByte() {
        String file = """
                {
                 "cells": [],
                 "metadata": {
                  "x": {
                   "a": 1e-05,
                   "b": 1.5e+20,
                   "c": 0.1,
                   "d": 1.0,
                   "e": 1.2345678901234568e+17,
                   "f": 2.5e-07,
                   "g": 100.0,
                   "h": 1e+16,
                   "i": 5e-324
                  }
                 },
                 "nbformat": 4,
                 "nbformat_minor": 5
                }
                """;
        assertThat(new String(Notebook.parse(file).toBytes(), StandardCharsets.UTF_8)).isEqualTo(file);
    }

    @Test
    void emptyContainersAndNesting_useNbformatsLayout() {
        ObjectNode tree = F.objectNode();
        tree.putObject("o");
        tree.putArray("a").add(1).addArray().add(F.objectNode().put("k", "v"));
        assertThat(new String(canonical(tree), StandardCharsets.UTF_8)).isEqualTo("""
                {
                 "a": [
                  1,
                  [
                   {
                    "k": "v"
                   }
                  ]
                 ],
                 "o": {}
                }
                """);
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

    /** A random object of values Python's json module writes as Quire does (no non-finite floats, no unpaired surrogates). */
    private static JsonNode randomObject(SplittableRandom random, int depth) {
        ObjectNode object = F.objectNode();
        int fields = random.nextInt(depth == 0 ? 8 : 5);
        for (int i = 0; i < fields; i++) {
            object.set(randomString(random, 6), randomValue(random, depth + 1));
        }
        return object;
    }

    private static JsonNode randomValue(SplittableRandom random, int depth) {
        int kind = KINDS[random.nextInt(depth > 4 ? 10 : KINDS.length)];
        return switch (kind) {
            case 0 -> F.textNode(randomString(random, 40));
            case 1 -> F.textNode(randomString(random, 3_000));
            case 2 -> F.numberNode(random.nextInt());
            case 3 -> F.numberNode(random.nextLong());
            case 4 -> F.numberNode(new BigInteger(100, new java.util.Random(random.nextLong())));
            case 5 -> F.numberNode(randomDouble(random));
            case 6 -> F.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(-25, 25)));
            case 7 -> F.numberNode(new BigDecimal(BigInteger.valueOf(random.nextLong(1_000_000_000L)),
                    random.nextInt(1, 25)));
            case 8 -> F.booleanNode(random.nextBoolean());
            case 9 -> F.nullNode();
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

    /** Any finite double, from random bits (all magnitudes, subnormals, negative zero). */
    private static double randomDouble(SplittableRandom random) {
        double value;
        do {
            value = Double.longBitsToDouble(random.nextLong());
        } while (!Double.isFinite(value));
        return value;
    }

    /** The value kinds of {@link #randomValue}, containers last. */
    private static final int[] KINDS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12};

    /** ASCII mostly, with escapes, controls, Latin-1, BMP and astral characters, in long plain runs or mixed. */
    static String randomString(SplittableRandom random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder text = new StringBuilder(length);
        int mode = random.nextInt(4);
        for (int i = 0; i < length; i++) {
            // mode 0: plain ASCII; mode 1: plain with a rare other character (the bulk path's edge); else mixed
            int pick = mode == 0 || mode == 1 && random.nextInt(400) != 0 ? 0 : random.nextInt(10);
            switch (pick) {
                case 0, 1, 2, 3 -> text.append((char) random.nextInt(0x20, 0x7f));
                case 4 -> text.append((char) random.nextInt(0, 0x20));
                case 5 -> text.append(random.nextBoolean() ? '"' : random.nextBoolean() ? '\\' : (char) 0x7f);
                case 6 -> text.append((char) random.nextInt(0x80, 0x800));
                case 7 -> text.append((char) random.nextInt(0x800, 0xd800));
                case 8 -> text.append((char) random.nextInt(0xe000, 0x10000));
                default -> text.appendCodePoint(random.nextInt(0x10000, 0x110000));
            }
        }
        return text.toString();
    }
}
