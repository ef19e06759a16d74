package io.quire.server.collab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quire.notebook.ErrorOutput;
import io.quire.notebook.Output;
import io.quire.notebook.StreamOutput;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputBatchesTest {
    private static StreamOutput out(String text) {
        return StreamOutput.of("stdout", text);
    }

    private static String text(Output output) {
        return ((StreamOutput) output).text().text();
    }

    @Test
    void coalesce_mergesConsecutiveChunksOfOneStream_only() {
        List<Output> merged = OutputBatches.coalesce(List.of(out("a"), out("b"), StreamOutput.of("stderr", "e"),
                out("c")));

        assertThat(merged).hasSize(3);
        assertThat(text(merged.getFirst())).isEqualTo("ab");
        assertThat(((StreamOutput) merged.get(1)).name()).isEqualTo("stderr");
    }

    @Test
    void step_whenOnlyNewOutputsArrived_appendsThem() {
        ErrorOutput error = ErrorOutput.of("E", "v", List.of());

        OutputBatches.Step step = OutputBatches.step(List.of(out("a")), List.of(out("a"), error));

        assertThat(step).isEqualTo(new OutputBatches.Step.Append(List.of(error)));
    }

    @Test
    void step_whenTheLastStreamGrew_appendsTheNewTextAsOneChunk() {
        OutputBatches.Step step = OutputBatches.step(List.of(out("a\n")), List.of(out("a\n"), out("b\n"),
                out("c\n")));

        assertThat(step).isInstanceOfSatisfying(OutputBatches.Step.Append.class, append ->
                assertThat(append.outputs()).singleElement().satisfies(o -> assertThat(text(o)).isEqualTo("b\nc\n")));
    }

    @Test
    void step_afterAnAppendedChunk_comparesCoalescedOutputs_soNothingIsSentTwice() {
        List<Output> persisted = List.of(out("a\n"), out("b\n"));

        assertThat(OutputBatches.step(persisted, List.of(out("a\n"), out("b\n")))).isEqualTo(
                new OutputBatches.Step.None());
    }

    @Test
    void step_whenOutputsWereClearedOrChanged_replacesTheWholeList() {
        Output display = new io.quire.notebook.DisplayData(io.quire.notebook.MimeBundle.of(
                JsonNodeFactory.instance.objectNode().put("text/plain", "new")),
                JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode());

        assertThat(OutputBatches.step(List.of(out("a"), out("b")), List.of(out("x"))))
                .isInstanceOf(OutputBatches.Step.Replace.class);
        assertThat(OutputBatches.step(List.of(out("a")), List.of(display)))
                .isEqualTo(new OutputBatches.Step.Replace(List.of(display)));
    }
}
