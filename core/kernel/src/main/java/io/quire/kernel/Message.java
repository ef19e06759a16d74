package io.quire.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One Jupyter message as sent or received on a channel. The JSON parts are open by spec and kept as JSON
 * trees; treat them as read-only once a message is built.
 *
 * @param identities   routing frames before the {@code <IDS|MSG>} delimiter (the topic on IOPub)
 * @param header       the header
 * @param parentHeader the header of the request this message answers, when there is one
 * @param metadata     the metadata object
 * @param content      the content object
 * @param buffers      binary buffers sent as extra frames after the content
 */
public record Message(List<byte[]> identities, Header header, Optional<Header> parentHeader, ObjectNode metadata,
                      ObjectNode content, List<byte[]> buffers) {

    /** Rejects nulls and copies the lists. */
    public Message {
        identities = List.copyOf(identities);
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(parentHeader, "parentHeader");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(content, "content");
        buffers = List.copyOf(buffers);
    }

    /**
     * Creates an outgoing message without identities, metadata or buffers.
     *
     * @param header  the header
     * @param parent  the parent header, if any
     * @param content the content
     * @return the message
     */
    public static Message create(Header header, Optional<Header> parent, ObjectNode content) {
        return new Message(List.of(), header, parent, Json.object(), content, List.of());
    }

    /** @return the message type from the header */
    public String msgType() {
        return header.msgType();
    }

    /** @return the msg_id of the parent header, when there is a parent */
    public Optional<String> parentMsgId() {
        return parentHeader.map(Header::msgId).filter(id -> !id.isEmpty());
    }
}
