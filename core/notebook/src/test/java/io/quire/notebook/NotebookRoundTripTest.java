package io.quire.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reading and writing keeps notebooks intact: every nbformat 4 file of the corpus and every notebook installed by
 * Debian's Python packages reads and writes back to the same JSON; writing is stable; nbformat 3 files upgrade to
 * what nbformat itself makes of them (Python nbformat used as an oracle at test time).
 */
class NotebookRoundTripTest {
    private static final String NBFORMAT_UPGRADE = """
            import json, sys, nbformat
            nb = nbformat.read(sys.argv[1], as_version=4)
            json.dump(nb, sys.stdout, ensure_ascii=False, sort_keys=True)
            """;
    private static byte[] large;

    static Stream<Named<Path>> v4Notebooks() {
        return Stream.concat(Corpus.named(Corpus.v4()), Corpus.namedInstalled());
    }

    static Stream<Named<Path>> corpusV4WithoutFloatingPointNumbers() {
        return Corpus.named(Corpus.v4().stream()
                .filter(file -> !JsonTrees.hasFloatingPointNumber(JsonTrees.parse(Corpus.bytes(file))))
                .toList());
    }

    static Stream<Named<Path>> v3Notebooks() {
        return Corpus.named(Corpus.v3());
    }

    private static synchronized byte[] largeNotebook() {
        if (large == null) {
            large = LargeNotebooks.generate(0x5EED_1234L, 6_000_000);
        }
        return large;
    }

    // ---------------------------------------------------------------------------------------------- the corpus

    @Test
    void corpus_coversEveryV4MinorVersion() {
        Set<Integer> minors = new HashSet<>();
        for (Path file : Corpus.v4()) {
            minors.add(JsonTrees.parse(Corpus.bytes(file)).path("nbformat_minor").intValue());
        }
        assertThat(minors).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    }

    @Test
    void corpus_holdsV3NotebooksIncludingOneWithSeveralWorksheets() {
        List<Integer> worksheetCounts = new ArrayList<>();
        for (Path file : Corpus.v3()) {
            JsonNode json = JsonTrees.parse(Corpus.bytes(file));
            assertThat(json.path("nbformat").intValue()).as(file.getFileName().toString()).isEqualTo(3);
            worksheetCounts.add(json.path("worksheets").size());
        }
        assertThat(worksheetCounts).hasSizeGreaterThanOrEqualTo(2).anySatisfy(n -> assertThat(n).isGreaterThan(1));
    }

    @Test
    void corpus_staysSmallEnoughToCommit() throws IOException {
        long total = 0;
        try (Stream<Path> files = Files.list(Corpus.dir())) {
            for (Path file : files.toList()) {
                total += Files.size(file);
            }
        }
        assertThat(total).isLessThan(3_000_000);
    }

    @Test
    void installedNotebooks_areFoundOnThisMachine() {
        TestEnvironment.require(!Corpus.installed().isEmpty(),
                "notebooks installed by Debian's Python packages under " + Corpus.INSTALLED_ROOTS);
        assertThat(Corpus.installed()).allSatisfy(file -> assertThat(file).isRegularFile());
    }

    // ---------------------------------------------------------------------------------------------- nbformat 4

