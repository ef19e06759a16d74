package io.quire.desktop.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IOPub to nbformat outputs for runs over the kernel channels, and completion ranges. */
class ChannelOutputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    @Test
    void streams_join_perStream() throws Exception {
        ChannelOutputs outputs = new ChannelOutputs();
        outputs.apply("stream", json("{\"name\": \"stdout\", \"text\": \"a\"}"));
        outputs.apply("stream", json("{\"name\": \"stdout\", \"text\": \"b\\n\"}"));
        outputs.apply("stream", json("{\"name\": \"stderr\", \"text\": \"warn\"}"));

        assertThat(outputs.outputs()).hasSize(2);
        assertThat(outputs.outputs().get(0).path("text").asText()).isEqualTo("ab\n");
        assertThat(outputs.outputs().get(1).path("name").asText()).isEqualTo("stderr");
    }

    @Test
    void clearOutputWait_clearsWhenTheNextOutputArrives() throws Exception {
        ChannelOutputs outputs = new ChannelOutputs();
        outputs.apply("stream", json("{\"name\": \"stdout\", \"text\": \"10%\"}"));
        assertThat(outputs.apply("clear_output", json("{\"wait\": true}"))).isFalse();
        assertThat(outputs.outputs()).hasSize(1);
        outputs.apply("stream", json("{\"name\": \"stdout\", \"text\": \"20%\"}"));
        assertThat(outputs.outputs()).singleElement().satisfies(o -> assertThat(o.path("text").asText())
                .isEqualTo("20%"));
        assertThat(outputs.apply("clear_output", json("{\"wait\": false}"))).isTrue();
        assertThat(outputs.outputs()).isEmpty();
    }

    @Test
    void updateDisplayData_replacesTheDisplay_andTransientIsNotSaved() throws Exception {
        ChannelOutputs outputs = new ChannelOutputs();
        outputs.apply("display_data", json("""
                {"data": {"text/plain": "v1"}, "metadata": {}, "transient": {"display_id": "d"}}"""));
        outputs.apply("execute_result", json("""
                {"data": {"text/plain": "42"}, "metadata": {}, "execution_count": 3}"""));
        assertThat(outputs.apply("update_display_data", json("""
                {"data": {"text/plain": "v2"}, "metadata": {}, "transient": {"display_id": "d"}}"""))).isTrue();
        assertThat(outputs.apply("update_display_data", json("""
                {"data": {"text/plain": "x"}, "metadata": {}, "transient": {"display_id": "other"}}"""))).isFalse();

        List<ObjectNode> saved = outputs.outputs();
        assertThat(saved.get(0).path("data").path("text/plain").asText()).isEqualTo("v2");
        assertThat(saved.get(0).has("transient")).isFalse();
        assertThat(saved.get(1).path("execution_count").asInt()).isEqualTo(3);
    }

    @Test
    void errors_keepTheirTraceback() throws Exception {
        ChannelOutputs outputs = new ChannelOutputs();
        outputs.apply("error", json("""
                {"ename": "ValueError", "evalue": "bad", "traceback": ["\\u001b[31mValueError\\u001b[0m: bad"]}"""));
        assertThat(outputs.outputs().getFirst().path("output_type").asText()).isEqualTo("error");
        assertThat(outputs.outputs().getFirst().path("traceback")).hasSize(1);
        assertThat(outputs.apply("status", json("{\"execution_state\": \"idle\"}"))).isFalse();
    }

    @Test
    void aCompletion_replacesItsRange() {
        Completion completion = new Completion(List.of("print", "property"), 6, 9);
        assertThat(completion.apply("x = 1\npri", "print")).isEqualTo("x = 1\nprint");
        assertThat(completion.apply("x = 1\npri(2)", "print")).isEqualTo("x = 1\nprint(2)");
        assertThatThrownBy(() -> completion.apply("pri", "print")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Completion(List.of(), 4, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(NotebookViewModel.stripAnsi("\u001b[0;31mSignature:\u001b[0m len(obj)"))
                .isEqualTo("Signature: len(obj)");
    }
}
