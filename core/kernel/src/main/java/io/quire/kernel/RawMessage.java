package io.quire.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Jupyter message as open JSON, for relaying between kernel and remote clients without loss (the Jupyter
 * Server kernel WebSocket passes messages through unchanged apart from the signature). Unlike {@link Message},
 * the header keeps every field the sender put in it (e.g. {@code subshell_id}). Treat the JSON parts as
 * read-only once the message is built: they may be shared with other listeners.
 *
 * @param header       the header object; must hold a non-empty {@code msg_id} and {@code msg_type} to be sent
 * @param parentHeader the parent header object, empty ({@code {}}) when there is no parent
 * @param metadata     the metadata object
 * @param content      the content object
 * @param buffers      binary buffers, sent as extra frames after the content
 */
public record RawMessage(ObjectNode header, ObjectNode parentHeader, ObjectNode metadata, ObjectNode content,
                         List<byte[]> buffers) {

    /** Rejects nulls and copies the buffer list. */
    public RawMessage {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(parentHeader, "parentHeader");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(content, "content");
        buffers = List.copyOf(buffers);
    }

    /** @return the {@code msg_type} of the header, empty string when absent */
    public String msgType() {
        return Json.text(header, "msg_type");
    }

    /** @return the {@code msg_id} of the header, empty string when absent */
    public String msgId() {
        return Json.text(header, "msg_id");
    }

    /** @return the {@code session} of the header, empty string when absent */
    public String session() {
        return Json.text(header, "session");
    }

    /** @return the {@code msg_id} of the parent header, when there is a non-empty one */
    public Optional<String> parentMsgId() {
        return nonEmpty(parentHeader.path("msg_id"));
    }

    /** @return the {@code session} of the parent header (the session of the requester), when present */
    public Optional<String> parentSession() {
        return nonEmpty(parentHeader.path("session"));
    }

    /** @return this message as a typed {@link Message} (unknown header fields are dropped there) */
    public Message toMessage() {
        Optional<Header> parent = parentHeader.isEmpty() ? Optional.empty() : Optional.of(Header.fromJson(parentHeader));
        return new Message(List.of(), Header.fromJson(header), parent, metadata, content, buffers);
    }

    /**
     * The raw form of a typed message (identities are not part of a raw message).
     *
     * @param message the typed message
     * @return the raw message
     */
    public static RawMessage of(Message message) {
        return new RawMessage(message.header().toJson(),
                message.parentHeader().map(Header::toJson).orElseGet(Json::object), message.metadata(),
                message.content(), message.buffers());
    }

    private static Optional<String> nonEmpty(JsonNode value) {
        return value.isTextual() && !value.asText().isEmpty() ? Optional.of(value.asText()) : Optional.empty();
    }
}
