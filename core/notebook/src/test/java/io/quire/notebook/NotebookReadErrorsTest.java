package io.quire.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input is refused with a {@link NotebookFormatException} whose message says what is wrong and where, and never
 * with any other exception type.
 */
class NotebookReadErrorsTest {
    private static final String LINE_AND_COLUMN = ".*at line \\d+, column \\d+.*";

    private static NotebookFormatException readError(String json) {
        return readError(json.getBytes(StandardCharsets.UTF_8));
    }

    private static NotebookFormatException readError(byte[] json) {
        Throwable thrown = catchThrowable(() -> Notebook.read(json));
        assertThat(thrown).as("reading must fail with NotebookFormatException").isInstanceOf(NotebookFormatException.class);
        return (NotebookFormatException) thrown;
    }

    private static String v4(String cells) {
        return """
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [%s]}""".formatted(cells);
    }

    private static String codeCell(String outputs) {
        return """
                {"id": "c1", "cell_type": "code", "metadata": {}, "source": "x", "execution_count": 1,
                 "outputs": %s}""".formatted(outputs);
    }

    // ---------------------------------------------------------------------------------------------- malformed JSON

    @Test
    void read_truncatedJsonNamesLineAndColumn() {
        NotebookFormatException e = readError("{\n \"nbformat\": 4,\n \"cells\": [{\"cell_type\"");

        assertThat(e.getMessage()).contains("not valid JSON").matches("(?s)" + LINE_AND_COLUMN).contains("line 3");
        assertThat(e.jsonPath()).isEqualTo("$");
    }

    @Test
    void read_trailingGarbageNamesLineAndColumn() {
        NotebookFormatException e = readError(v4("") + "\n}garbage");

        assertThat(e.getMessage()).contains("not valid JSON").matches("(?s)" + LINE_AND_COLUMN).contains("line 2");
    }

    @Test
    void read_secondJsonValueAfterTheNotebookIsRefused() {
        NotebookFormatException e = readError(v4("") + " {}");

        assertThat(e.getMessage()).contains("not valid JSON").matches("(?s)" + LINE_AND_COLUMN);
    }

    @Test
    void read_duplicateKeyIsRefusedNamingTheKeyAndPosition() {
        NotebookFormatException e = readError("{\"nbformat\": 4,\n \"nbformat\": 4, \"nbformat_minor\": 5, \"cells\": []}");

        assertThat(e.getMessage()).contains("nbformat").matches("(?s)" + LINE_AND_COLUMN).contains("line 2");
    }

    @Test
    void read_invalidUtf8IsRefusedAsInvalidJson() {
        byte[] bytes = v4("").getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 3] = (byte) 0xC3;

