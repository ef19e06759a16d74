package io.quire.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The header of a Jupyter message.
 *
 * @param msgId    unique id of the message
 * @param session  id of the sending session
 * @param username user name of the sender
 * @param date     ISO 8601 timestamp as sent (kept as text so a message round-trips unchanged)
 * @param msgType  the message type, e.g. {@code execute_request}
 * @param version  the protocol version, e.g. {@code 5.3}
 */
public record Header(String msgId, String session, String username, String date, String msgType, String version) {
    /** The protocol version this client speaks. */
    public static final String PROTOCOL_VERSION = "5.3";

    /** Rejects null components. */
    public Header {
        Objects.requireNonNull(msgId, "msgId");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(msgType, "msgType");
        Objects.requireNonNull(version, "version");
    }

    /**
     * Creates a header for a new message with a random id.
     *
     * @param msgType  the message type
     * @param session  the session id
     * @param username the user name
     * @param clock    the clock for the date
     * @return the header
     */
    public static Header create(String msgType, String session, String username, Clock clock) {
        return new Header(UUID.randomUUID().toString(), session, username, Instant.now(clock).toString(), msgType,
                PROTOCOL_VERSION);
    }

    /**
     * Reads a header leniently: missing fields become empty strings.
     *
     * @param json the header object
     * @return the header
     */
    public static Header fromJson(JsonNode json) {
        return new Header(Json.text(json, "msg_id"), Json.text(json, "session"), Json.text(json, "username"),
                Json.text(json, "date"), Json.text(json, "msg_type"), Json.text(json, "version"));
    }

    /** @return the header as the JSON object sent on the wire */
    public ObjectNode toJson() {
        return Json.object()
                .put("msg_id", msgId)
                .put("session", session)
                .put("username", username)
                .put("date", date)
                .put("msg_type", msgType)
                .put("version", version);
    }

    /** @return the date as an instant, when it parses as ISO 8601 */
    public Optional<Instant> timestamp() {
        try {
            return Optional.of(Instant.parse(date));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
