package io.quire.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Jupyter message as it crosses the kernel channels WebSocket (JSON protocol).
 *
 * @param channel      {@code shell}, {@code iopub}, {@code stdin} or {@code control}
 * @param msgType      the header's {@code msg_type}, such as {@code stream} or {@code execute_reply}
 * @param msgId        the header's {@code msg_id}
 * @param parentMsgId  the {@code msg_id} of the request it answers, when it answers one
 * @param header       the header
 * @param parentHeader the parent header (empty object when none)
 * @param metadata     the metadata
 * @param content      the content
 * @param buffers      binary buffers (read-only), for messages sent in binary frames
 */
public record KernelMessage(String channel, String msgType, String msgId, Optional<String> parentMsgId,
        ObjectNode header, ObjectNode parentHeader, ObjectNode metadata, ObjectNode content, List<ByteBuffer> buffers) {

    /** Validates and copies the fields. */
    public KernelMessage {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(msgType, "msgType");
        Objects.requireNonNull(msgId, "msgId");
        Objects.requireNonNull(parentMsgId, "parentMsgId");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(parentHeader, "parentHeader");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(content, "content");
        buffers = buffers.stream().map(ByteBuffer::asReadOnlyBuffer).toList();
    }

    /**
     * Reads a message of the JSON protocol.
     *
     * @param json    the message: {@code {channel, header, parent_header, metadata, content}}
     * @param buffers the binary buffers that came with it
     * @return the message
     * @throws QuireException if it is not a kernel message
     */
    public static KernelMessage create(JsonNode json, List<ByteBuffer> buffers) {
        if (!(json instanceof ObjectNode message) || !(message.get("header") instanceof ObjectNode header)) {
            throw new QuireException("the server sent a kernel message without a header: " + cut(json));
        }
        String what = "kernel message header";
        return new KernelMessage(Wire.optionalText(message, "channel").orElse(""),
                Wire.text(header, "msg_type", what), Wire.text(header, "msg_id", what),
                message.get("parent_header") instanceof ObjectNode parent ? Wire.optionalText(parent, "msg_id")
                        : Optional.empty(),
                header, object(message, "parent_header"), object(message, "metadata"), object(message, "content"),
                buffers);
    }

    private static ObjectNode object(ObjectNode message, String field) {
        return message.get(field) instanceof ObjectNode value ? value : Wire.JSON.createObjectNode();
    }

    private static String cut(JsonNode json) {
        String text = String.valueOf(json);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
