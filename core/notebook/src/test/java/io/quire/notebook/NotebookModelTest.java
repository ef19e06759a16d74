package io.quire.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The notebook value types: text splitting, immutability, the with-methods, accessors and the writer's style. */
class NotebookModelTest {

    private static ObjectNode object(String json) {
        return (ObjectNode) JsonTrees.parse(json);
    }

    // ---------------------------------------------------------------------------------------------- MultilineText

    @Test
    void multilineTextOf_splitsAfterEachNewlineKeepingTheLineEndings() {
        assertThat(MultilineText.of("a\nb\r\nc\n").parts()).containsExactly("a\n", "b\r\n", "c\n");
    }

    @Test
    void multilineTextOf_keepsTheLastLineWithoutNewline() {
        assertThat(MultilineText.of("a\nb").parts()).containsExactly("a\n", "b");
    }

    @Test
    void multilineTextOf_addsNoTrailingEmptyPiece() {
        assertThat(MultilineText.of("a\n\n").parts()).containsExactly("a\n", "\n");
    }

    @Test
    void multilineTextOf_emptyStringIsAnEmptyList() {
        MultilineText text = MultilineText.of("");

        assertThat(text.parts()).isEmpty();
        assertThat(text.asList()).isTrue();
        assertThat(text.isEmpty()).isTrue();
    }

    @Test
    void multilineTextOf_doesNotSplitAtCarriageReturnAlone() {
        assertThat(MultilineText.of("\rprogress 10%\rprogress 20%").parts())
                .containsExactly("\rprogress 10%\rprogress 20%");
    }

    @Test
    void multilineText_textJoinsTheStoredParts() {
        MultilineText text = new MultilineText(List.of("ab", "c\nd", ""), true);

        assertThat(text.text()).isEqualTo("abc\nd");
    }