    @ParameterizedTest(name = "{0}")
    @MethodSource("v4Notebooks")
    void readThenWrite_keepsTheJsonOfTheFile(Path file) {
        byte[] original = Corpus.bytes(file);

        byte[] written = Notebook.read(original).toBytes();

        JsonTrees.assertSameJson(JsonTrees.parse(original), JsonTrees.parse(written));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v4Notebooks")
    void write_isByteIdenticalWhenWrittenOutputIsReadAndWrittenAgain(Path file) {
        byte[] first = Notebook.read(Corpus.bytes(file)).toBytes();

        byte[] second = Notebook.read(first).toBytes();

        assertSameLines(new String(first, StandardCharsets.UTF_8), new String(second, StandardCharsets.UTF_8));
    }

    /**
     * The corpus files are written in nbformat's style (indent 1, sorted keys, unescaped UTF-8, trailing newline), so
     * a notebook Quire reads and writes back must be the same bytes: a file saved by Jupyter and then by Quire gives
     * an empty diff. Files with floating-point numbers are left out, because Python spells those from a double (e.g.
     * {@code 1e-07}) and an exact decimal has no single spelling to reproduce.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusV4WithoutFloatingPointNumbers")
    void write_reproducesTheBytesNbformatWrote(Path file) {
        byte[] original = Corpus.bytes(file);

        byte[] written = Notebook.read(original).toBytes();

        assertSameLines(new String(original, StandardCharsets.UTF_8), new String(written, StandardCharsets.UTF_8));
    }

    @Test
    void largeGeneratedNotebook_isSeveralMegabytes() {
        assertThat(largeNotebook().length).isBetween(5_000_000, 12_000_000);
    }

    @Test
    void largeGeneratedNotebook_readThenWriteKeepsTheJson() {
        byte[] original = largeNotebook();

        byte[] written = Notebook.read(original).toBytes();

        JsonTrees.assertSameJson(JsonTrees.parse(original), JsonTrees.parse(written));
    }

    @Test
    void largeGeneratedNotebook_writeIsIdempotent() {
        byte[] first = Notebook.read(largeNotebook()).toBytes();

        byte[] second = Notebook.read(first).toBytes();

        assertThat(second).isEqualTo(first);
    }

    // ---------------------------------------------------------------------------------------------- nbformat 3

    @ParameterizedTest(name = "{0}")
    @MethodSource("v3Notebooks")
    void readV3_upgradesAsNbformatDoes(Path file) {
        PythonOracle.requireNbformat();

        assertUpgradedLikeNbformat(file);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v3Notebooks")
    void readV3_givesEveryCellADistinctValidId(Path file) {
        Notebook notebook = Notebook.read(file);

        List<String> ids = notebook.cells().stream().map(cell -> cell.id().orElseThrow()).toList();

        assertThat(notebook.nbformatMinor()).isEqualTo(5);
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("^[a-zA-Z0-9-_]{1,64}$"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v3Notebooks")
    void readV3_writesANotebookThatRoundTripsStably(Path file) {
        byte[] first = Notebook.read(file).toBytes();

        byte[] second = Notebook.read(first).toBytes();

        assertSameLines(new String(first, StandardCharsets.UTF_8), new String(second, StandardCharsets.UTF_8));
    }

    /** IPython 2 and 3 wrote {@code json} outputs split into lines, as they did every multi-line output field. */
    @Test
    void readV3_parsesJsonOutputStoredAsListOfLinesAsNbformatDoes(@TempDir Path dir) throws IOException {
        PythonOracle.requireNbformat();
        Path file = dir.resolve("split-json.ipynb");
        Files.writeString(file, v3Notebook("""
                {"cell_type": "code", "collapsed": false, "input": "data", "language": "python", "metadata": {},
                 "prompt_number": 1, "outputs": [
                  {"output_type": "display_data", "json": ["{\\"a\\": 1,\\n", " \\"b\\": [true, null]}"],
                   "metadata": {}}]}
                """));

        assertUpgradedLikeNbformat(file);
    }

    /** Python's {@code str.splitlines} also breaks at form feed, U+2028 and similar; the heading is joined there. */
    @Test
    void readV3_joinsHeadingLinesAtEveryPythonLineBoundary(@TempDir Path dir) throws IOException {
        PythonOracle.requireNbformat();
        Path file = dir.resolve("heading.ipynb");
        Files.writeString(file, v3Notebook("""
                {"cell_type": "heading", "level": 2, "metadata": {}, "source": "first\\u2028second\\fthird\\r\\nfourth"}
                """));

        assertUpgradedLikeNbformat(file);
    }

    /** Text equality that reports the first differing line instead of printing whole notebooks. */
    private static void assertSameLines(String expected, String actual) {
        if (expected.equals(actual)) {
            return;
        }
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        int line = 0;
        while (line < e.length && line < a.length && e[line].equals(a[line])) {
            line++;
        }
        assertThat(line < a.length ? a[line] : "<end of text>")
                .as("line %d of %d (expected text has %d lines)", line + 1, a.length, e.length)
                .isEqualTo(line < e.length ? e[line] : "<end of text>");
    }

    private static String v3Notebook(String cells) {
        return """
                {"metadata": {"name": "inline"}, "nbformat": 3, "nbformat_minor": 0,
                 "worksheets": [{"metadata": {}, "cells": [%s]}]}
                """.formatted(cells);
    }

    /**
     * Compares Quire's upgrade with nbformat's: the written JSON, parsed, against {@code nbformat.read(file,
     * as_version=4)} dumped by Python. Cell ids are random on both sides, so they are checked for presence and then
     * removed; multi-line texts are compared joined, because nbformat joins them when it reads a v3 file while Quire
     * keeps the stored split.
     */
    private static void assertUpgradedLikeNbformat(Path file) {
        JsonNode expected = JsonTrees.parse(PythonOracle.run(NBFORMAT_UPGRADE, file.toString()));
        JsonNode actual = JsonTrees.parse(Notebook.read(file).toBytes());

        JsonTrees.assertSameJson(comparable(expected), comparable(actual));
    }

    private static JsonNode comparable(JsonNode notebook) {
        JsonNode copy = notebook.deepCopy();
        for (JsonNode cell : copy.path("cells")) {
            assertThat(cell.path("id").isTextual()).as("cell has an id: %s", cell).isTrue();
            ((ObjectNode) cell).remove("id");
        }
        return JsonTrees.joinMultiline(copy);
    }
}