        assertThat(readError(bytes).getMessage()).contains("not valid JSON");
    }

    /** Leading zero bytes make the parser guess UTF-32; a cut-off document must still be a format error. */
    @Test
    void read_truncatedUtf32LookingInputIsAFormatError() {
        byte[] bytes = {0, 0, 0, '{', 0, 0, 0};

        assertThat(readError(bytes).jsonPath()).isEqualTo("$");
    }

    @Test
    void read_deeplyNestedJsonIsRefused() {
        NotebookFormatException e = readError("{\"nbformat\": 4, \"metadata\": " + "[".repeat(5_000));

        assertThat(e.getMessage()).contains("nesting depth");
    }

    // ---------------------------------------------------------------------------------------------- not a notebook

    @Test
    void read_emptyFileSaysTheFileIsEmpty() {
        assertThat(readError(new byte[0]).getMessage()).isEqualTo("not a notebook: the file is empty");
    }

    @Test
    void read_whitespaceOnlyFileSaysTheFileIsEmpty() {
        assertThat(readError(" \n\t ").getMessage()).isEqualTo("not a notebook: the file is empty");
    }

    @Test
    void read_jsonArraySaysTheTopLevelIsNotAnObject() {
        assertThat(readError("[1, 2]").getMessage())
                .isEqualTo("not a notebook: the top-level JSON value is a list, not an object");
    }

    @Test
    void read_jsonObjectWithoutNbformatSaysSo() {
        assertThat(readError("{\"name\": \"package.json\", \"version\": \"1.0\"}").getMessage())
                .isEqualTo("not a notebook: there is no 'nbformat' field");
    }

    @Test
    void read_v4WithoutCellsSaysSo() {
        assertThat(readError("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}}").getMessage())
                .contains("no 'cells' list");
    }

    @Test
    void read_v4WithoutMinorVersionNamesTheField() {
        NotebookFormatException e = readError("{\"nbformat\": 4, \"metadata\": {}, \"cells\": []}");

        assertThat(e.jsonPath()).isEqualTo("$.nbformat_minor");
        assertThat(e.getMessage()).contains("missing");
    }

    // ---------------------------------------------------------------------------------------------- versions

    @Test
    void read_refusesNbformat2WithClearMessage() {
        NotebookFormatException e = readError("{\"nbformat\": 2, \"nbformat_minor\": 0, \"worksheets\": []}");

        assertThat(e.jsonPath()).isEqualTo("$.nbformat");
        assertThat(e.getMessage()).contains("nbformat 2 notebooks are not supported", "Jupyter");
    }

    @Test
    void read_refusesNbformat1WithClearMessage() {
        NotebookFormatException e = readError("{\"nbformat\": 1, \"cells\": []}");

        assertThat(e.getMessage()).contains("nbformat 1 notebooks are not supported");
    }

    @Test
    void read_refusesNbformat5AsUnknownVersion() {
        NotebookFormatException e = readError("{\"nbformat\": 5, \"nbformat_minor\": 0, \"metadata\": {}, \"cells\": []}");

        assertThat(e.jsonPath()).isEqualTo("$.nbformat");
        assertThat(e.getMessage()).contains("nbformat 5", "not a notebook format Quire knows");
    }

    @Test
    void read_refusesNonIntegerNbformat() {
        NotebookFormatException e = readError("{\"nbformat\": \"4\", \"nbformat_minor\": 5, \"cells\": []}");

        assertThat(e.getMessage()).startsWith("$.nbformat: must be an integer");
    }

    /** 2^32 + 4 must not be taken for 4 by truncating it to an int. */
    @Test
    void read_refusesNbformatBeyondIntRangeInsteadOfTruncatingIt() {
        NotebookFormatException e = readError("{\"nbformat\": 4294967300, \"nbformat_minor\": 5, \"metadata\": {},"
                + " \"cells\": []}");

        assertThat(e.jsonPath()).isEqualTo("$.nbformat");
    }

    @Test
    void read_refusesNbformatMinorBeyondIntRangeInsteadOfTruncatingIt() {
        NotebookFormatException e = readError("{\"nbformat\": 4, \"nbformat_minor\": 4294967301, \"metadata\": {},"
                + " \"cells\": []}");

        assertThat(e.jsonPath()).isEqualTo("$.nbformat_minor");
    }

    @Test
    void read_refusesExecutionCountBeyondIntRangeInsteadOfChangingIt() {
        NotebookFormatException e = readError(v4("""
                {"id": "c", "cell_type": "code", "metadata": {}, "source": "", "outputs": [],
                 "execution_count": 3000000000}"""));

        assertThat(e.jsonPath()).isEqualTo("$.cells[0].execution_count");
    }

    // ---------------------------------------------------------------------------------------------- type errors

    @Test
    void read_sourceThatIsANumberNamesItsPath() {
        NotebookFormatException e = readError(v4("""
                {"id": "m", "cell_type": "markdown", "metadata": {}, "source": 42}"""));

        assertThat(e.jsonPath()).isEqualTo("$.cells[0].source");
        assertThat(e.getMessage()).contains("must be a string or a list of strings, got a number");
    }

    @Test
    void read_sourceListWithANonStringNamesTheElement() {
        NotebookFormatException e = readError(v4("""
                {"id": "m", "cell_type": "markdown", "metadata": {}, "source": ["a\\n", null]}"""));

        assertThat(e.jsonPath()).isEqualTo("$.cells[0].source[1]");
    }

    @Test
    void read_cellsThatAreAnObjectNameThePath() {
        NotebookFormatException e = readError("{\"nbformat\": 4, \"nbformat_minor\": 5, \"cells\": {\"0\": {}}}");

        assertThat(e.jsonPath()).isEqualTo("$.cells");
        assertThat(e.getMessage()).isEqualTo("$.cells: must be a list, got an object");
    }

    @Test
    void read_cellThatIsNotAnObjectNamesItsIndex() {
        NotebookFormatException e = readError(v4("{\"id\": \"a\", \"cell_type\": \"raw\", \"source\": \"\"}, \"cell\""));

        assertThat(e.jsonPath()).isEqualTo("$.cells[1]");
    }

    @Test
    void read_cellWithoutTypeNamesTheCell() {
        NotebookFormatException e = readError(v4("{\"id\": \"a\", \"source\": \"\"}"));

        assertThat(e.jsonPath()).isEqualTo("$.cells[0]");
        assertThat(e.getMessage()).contains("'cell_type'");
    }

    @Test
    void read_outputsThatAreNotAListNameThePath() {
        NotebookFormatException e = readError(v4(codeCell("{\"output_type\": \"stream\"}")));

        assertThat(e.jsonPath()).isEqualTo("$.cells[0].outputs");
        assertThat(e.getMessage()).contains("must be a list");
    }

    @Test
    void read_tracebackWithANonStringNamesTheLine() {
        NotebookFormatException e = readError(v4(codeCell("""
                [{"output_type": "error", "ename": "E", "evalue": "v", "traceback": ["line 1", 2]}]""")));

        assertThat(e.jsonPath()).isEqualTo("$.cells[0].outputs[0].traceback[1]");
        assertThat(e.getMessage()).contains("must be a string, got a number");
    }

    @Test
    void read_streamWithNumericNameNamesTheField() {
        NotebookFormatException e = readError(v4(codeCell("""
                [{"output_type": "stream", "name": 1, "text": "x"}]""")));

        assertThat(e.jsonPath()).isEqualTo("$.cells[0].outputs[0].name");
    }

    @Test
    void read_displayDataWhoseDataIsNotAnObjectNamesThePath() {
        NotebookFormatException e = readError(v4(codeCell("""
                [{"output_type": "display_data", "data": "text", "metadata": {}}]""")));

        assertThat(e.jsonPath()).isEqualTo("$.cells[0].outputs[0].data");
    }

    @Test
    void read_metadataThatIsNotAnObjectNamesThePath() {
        NotebookFormatException e = readError("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": [], \"cells\": []}");

        assertThat(e.jsonPath()).isEqualTo("$.metadata");
    }

    @Test
    void read_executionCountThatIsAStringNamesThePath() {
        NotebookFormatException e = readError(v4("""
                {"id": "c", "cell_type": "code", "metadata": {}, "source": "", "outputs": [], "execution_count": "1"}"""));

        assertThat(e.jsonPath()).isEqualTo("$.cells[0].execution_count");
    }

    @Test
    void read_cellIdThatIsNotAStringNamesThePath() {
        NotebookFormatException e = readError(v4("{\"id\": 7, \"cell_type\": \"raw\", \"metadata\": {}, \"source\": \"\"}"));

        assertThat(e.jsonPath()).isEqualTo("$.cells[0].id");
    }

    @Test
    void read_v3WorksheetsThatAreNotAListNameThePath() {
        NotebookFormatException e = readError("{\"nbformat\": 3, \"nbformat_minor\": 0, \"metadata\": {},"
                + " \"worksheets\": {}}");

        assertThat(e.jsonPath()).isEqualTo("$.worksheets");
    }

    @Test
    void read_v3InvalidJsonOutputNamesThePath() {
        NotebookFormatException e = readError("""
                {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
                 {"cell_type": "code", "input": "", "outputs": [{"output_type": "display_data", "json": "[1"}]}]}]}""");

        assertThat(e.jsonPath()).isEqualTo("$.worksheets[0].cells[0].outputs[0].json");
    }

    /** The v3 schema requires a level of at least 1; a negative level must be a format error, not a crash. */
    @Test
    void read_v3HeadingWithNegativeLevelIsAFormatError() {
        NotebookFormatException e = readError("""
                {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
                 {"cell_type": "heading", "level": -1, "metadata": {}, "source": "Title"}]}]}""");

        assertThat(e.jsonPath()).startsWith("$.worksheets[0].cells[0]");
    }

    @Test
    void read_fromStreamReportsFormatErrorsLikeBytes() {
        assertThatThrownBy(() -> Notebook.read(new java.io.ByteArrayInputStream("[]".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(NotebookFormatException.class)
                .hasMessageContaining("not an object");
    }

    // ---------------------------------------------------------------------------------------------- fuzzing

    static Stream<Named<Path>> fuzzSeeds() {
        return Corpus.named(List.of(Corpus.file("v4.0-streams-and-errors.ipynb"),
                Corpus.file("v4.5-extensions.ipynb"), Corpus.file("v3-handwritten.ipynb")));
    }

    /**
     * Property: whatever the bytes, {@code read} either returns a notebook (which then writes and reads back to the
     * same bytes) or throws {@link NotebookFormatException}; never NPE, IllegalArgumentException, UncheckedIOException
     * or anything else. Mutations are seeded, so a failure names a reproducible case.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fuzzSeeds")
    void read_mutatedNotebookEitherReadsOrThrowsNotebookFormatException(Path seedFile) {
        byte[] original = Corpus.bytes(seedFile);
        Random random = new Random(seedFile.getFileName().toString().hashCode());
        List<String> failures = new ArrayList<>();
        for (int round = 0; round < 400; round++) {
            byte[] mutated = mutate(original, random, 1 + random.nextInt(3));
            try {
                Notebook notebook = Notebook.read(mutated);
                byte[] written = notebook.toBytes();
                if (!Arrays.equals(Notebook.read(written).toBytes(), written)) {
                    failures.add("round " + round + ": written form is not stable");
                }
            } catch (NotebookFormatException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (RuntimeException | StackOverflowError e) {
                failures.add("round " + round + ": " + e + " for input " + preview(mutated));
            }
        }
        assertThat(failures).isEmpty();
    }

    private static final byte[][] TOKENS = {
            "{".getBytes(StandardCharsets.UTF_8), "}".getBytes(StandardCharsets.UTF_8),
            "[".getBytes(StandardCharsets.UTF_8), "]".getBytes(StandardCharsets.UTF_8),
            "\"".getBytes(StandardCharsets.UTF_8), ",".getBytes(StandardCharsets.UTF_8),
            ":".getBytes(StandardCharsets.UTF_8), "null".getBytes(StandardCharsets.UTF_8),
            "-1".getBytes(StandardCharsets.UTF_8), "1e999".getBytes(StandardCharsets.UTF_8),
            "\\u0000".getBytes(StandardCharsets.UTF_8), "\"x\"".getBytes(StandardCharsets.UTF_8),
            "😀".getBytes(StandardCharsets.UTF_8), {(byte) 0xFF}, {0},
    };

    private static byte[] mutate(byte[] input, Random random, int mutations) {
        byte[] bytes = input.clone();
        for (int i = 0; i < mutations && bytes.length > 0; i++) {
            int at = random.nextInt(bytes.length);
            bytes = switch (random.nextInt(5)) {
                case 0 -> {
                    bytes[at] = (byte) (bytes[at] ^ (1 << random.nextInt(8)));
                    yield bytes;
                }
                case 1 -> Arrays.copyOf(bytes, at);
                case 2 -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
                    out.write(bytes, 0, at);
                    out.write(bytes, at + 1, bytes.length - at - 1);
                    yield out.toByteArray();
                }
                case 3 -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 8);
                    out.write(bytes, 0, at);
                    out.writeBytes(TOKENS[random.nextInt(TOKENS.length)]);
                    out.write(bytes, at, bytes.length - at);
                    yield out.toByteArray();
                }
                default -> {
                    bytes[at] = (byte) "0123456789-.eE\"{}[],: ".charAt(random.nextInt(22));
                    yield bytes;
                }
            };
        }
        return bytes;
    }

    private static String preview(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