    @Test
    void multilineText_singleStringMustHaveExactlyOnePart() {
        assertThatThrownBy(() -> new MultilineText(List.of("a", "b"), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly one part");
    }

    @Test
    void multilineText_copiesThePartsList() {
        List<String> parts = new ArrayList<>(List.of("a\n"));
        MultilineText text = new MultilineText(parts, true);

        parts.add("b");

        assertThat(text.parts()).containsExactly("a\n");
    }

    // ---------------------------------------------------------------------------------------------- immutability

    @Test
    void metadata_mutatingTheReturnedNodeDoesNotChangeTheNotebook() {
        Notebook notebook = Notebook.empty().withMetadata(object("{\"a\": 1}"));

        notebook.metadata().put("a", 2).put("b", 3);

        assertThat(notebook.metadata()).isEqualTo(object("{\"a\": 1}"));
    }

    @Test
    void constructor_mutatingThePassedMetadataAfterwardsDoesNotChangeTheNotebook() {
        ObjectNode metadata = object("{\"kernelspec\": {\"name\": \"python3\"}}");
        Notebook notebook = new Notebook(4, 5, metadata, List.of(), object("{}"));

        ((ObjectNode) metadata.get("kernelspec")).put("name", "ir");

        assertThat(notebook.kernelName()).contains("python3");
    }

    @Test
    void constructor_mutatingThePassedCellListAfterwardsDoesNotChangeTheNotebook() {
        List<Cell> cells = new ArrayList<>(List.of(MarkdownCell.of(Optional.of("a"), "x")));
        Notebook notebook = Notebook.empty().withCells(cells);

        cells.clear();

        assertThat(notebook.cells()).hasSize(1);
    }

    @Test
    void cellMetadata_mutatingTheReturnedNodeDoesNotChangeTheCell() {
        CodeCell cell = CodeCell.of(Optional.of("c"), "1").withMetadata(object("{\"tags\": [\"a\"]}"));

        cell.metadata().putArray("tags").add("b");

        assertThat(cell.hasTag("b")).isFalse();
    }

    @Test
    void mimeBundleOf_mutatingThePassedNodeAfterwardsDoesNotChangeTheBundle() {
        ObjectNode json = object("{\"text/plain\": \"a\"}");
        MimeBundle bundle = MimeBundle.of(json);

        json.put("text/plain", "b");

        assertThat(bundle.text("text/plain")).contains("a");
    }

    @Test
    void unknownCell_mutatingTheReturnedJsonDoesNotChangeTheCell() {
        UnknownCell cell = new UnknownCell(object("{\"cell_type\": \"x_chart\", \"spec\": {\"n\": 1}}"));

        ((ObjectNode) cell.json().get("spec")).put("n", 2);

        assertThat(cell.json().at("/spec/n").intValue()).isEqualTo(1);
    }

    @Test
    void toJson_mutatingTheReturnedTreeDoesNotChangeTheNotebook() {
        Notebook notebook = Notebook.empty().withCells(List.of(CodeCell.of(Optional.of("c"), "plot()")
                .withOutputs(List.of(DisplayData.of(MimeBundle.empty().withText("text/plain", "figure"))))));
        String before = notebook.toJsonString();

        ObjectNode tree = notebook.toJson();
        ((ObjectNode) tree.at("/cells/0/outputs/0/data")).put("text/html", "<b>changed</b>");
        ((ObjectNode) tree.at("/cells/0/metadata")).put("changed", true);

        assertThat(notebook.toJsonString()).isEqualTo(before);
    }

    @Test
    void fromJson_mutatingThePassedTreeAfterwardsDoesNotChangeTheNotebook() {
        ObjectNode tree = (ObjectNode) JsonTrees.parse("""
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
                 {"id": "a", "cell_type": "raw", "metadata": {}, "source": "x",
                  "attachments": {"f.txt": {"text/plain": "y"}}}]}""");
        Notebook notebook = Notebook.fromJson(tree);
        String before = notebook.toJsonString();

        ((ObjectNode) tree.at("/cells/0/attachments/f.txt")).put("text/plain", "z");

        assertThat(notebook.toJsonString()).isEqualTo(before);
    }

    @Test
    void fromJson_keepsNoPartOfThePassedTreeAndLeavesItUnchanged() {
        String json = """
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {"k": {"n": 1}}, "top": {"t": [1]}, "cells": [
                 {"id": "c", "cell_type": "code", "metadata": {"m": [1]}, "source": ["a\\n", "b"], "execution_count": 1,
                  "more": {"x": 1},
                  "outputs": [
                   {"output_type": "display_data", "metadata": {"o": {}}, "data": {"text/plain": ["p"]}, "e": [1]},
                   {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"a/b+json": {}}},
                   {"output_type": "stream", "name": "stdout", "text": ["s"], "e": {}},
                   {"output_type": "error", "ename": "E", "evalue": "v", "traceback": ["t"], "e": {}},
                   {"output_type": "future", "f": {"g": 1}}]},
                 {"id": "m", "cell_type": "markdown", "metadata": {}, "source": "x", "attachments": {"a": {}}},
                 {"id": "u", "cell_type": "future", "metadata": {}, "z": {"y": 1}}]}""";
        ObjectNode tree = (ObjectNode) JsonTrees.parse(json);
        Notebook notebook = Notebook.fromJson(tree);
        String before = notebook.toJsonString();

        assertThat(tree).isEqualTo(JsonTrees.parse(json));
        tree.findParents("x").forEach(node -> ((ObjectNode) node).put("x", 2));
        tree.findParents("n").forEach(node -> ((ObjectNode) node).put("n", 2));
        tree.findParents("g").forEach(node -> ((ObjectNode) node).put("g", 2));
        tree.findParents("y").forEach(node -> ((ObjectNode) node).put("y", 2));
        tree.findValues("m").forEach(node -> ((ArrayNode) node).add(2));
        tree.findValues("t").forEach(node -> ((ArrayNode) node).add(2));
        tree.findValues("e").forEach(node -> {
            if (node instanceof ObjectNode object) {
                object.put("added", 1);
            } else {
                ((ArrayNode) node).add(2);
            }
        });
        tree.findValues("o").forEach(node -> ((ObjectNode) node).put("added", 1));
        tree.findValues("a/b+json").forEach(node -> ((ObjectNode) node).put("added", 1));
        tree.findValues("text/plain").forEach(node -> ((ArrayNode) node).add("q"));
        tree.findValues("a").forEach(node -> ((ObjectNode) node).put("added", 1));
        tree.findValues("source").forEach(node -> {
            if (node instanceof ArrayNode array) {
                array.add("c");
            }
        });

        assertThat(tree).isNotEqualTo(JsonTrees.parse(json));
        assertThat(notebook.toJsonString()).isEqualTo(before);
    }

    // ---------------------------------------------------------------------------------------------- with-methods

    @Test
    void withCells_replacesTheCellsAndKeepsTheRest() {
        Notebook notebook = Notebook.empty().withMetadata(object("{\"a\": 1}"));

        Notebook changed = notebook.withCells(List.of(RawCell.of(Optional.of("r"), "raw")));

        assertThat(changed.cells()).extracting(Cell::cellType).containsExactly("raw");
        assertThat(changed.metadata()).isEqualTo(notebook.metadata());
        assertThat(notebook.cells()).isEmpty();
    }

    @Test
    void withSource_replacesOnlyTheSource() {
        CodeCell cell = CodeCell.of(Optional.of("c"), "old").withExecutionCount(Optional.of(3));

        CodeCell changed = cell.withSource(MultilineText.of("new\n"));

        assertThat(changed.source().text()).isEqualTo("new\n");
        assertThat(changed.executionCount()).contains(3);
        assertThat(changed.id()).contains("c");
        assertThat(cell.source().text()).isEqualTo("old");
    }

    @Test
    void withId_emptyRemovesTheIdFromTheWrittenCell() {
        Notebook notebook = Notebook.empty().withCells(List.of(MarkdownCell.of(Optional.of("m"), "x")
                .withId(Optional.empty())));

        assertThat(notebook.toJson().at("/cells/0").has("id")).isFalse();
    }

    @Test
    void withOutputsAndExecutionCount_appearInTheWrittenCell() {
        CodeCell cell = CodeCell.of(Optional.of("c"), "print(1)")
                .withOutputs(List.of(StreamOutput.of("stdout", "1\n")))
                .withExecutionCount(Optional.of(7));

        JsonNode json = Notebook.empty().withCells(List.of(cell)).toJson().at("/cells/0");

        assertThat(json.get("execution_count").intValue()).isEqualTo(7);
        assertThat(json.at("/outputs/0/text/0").textValue()).isEqualTo("1\n");
    }

    @Test
    void unknownCellWithSource_keepsItsOtherFields() {
        UnknownCell cell = new UnknownCell(object("{\"cell_type\": \"x_chart\", \"spec\": 1, \"source\": \"a\"}"));

        UnknownCell changed = cell.withSource(MultilineText.single("b"));

        assertThat(changed.source().text()).isEqualTo("b");
        assertThat(changed.json().get("spec").intValue()).isEqualTo(1);
        assertThat(changed.cellType()).isEqualTo("x_chart");
    }

    @Test
    void mimeBundleWithText_storesTheTextSplitIntoLines() {
        MimeBundle bundle = MimeBundle.empty().withText("text/html", "<p>\nhi</p>");

        assertThat(bundle.value("text/html")).map(JsonNode::toString).contains("[\"<p>\\n\",\"hi</p>\"]");
        assertThat(bundle.text("text/html")).contains("<p>\nhi</p>");
        assertThat(MimeBundle.empty().isEmpty()).isTrue();
    }

    // ---------------------------------------------------------------------------------------------- accessors

    @Test
    void kernelName_readsTheKernelspecName() {
        assertThat(Notebook.empty().withMetadata(object("{\"kernelspec\": {\"name\": \"python3\"}}")).kernelName())
                .contains("python3");
    }

    @Test
    void kernelName_isEmptyWithoutKernelspec() {
        assertThat(Notebook.empty().kernelName()).isEmpty();
    }

    @Test
    void language_prefersTheKernelspecLanguage() {
        Notebook notebook = Notebook.empty().withMetadata(object(
                "{\"kernelspec\": {\"language\": \"R\"}, \"language_info\": {\"name\": \"python\"}}"));

        assertThat(notebook.language()).contains("R");
    }

    @Test
    void language_fallsBackToLanguageInfoName() {
        Notebook notebook = Notebook.empty().withMetadata(object("{\"language_info\": {\"name\": \"julia\"}}"));

        assertThat(notebook.language()).contains("julia");
    }

    @Test
    void language_ignoresNonTextValues() {
        Notebook notebook = Notebook.empty().withMetadata(object("{\"kernelspec\": {\"language\": 3}}"));

        assertThat(notebook.language()).isEmpty();
    }

    @Test
    void kernelNameAndLanguage_ofAnExecutedCorpusNotebook() {
        Notebook notebook = Notebook.read(Corpus.file("v4.5-rich-outputs.ipynb"));

        assertThat(notebook.kernelName()).contains("python3");
        assertThat(notebook.language()).contains("python");
    }

    @Test
    void hasTag_findsTagsOfTheCorpus() {
        Notebook notebook = Notebook.read(Corpus.file("v4.5-rich-outputs.ipynb"));

        assertThat(notebook.cell(notebook.indexOf("rich-02").orElseThrow()).hasTag("png")).isTrue();
        assertThat(notebook.cell(notebook.indexOf("rich-02").orElseThrow()).hasTag("svg")).isFalse();
    }

    @Test
    void hasTag_isFalseWhenTagsAreNotAList() {
        CodeCell cell = CodeCell.of(Optional.of("c"), "").withMetadata(object("{\"tags\": \"png\"}"));

        assertThat(cell.hasTag("png")).isFalse();
    }

    @Test
    void indexOf_isEmptyForAnUnknownId() {
        assertThat(Notebook.read(Corpus.file("v4.5-rich-outputs.ipynb")).indexOf("no-such-cell")).isEmpty();
    }

    @Test
    void constructor_refusesAnotherMajorVersion() {
        assertThatThrownBy(() -> new Notebook(3, 0, object("{}"), List.of(), object("{}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nbformat must be 4, got 3");
    }

    // ---------------------------------------------------------------------------------------------- lossless reading

    @Test
    void read_unknownCellTypeSurvivesARoundTrip() {
        Notebook notebook = Notebook.read(Corpus.file("v4.5-extensions.ipynb"));
        Cell chart = notebook.cell(notebook.indexOf("ext-chart").orElseThrow());

        Notebook again = Notebook.read(notebook.toBytes());

        assertThat(chart).isInstanceOf(UnknownCell.class);
        assertThat(chart.cellType()).isEqualTo("x_chart");
        assertThat(again.cell(again.indexOf("ext-chart").orElseThrow())).isEqualTo(chart);
    }

    @Test
    void read_unknownOutputTypeSurvivesARoundTrip() {
        Notebook notebook = Notebook.read(Corpus.file("v4.5-extensions.ipynb"));
        CodeCell cell = (CodeCell) notebook.cell(notebook.indexOf("ext-result").orElseThrow());

        Notebook again = Notebook.read(notebook.toBytes());

        assertThat(cell.outputs()).last().isInstanceOf(UnknownOutput.class)
                .extracting(Output::outputType).isEqualTo("x_snapshot");
        assertThat(again.cell(again.indexOf("ext-result").orElseThrow())).isEqualTo(cell);
    }

    @Test
    void read_unknownFieldsAreKeptInExtra() {
        Notebook notebook = Notebook.read(Corpus.file("v4.5-extensions.ipynb"));
        CodeCell cell = (CodeCell) notebook.cell(notebook.indexOf("ext-code").orElseThrow());

        assertThat(notebook.extra().has("x_custom")).isTrue();
        assertThat(cell.extra().at("/x_custom/runs").intValue()).isEqualTo(3);
        assertThat(cell.outputs().getFirst().extra().at("/x_custom/channel").textValue()).isEqualTo("iopub");
    }

    @Test
    void read_keepsSourceSplitNotAtNewlines() {
        Notebook notebook = Notebook.read(Corpus.file("v4.5-extensions.ipynb"));

        MultilineText source = notebook.cell(notebook.indexOf("ext-raw-split").orElseThrow()).source();

        assertThat(source.parts()).containsExactly("ab", "c\nd", "\n");
        assertThat(source.asList()).isTrue();
    }

    @Test
    void read_keepsSourceStoredAsOneString() {
        Notebook notebook = Notebook.read(Corpus.file("v4.5-rich-outputs.ipynb"));

        MultilineText source = notebook.cell(notebook.indexOf("rich-18").orElseThrow()).source();

        assertThat(source.asList()).isFalse();
        assertThat(source.text()).isEqualTo("x = 1\ny = 2\nx + y\n");
    }

    @Test
    void read_44NotebookStaysWithoutIds() {
        Notebook notebook = Notebook.read(Corpus.file("v4.4-execution-timing.ipynb"));

        JsonNode written = JsonTrees.parse(notebook.toBytes());

        assertThat(notebook.hasCellIds()).isFalse();
        assertThat(notebook.cells()).allSatisfy(cell -> assertThat(cell.id()).isEmpty());
        assertThat(written.get("nbformat_minor").intValue()).isEqualTo(4);
        assertThat(written.get("cells")).allSatisfy(cell -> assertThat(cell.has("id")).isFalse());
    }

    @Test
    void read_45NotebookHasCellIds() {
        Notebook notebook = Notebook.read(Corpus.file("v4.5-rich-outputs.ipynb"));

        assertThat(notebook.hasCellIds()).isTrue();
        assertThat(notebook.indexOf("rich-00")).contains(0);
    }

    @Test
    void read_markdownAttachmentIsKept() {
        Notebook notebook = Notebook.read(Corpus.file("v4.5-rich-outputs.ipynb"));

        MarkdownCell cell = (MarkdownCell) notebook.cell(notebook.indexOf("rich-13").orElseThrow());

        assertThat(cell.attachments()).get().satisfies(a ->
                assertThat(a.at("/chart.png/image~1png").textValue()).startsWith("iVBORw0KGgo"));
    }

    @Test
    void read_v3IsUpgradedTo45WithOriginalVersionRecorded() {
        Notebook notebook = Notebook.read(Corpus.file("v3-multi-worksheet.ipynb"));

        assertThat(notebook.nbformatMinor()).isEqualTo(5);
        assertThat(notebook.metadata().get("orig_nbformat").intValue()).isEqualTo(3);
        assertThat(notebook.metadata().has("name")).isFalse();
        assertThat(notebook.cells()).hasSize(6);
        assertThat(notebook.cell(0).source().text()).isEqualTo("## Worksheet 1");
    }

    // ---------------------------------------------------------------------------------------------- writer style

    @Test
    void write_sortsKeysIndentsByOneSpaceAndEndsWithNewline() {
        Notebook notebook = Notebook.parse("""
                {"nbformat_minor": 5, "nbformat": 4, "metadata": {"z": 1, "a": [1, {"y": true, "b": null}], "e": {}},
                 "cells": [{"source": "x", "metadata": {}, "cell_type": "raw", "id": "r"}]}""");

        assertThat(notebook.toJsonString()).isEqualTo("""
                {
                 "cells": [
                  {
                   "cell_type": "raw",
                   "id": "r",
                   "metadata": {},
                   "source": "x"
                  }
                 ],
                 "metadata": {
                  "a": [
                   1,
                   {
                    "b": null,
                    "y": true
                   }
                  ],
                  "e": {},
                  "z": 1
                 },
                 "nbformat": 4,
                 "nbformat_minor": 5
                }
                """);
    }

    @Test
    void write_emptyListIsWrittenAsBrackets() {
        assertThat(Notebook.empty().toJsonString()).contains("\"cells\": [],");
    }

    @Test
    void write_nonAsciiTextIsWrittenUnescaped() {
        Notebook notebook = Notebook.empty().withCells(List.of(
                MarkdownCell.of(Optional.of("u"), "中文 é שלום e\u0301")));

        assertThat(notebook.toJsonString()).contains("\"中文 é שלום e\u0301\"");
    }

    /** Python's json.dumps(ensure_ascii=False), which nbformat uses, writes characters beyond U+FFFF as they are. */
    @Test
    void write_emojiIsWrittenUnescapedAsUtf8() {
        Notebook notebook = Notebook.empty().withCells(List.of(MarkdownCell.of(Optional.of("e"), "😀 🇫🇷")));

        String written = new String(notebook.toBytes(), StandardCharsets.UTF_8);

        assertThat(written).contains("\"😀 🇫🇷\"").doesNotContain("\\uD83D");
    }

    /** nbformat (Python json) escapes control characters with lowercase hex: ANSI colours become \u001b. */
    @Test
    void write_escapesControlCharactersWithLowercaseHexAsNbformatDoes() {
        Notebook notebook = Notebook.empty().withCells(List.of(CodeCell.of(Optional.of("c"), "1/0")
                .withOutputs(List.of(ErrorOutput.of("ZeroDivisionError", "division by zero",
                        List.of("\u001b[0;31mZeroDivisionError\u001b[0m"))))));

        assertThat(notebook.toJsonString()).contains("\"\\u001b[0;31mZeroDivisionError\\u001b[0m\"");
    }

    @Test
    void write_escapesQuotesBackslashesAndNewlinesLikeJson() {
        Notebook notebook = Notebook.empty().withCells(List.of(RawCell.of(Optional.of("r"), "")
                .withSource(MultilineText.single("a\"b\\c\nd\te"))));

        assertThat(notebook.toJsonString()).contains("\"source\": \"a\\\"b\\\\c\\nd\\te\"");
    }

    /** Python sorts keys by code point; UTF-16 order would put U+1F600 (a surrogate pair) before U+FF01. */
    @Test
    void write_sortsKeysByCodePointAsNbformatDoes() {
        Notebook notebook = Notebook.empty().withMetadata(object("{\"😀\": 2, \"！\": 1, \"a\": 0}"));

        String written = notebook.toJsonString();

        assertThat(written.indexOf("\"a\"")).isLessThan(written.indexOf("\"！\""));
        assertThat(written.indexOf("\"！\"")).isLessThan(written.indexOf("\"😀\""));
    }

    @Test
    void write_toStreamGivesTheSameBytesAsToBytes() {
        Notebook notebook = Notebook.read(Corpus.file("v4.2-title-authors.ipynb"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        notebook.write(out);

        assertThat(out.toByteArray()).isEqualTo(notebook.toBytes());
    }

    @Test
    void write_keepsExactDecimalsOfMetadataNumbers() {
        Notebook notebook = Notebook.parse("""
                {"nbformat": 4, "nbformat_minor": 5, "cells": [],
                 "metadata": {"p": 0.1000000000000000055511151231257827, "big": 123456789012345678901234567890}}""");

        assertThat(notebook.toJsonString())
                .contains("\"p\": 0.1000000000000000055511151231257827")
                .contains("\"big\": 123456789012345678901234567890");
    }
}
