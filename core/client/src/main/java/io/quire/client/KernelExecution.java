package io.quire.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link KernelChannels#execute(String)} collected for one {@code execute_request}: the reply and the outputs,
 * shaped as nbformat 4 outputs ({@code stream}, {@code display_data}, {@code execute_result}, {@code error}) with
 * {@code clear_output} applied.
 *
 * @param msgId          the request's {@code msg_id}
 * @param status         the reply's status: {@code ok}, {@code error} or {@code aborted}
 * @param executionCount the reply's execution count
 * @param outputs        the outputs, in order
 * @param reply          the {@code execute_reply} content
 */
public record KernelExecution(String msgId, String status, Optional<Integer> executionCount, List<ObjectNode> outputs,
        ObjectNode reply) {

    /** Validates and copies the fields. */
    public KernelExecution {
        Objects.requireNonNull(msgId, "msgId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(executionCount, "executionCount");
        outputs = List.copyOf(outputs);
        Objects.requireNonNull(reply, "reply");
    }

    /**
     * Whether the code ran without error.
     *
     * @return true for status {@code ok}
     */
    public boolean isOk() {
        return status.equals("ok");
    }

    /**
     * The {@code text/plain} of the execution's result ({@code execute_result}), such as {@code 2} for {@code 1+1}.
     *
     * @return the text, or empty when there was no result
     */
    public Optional<String> resultText() {
        for (ObjectNode output : outputs) {
            if ("execute_result".equals(output.path("output_type").asText())) {
                StringBuilder text = new StringBuilder();
                Wire.appendText(text, output.path("data").path("text/plain"));
                return Optional.of(text.toString());
            }
        }
        return Optional.empty();
    }

    /**
     * The text written to one stream, joined.
     *
     * @param name {@code stdout} or {@code stderr}
     * @return the text, empty if there is none
     */
    public String stream(String name) {
        StringBuilder text = new StringBuilder();
        for (ObjectNode output : outputs) {
            if ("stream".equals(output.path("output_type").asText()) && name.equals(output.path("name").asText())) {
                Wire.appendText(text, output.path("text"));
            }
        }
        return text.toString();
    }
}
