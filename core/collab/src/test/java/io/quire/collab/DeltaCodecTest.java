package io.quire.collab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quire.notebook.CodeCell;
import io.quire.notebook.Output;
import io.quire.notebook.StreamOutput;
import io.quire.notebook.MultilineText;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class DeltaCodecTest {
    private static final String HEAD = "\"delta_id\":\"8d7c7c38-3c1b-4b8f-9a53-2d1b2f1c0a01\","
            + "\"file_id\":\"00000000-0000-4000-8000-00000000f11e\",\"author\":\"ann\",\"base_seq\":3";

    static Stream<Delta> everyType() {
        DeltaHeader h = Fixtures.header("ann", 3);
        Output stream = new StreamOutput("stdout", MultilineText.of("hi\n"), JsonNodeFactory.instance.objectNode());
        return Stream.of(
                new Delta.InsertCell(h, 1, CodeCell.of(Optional.of("new-1"), "y = 2\n")),
                new Delta.DeleteCell(h, "a"),
                new Delta.MoveCell(h, "a", 2),
                new Delta.EditSource(h, "a", TextOperation.builder().retain(2).insert("ü😀").delete(1).build()),
                new Delta.SetCellType(h, "b", "raw"),
                new Delta.SetCellMetadata(h, "a", List.of("jupyter", "source_hidden"),
                        Optional.of(JsonNodeFactory.instance.booleanNode(true))),
                new Delta.SetCellMetadata(h, "a", List.of("tags"), Optional.empty()),
                new Delta.SetNotebookMetadata(h, List.of("title"), Optional.of(JsonNodeFactory.instance.textNode("T"))),
                new Delta.AppendOutputs(h, "a", List.of(stream)),
                new Delta.ReplaceOutputs(h, "a", List.of(stream), Optional.of(7)),
                new Delta.ReplaceOutputs(h, "a", List.of(), Optional.empty()),
                new Delta.ClearOutputs(h, "a"),
                new Delta.ExecuteRequest(h, new ExecuteTarget.Cells(List.of("a", "c"))),
                new Delta.ExecuteRequest(h, new ExecuteTarget.All()),
                new Delta.ExecuteRequest(h, new ExecuteTarget.Above("c")),
                new Delta.ExecuteRequest(h, new ExecuteTarget.Below("a")));
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void write_thenRead_givesTheSameDelta(Delta delta) {
        String json = DeltaCodec.write(delta);

        Delta read = DeltaCodec.read(json);

        assertThat(DeltaCodec.write(read)).isEqualTo(json);
        assertThat(read.header()).isEqualTo(delta.header());
        assertThat(read.getClass()).isEqualTo(delta.getClass());
        if (delta instanceof Delta.EditSource edit) {
            assertThat(((Delta.EditSource) read).operation()).isEqualTo(edit.operation());
        }
    }

    @Test
    void read_editSource_usesRetainInsertDeleteNumbersAndStrings() {
        Delta delta = DeltaCodec.read("{\"type\":\"edit_source\"," + HEAD + ",\"cell_id\":\"a\",\"ops\":[2,\"hi\",-3,1]}");

        assertThat(delta).isInstanceOfSatisfying(Delta.EditSource.class, edit ->
                assertThat(edit.operation().apply("abcdef")).isEqualTo("abhif"));
    }

    @Test
    void read_refusesAnUnknownType_listingTheKnownOnes() {
        assertThatThrownBy(() -> DeltaCodec.read("{\"type\":\"rename_cell\"," + HEAD + "}"))
                .isInstanceOf(DeltaFormatException.class)
                .hasMessageContaining("$.type").hasMessageContaining("unknown delta type 'rename_cell'")
                .hasMessageContaining("edit_source");
    }

    @Test
    void read_refusesAnUnknownField() {
        assertThatThrownBy(() -> DeltaCodec.read("{\"type\":\"delete_cell\"," + HEAD + ",\"cell_id\":\"a\",\"x\":1}"))
                .isInstanceOf(DeltaFormatException.class).hasMessageContaining("$.x: unknown field");
    }

    @Test
    void read_refusesMissingAndMalformedHeaderFields() {
        assertThatThrownBy(() -> DeltaCodec.read("{\"type\":\"delete_cell\",\"cell_id\":\"a\"}"))
                .isInstanceOf(DeltaFormatException.class).hasMessageContaining("$.delta_id: is missing");
        assertThatThrownBy(() -> DeltaCodec.read("{\"type\":\"delete_cell\"," + HEAD.replace("8d7c7c38-", "zz")
                + ",\"cell_id\":\"a\"}")).isInstanceOf(DeltaFormatException.class).hasMessageContaining("UUID");
        assertThatThrownBy(() -> DeltaCodec.read("{\"type\":\"delete_cell\"," + HEAD.replace("\"base_seq\":3", "\"base_seq\":-1")
                + ",\"cell_id\":\"a\"}")).isInstanceOf(DeltaFormatException.class)
                .hasMessageContaining("$.base_seq");
    }

    @Test
    void read_refusesBadOps() {
        for (String ops : List.of("[0]", "[\"\"]", "[1.5]", "[true]", "{}")) {
            assertThatThrownBy(() -> DeltaCodec.read("{\"type\":\"edit_source\"," + HEAD + ",\"cell_id\":\"a\","
                    + "\"ops\":" + ops + "}")).as(ops).isInstanceOf(DeltaFormatException.class)
                    .hasMessageContaining("$.ops");
        }
    }

    @Test
    void read_refusesBadCellsOutputsAndIds() {
        assertThatThrownBy(() -> DeltaCodec.read("{\"type\":\"insert_cell\"," + HEAD + ",\"index\":0,"
                + "\"cell\":{\"cell_type\":\"code\",\"source\":\"\",\"metadata\":{}}}"))
                .isInstanceOf(DeltaFormatException.class).hasMessageContaining("$.cell.id");
        assertThatThrownBy(() -> DeltaCodec.read("{\"type\":\"insert_cell\"," + HEAD + ",\"index\":0,"
                + "\"cell\":{\"id\":\"n\",\"cell_type\":\"code\",\"metadata\":{}}}"))
                .isInstanceOf(DeltaFormatException.class).hasMessageContaining("$.cell");
        assertThatThrownBy(() -> DeltaCodec.read("{\"type\":\"append_outputs\"," + HEAD + ",\"cell_id\":\"a\","
                + "\"outputs\":[{\"output_type\":\"stream\"}]}"))
                .isInstanceOf(DeltaFormatException.class).hasMessageContaining("outputs[0]");
        assertThatThrownBy(() -> DeltaCodec.read("{\"type\":\"delete_cell\"," + HEAD + ",\"cell_id\":\"a b\"}"))
                .isInstanceOf(DeltaFormatException.class).hasMessageContaining("$.cell_id");
        assertThatThrownBy(() -> DeltaCodec.read("{\"type\":\"set_cell_type\"," + HEAD + ",\"cell_id\":\"a\","
                + "\"cell_type\":\"heading\"}")).isInstanceOf(DeltaFormatException.class)
                .hasMessageContaining("code, markdown, raw");
        assertThatThrownBy(() -> DeltaCodec.read("{\"type\":\"execute\"," + HEAD + ",\"target\":\"all\","
                + "\"cell_id\":\"a\"}")).isInstanceOf(DeltaFormatException.class)
                .hasMessageContaining("$.cell_id");
    }

    @Test
    void read_refusesDuplicateKeysAndNonObjects() {
        assertThatThrownBy(() -> DeltaCodec.read("{\"type\":\"delete_cell\",\"type\":\"delete_cell\"}"))
                .isInstanceOf(DeltaFormatException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> DeltaCodec.read("[1]"))
                .isInstanceOf(DeltaFormatException.class).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> DeltaCodec.read(""))
                .isInstanceOf(DeltaFormatException.class);
    }

    @Test
    void setMetadata_withoutValue_meansRemove_andWithNullValue_setsNull() {
        Delta removed = DeltaCodec.read("{\"type\":\"set_notebook_metadata\"," + HEAD + ",\"path\":[\"x\"]}");
        Delta nulled = DeltaCodec.read("{\"type\":\"set_notebook_metadata\"," + HEAD
                + ",\"path\":[\"x\"],\"value\":null}");

        assertThat(((Delta.SetNotebookMetadata) removed).value()).isEmpty();
        assertThat(((Delta.SetNotebookMetadata) nulled).value()).hasValueSatisfying(v ->
                assertThat(v.isNull()).isTrue());
    }
}
