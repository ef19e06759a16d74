package io.quire.collab.rtu;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.collab.DeltaCodec;
import io.quire.collab.DeltaFormatException;
import io.quire.collab.SequencedDelta;
import io.quire.notebook.Notebook;
import io.quire.notebook.NotebookFormatException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Reads and writes {@link RtuEvent}s as JSON objects, one per WebSocket text frame.
 *
 * <pre>
 * client → server
 *   subscribe      file_id, from_seq (optional)
 *   unsubscribe    file_id
 *   delta          file_id, delta (a delta as {@link DeltaCodec} writes it)
 *   presence       file_id, cell_id (optional), cursor {anchor, head} (optional)
 *   ping
 *   interrupt      file_id
 *   restart        file_id
 *   shutdown_kernel file_id
 * server → client
 *   subscribed     file_id, log_id, head_seq, user, client_id, role, snapshot (optional nbformat document)
 *   delta          file_id, seq, accepted_at, delta
 *   ack            file_id, delta_id, seq
 *   rejected       file_id, delta_id, code, message
 *   presence       file_id, user, client_id, cell_id (optional), cursor (optional)
 *   presence_left  file_id, user, client_id
 *   resync         file_id, reason
 *   error          code, message, file_id (optional)
 *   pong
 *   kernel_status  file_id, state, reason (optional)
 *   cell_state     file_id, execute_seq, cell_id, state, reason (optional), execution_count (optional)
 *   output         file_id, execute_seq, cell_id, outputs (array of nbformat outputs), replace (boolean)
 *   kernel_control file_id, action, by, result
 * </pre>
 *
 * <p>Reading is strict: text that is not one JSON object, an unknown {@code type} (the message lists the known ones),
 * an unknown or missing field, a duplicate key or a value of the wrong kind is refused with an
 * {@link RtuFormatException} naming it. A {@code type} that belongs to the other direction is unknown too. An
 * optional field may also be JSON {@code null}.
 */
public final class RtuCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Map<String, Set<String>> CLIENT_FIELDS = Map.of(
            "subscribe", Set.of("file_id", "from_seq"),
            "unsubscribe", Set.of("file_id"),
            "delta", Set.of("file_id", "delta"),
            "presence", Set.of("file_id", "cell_id", "cursor"),
            "ping", Set.of(),
            "interrupt", Set.of("file_id"),
            "restart", Set.of("file_id"),
            "shutdown_kernel", Set.of("file_id"));
    private static final Map<String, Set<String>> SERVER_FIELDS = Map.ofEntries(
            Map.entry("subscribed", Set.of("file_id", "log_id", "head_seq", "user", "client_id", "role",
                    "snapshot")),
            Map.entry("delta", Set.of("file_id", "seq", "accepted_at", "delta")),
            Map.entry("ack", Set.of("file_id", "delta_id", "seq")),
            Map.entry("rejected", Set.of("file_id", "delta_id", "code", "message")),
            Map.entry("presence", Set.of("file_id", "user", "client_id", "cell_id", "cursor")),
            Map.entry("presence_left", Set.of("file_id", "user", "client_id")),
            Map.entry("resync", Set.of("file_id", "reason")),
            Map.entry("error", Set.of("code", "message", "file_id")),
            Map.entry("pong", Set.of()),
            Map.entry("kernel_status", Set.of("file_id", "state", "reason")),
            Map.entry("cell_state", Set.of("file_id", "execute_seq", "cell_id", "state", "reason",
                    "execution_count")),
            Map.entry("output", Set.of("file_id", "execute_seq", "cell_id", "outputs", "replace")),
            Map.entry("kernel_control", Set.of("file_id", "action", "by", "result")));

    private RtuCodec() {
    }

    /**
     * Reads an event a client sent.
     *
     * @param json one JSON object
     * @return the event
     * @throws RtuFormatException if it is not a valid client event
     */
    public static RtuEvent.Client readClient(String json) {
        Reader in = new Reader(parse(json), CLIENT_FIELDS, "client");
        try {
            return switch (in.type) {
                case "subscribe" -> new RtuEvent.Subscribe(in.text("file_id"), in.optionalSeq("from_seq"));
                case "unsubscribe" -> new RtuEvent.Unsubscribe(in.text("file_id"));
                case "delta" -> new RtuEvent.SendDelta(in.text("file_id"), in.delta());
                case "presence" -> new RtuEvent.SetPresence(in.text("file_id"), in.optionalText("cell_id"),
                        in.selection());
                case "ping" -> new RtuEvent.Ping();
                case "interrupt" -> new RtuEvent.Interrupt(in.text("file_id"));
                case "restart" -> new RtuEvent.Restart(in.text("file_id"));
                case "shutdown_kernel" -> new RtuEvent.ShutdownKernel(in.text("file_id"));
                default -> throw new IllegalStateException("unreachable: " + in.type);
            };
        } catch (IllegalArgumentException e) {
            throw new RtuFormatException(in.type + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads an event the server sent.
     *
     * @param json one JSON object
     * @return the event
     * @throws RtuFormatException if it is not a valid server event
     */
    public static RtuEvent.Server readServer(String json) {
        return readServer(parse(json));
    }

    /**
     * Reads what one text frame from the server holds: one event, or a batch of events as a JSON array (sent to a
     * client that connected with {@code ?batch=true} when several were waiting for it at once).
     *
     * @param json one JSON object, or an array of them
     * @return the events, in order
     * @throws RtuFormatException if it is neither a valid server event nor an array of them
     */
    public static List<RtuEvent.Server> readServerFrame(String json) {
        if (json == null) {
            throw new RtuFormatException("an event must be a JSON object, got nothing", null);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new RtuFormatException("a frame must be one JSON object or an array of them: "
                    + e.getOriginalMessage(), e);
        }
        if (node instanceof ObjectNode object) {
            return List.of(readServer(object));
        }
        if (!(node instanceof ArrayNode array) || array.isEmpty()) {
            throw new RtuFormatException("a frame must be one JSON object or a non-empty array of them, got "
                    + kind(node), null);
        }
        List<RtuEvent.Server> events = new ArrayList<>(array.size());
        for (JsonNode element : array) {
            if (!(element instanceof ObjectNode object)) {
                throw new RtuFormatException("a batch must hold JSON objects, got " + kind(element), null);
            }
            events.add(readServer(object));
        }
        return events;
    }

    private static RtuEvent.Server readServer(ObjectNode json) {
        Reader in = new Reader(json, SERVER_FIELDS, "server");
        try {
            return switch (in.type) {
                case "subscribed" -> new RtuEvent.Subscribed(in.text("file_id"), in.uuid("log_id"),
                        in.seq("head_seq"), in.text("user"), in.text("client_id"), in.text("role"), in.snapshot());
                case "delta" -> new RtuEvent.DeltaEvent(in.text("file_id"), new SequencedDelta(in.seq("seq"),
                        in.instant("accepted_at"), in.delta()));
                case "ack" -> new RtuEvent.Ack(in.text("file_id"), in.uuid("delta_id"), in.seq("seq"));
                case "rejected" -> new RtuEvent.Rejected(in.text("file_id"), in.uuid("delta_id"), in.text("code"),
                        in.text("message"));
                case "presence" -> new RtuEvent.Presence(in.text("file_id"), in.text("user"), in.text("client_id"),
                        in.optionalText("cell_id"), in.selection());
                case "presence_left" -> new RtuEvent.PresenceLeft(in.text("file_id"), in.text("user"),
                        in.text("client_id"));
                case "resync" -> new RtuEvent.Resync(in.text("file_id"), in.text("reason"));
                case "error" -> new RtuEvent.Error(in.text("code"), in.text("message"), in.optionalText("file_id"));
                case "pong" -> new RtuEvent.Pong();
                case "kernel_status" -> new RtuEvent.KernelStatus(in.text("file_id"), in.text("state"),
                        in.optionalText("reason"));
                case "cell_state" -> new RtuEvent.CellState(in.text("file_id"), in.seq("execute_seq"),
                        in.text("cell_id"), in.text("state"), in.optionalText("reason"),
                        in.optionalSeq("execution_count"));
                case "output" -> new RtuEvent.OutputChunk(in.text("file_id"), in.seq("execute_seq"),
                        in.text("cell_id"), in.objects("outputs"), in.bool("replace"));
                case "kernel_control" -> new RtuEvent.KernelControlled(in.text("file_id"), in.text("action"),
                        in.text("by"), in.text("result"));
                default -> throw new IllegalStateException("unreachable: " + in.type);
            };
        } catch (IllegalArgumentException e) {
            throw new RtuFormatException(in.type + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes an event.
     *
     * @param event the event
     * @return one JSON object as text
     */
    public static String write(RtuEvent event) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("type", typeOf(event));
        switch (event) {
            case RtuEvent.Subscribe e -> {
                json.put("file_id", e.fileId());
                e.fromSeq().ifPresent(seq -> json.put("from_seq", seq));
            }
            case RtuEvent.Unsubscribe e -> json.put("file_id", e.fileId());
            case RtuEvent.SendDelta e -> {
                json.put("file_id", e.fileId());
                json.set("delta", DeltaCodec.toJson(e.delta()));
            }
            case RtuEvent.SetPresence e -> {
                json.put("file_id", e.fileId());
                e.cellId().ifPresent(id -> json.put("cell_id", id));
                e.cursor().ifPresent(cursor -> json.set("cursor", selection(cursor)));
            }
            case RtuEvent.Ping ignored -> {
            }
            case RtuEvent.KernelControl e -> json.put("file_id", e.fileId());
            case RtuEvent.Subscribed e -> {
                json.put("file_id", e.fileId());
                json.put("log_id", e.logId().toString());
                json.put("head_seq", e.headSeq());
                json.put("user", e.user());
                json.put("client_id", e.clientId());
                json.put("role", e.role());
                e.snapshot().ifPresent(notebook -> json.set("snapshot", notebook.toJson()));
            }
            case RtuEvent.DeltaEvent e -> {
                json.put("file_id", e.fileId());
                json.put("seq", e.delta().seq());
                json.put("accepted_at", e.delta().acceptedAt().toString());
                json.set("delta", DeltaCodec.toJson(e.delta().delta()));
            }
            case RtuEvent.Ack e -> {
                json.put("file_id", e.fileId());
                json.put("delta_id", e.deltaId().toString());
                json.put("seq", e.seq());
            }
            case RtuEvent.Rejected e -> {
                json.put("file_id", e.fileId());
                json.put("delta_id", e.deltaId().toString());
                json.put("code", e.code());
                json.put("message", e.message());
            }
            case RtuEvent.Presence e -> {
                json.put("file_id", e.fileId());
                json.put("user", e.user());
                json.put("client_id", e.clientId());
                e.cellId().ifPresent(id -> json.put("cell_id", id));
                e.cursor().ifPresent(cursor -> json.set("cursor", selection(cursor)));
            }
            case RtuEvent.PresenceLeft e -> {
                json.put("file_id", e.fileId());
                json.put("user", e.user());
                json.put("client_id", e.clientId());
            }
            case RtuEvent.Resync e -> {
                json.put("file_id", e.fileId());
                json.put("reason", e.reason());
            }
            case RtuEvent.Error e -> {
                json.put("code", e.code());
                json.put("message", e.message());
                e.fileId().ifPresent(id -> json.put("file_id", id));
            }
            case RtuEvent.Pong ignored -> {
            }
            case RtuEvent.KernelStatus e -> {
                json.put("file_id", e.fileId());
                json.put("state", e.state());
                e.reason().ifPresent(reason -> json.put("reason", reason));
            }
            case RtuEvent.CellState e -> {
                json.put("file_id", e.fileId());
                json.put("execute_seq", e.executeSeq());
                json.put("cell_id", e.cellId());
                json.put("state", e.state());
                e.reason().ifPresent(reason -> json.put("reason", reason));
                e.executionCount().ifPresent(count -> json.put("execution_count", count));
            }
            case RtuEvent.OutputChunk e -> {
                json.put("file_id", e.fileId());
                json.put("execute_seq", e.executeSeq());
                json.put("cell_id", e.cellId());
                e.outputs().forEach(json.putArray("outputs")::add);
                json.put("replace", e.replace());
            }
            case RtuEvent.KernelControlled e -> {
                json.put("file_id", e.fileId());
                json.put("action", e.action());
                json.put("by", e.by());
                json.put("result", e.result());
            }
        }
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /**
     * The wire name of an event's type.
     *
     * @param event the event
     * @return such as {@code subscribe} or {@code presence_left}
     */
    public static String typeOf(RtuEvent event) {
        return switch (event) {
            case RtuEvent.Subscribe ignored -> "subscribe";
            case RtuEvent.Unsubscribe ignored -> "unsubscribe";
            case RtuEvent.SendDelta ignored -> "delta";
            case RtuEvent.SetPresence ignored -> "presence";
            case RtuEvent.Ping ignored -> "ping";
            case RtuEvent.Interrupt ignored -> "interrupt";
            case RtuEvent.Restart ignored -> "restart";
            case RtuEvent.ShutdownKernel ignored -> "shutdown_kernel";
            case RtuEvent.Subscribed ignored -> "subscribed";
            case RtuEvent.DeltaEvent ignored -> "delta";
            case RtuEvent.Ack ignored -> "ack";
            case RtuEvent.Rejected ignored -> "rejected";
            case RtuEvent.Presence ignored -> "presence";
            case RtuEvent.PresenceLeft ignored -> "presence_left";
            case RtuEvent.Resync ignored -> "resync";
            case RtuEvent.Error ignored -> "error";
            case RtuEvent.Pong ignored -> "pong";
            case RtuEvent.KernelStatus ignored -> "kernel_status";
            case RtuEvent.CellState ignored -> "cell_state";
            case RtuEvent.OutputChunk ignored -> "output";
            case RtuEvent.KernelControlled ignored -> "kernel_control";
        };
    }

    private static ObjectNode selection(RtuEvent.Selection cursor) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("anchor", cursor.anchor());
        json.put("head", cursor.head());
        return json;
    }

    private static ObjectNode parse(String json) {
        if (json == null) {
            throw new RtuFormatException("an event must be a JSON object, got nothing", null);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new RtuFormatException("an event must be one JSON object: " + e.getOriginalMessage(), e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new RtuFormatException("an event must be a JSON object, got " + kind(node), null);
        }
        return object;
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Reads the fields of one event, checking their names first. */
    private static final class Reader {
        final ObjectNode json;
        final String type;

        Reader(ObjectNode json, Map<String, Set<String>> fields, String direction) {
            this.json = json;
            JsonNode typeNode = json.get("type");
            if (typeNode == null || !typeNode.isTextual()) {
                throw new RtuFormatException("an event needs a string field 'type'", null);
            }
            this.type = typeNode.textValue();
            Set<String> allowed = fields.get(type);
            if (allowed == null) {
                throw new RtuFormatException("unknown " + direction + " event type '" + type + "'; known: "
                        + String.join(", ", new TreeSet<>(fields.keySet())), null);
            }
            List<String> unknown = new ArrayList<>();
            for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("type") && !allowed.contains(name)) {
                    unknown.add(name);
                }
            }
            if (!unknown.isEmpty()) {
                throw new RtuFormatException(type + ": unknown field" + (unknown.size() > 1 ? "s " : " ")
                        + String.join(", ", unknown) + "; allowed: " + String.join(", ", new TreeSet<>(allowed)),
                        null);
            }
        }

        private JsonNode present(String field) {
            JsonNode value = json.get(field);
            return value == null || value.isNull() ? null : value;
        }

        private JsonNode required(String field) {
            JsonNode value = present(field);
            if (value == null) {
                throw new RtuFormatException(type + ": missing field '" + field + "'", null);
            }
            return value;
        }

        String text(String field) {
            JsonNode value = required(field);
            if (!value.isTextual()) {
                throw new RtuFormatException(type + "." + field + ": must be a string, got " + kind(value), null);
            }
            return value.textValue();
        }

        Optional<String> optionalText(String field) {
            return present(field) == null ? Optional.empty() : Optional.of(text(field));
        }

        long seq(String field) {
            JsonNode value = required(field);
            if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
                throw new RtuFormatException(type + "." + field + ": must be a whole number not below 0, got "
                        + value, null);
            }
            return value.longValue();
        }

        OptionalLong optionalSeq(String field) {
            return present(field) == null ? OptionalLong.empty() : OptionalLong.of(seq(field));
        }

        UUID uuid(String field) {
            String text = text(field);
            try {
                UUID id = UUID.fromString(text);
                if (!id.toString().equals(text.toLowerCase(java.util.Locale.ROOT))) {
                    throw new IllegalArgumentException("not in canonical form");
                }
                return id;
            } catch (IllegalArgumentException e) {
                throw new RtuFormatException(type + "." + field + ": must be a UUID, got '" + text + "'", e);
            }
        }

        Instant instant(String field) {
            String text = text(field);
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new RtuFormatException(type + "." + field + ": must be an ISO-8601 instant, got '" + text + "'",
                        e);
            }
        }

        ObjectNode object(String field) {
            JsonNode value = required(field);
            if (!(value instanceof ObjectNode object)) {
                throw new RtuFormatException(type + "." + field + ": must be an object, got " + kind(value), null);
            }
            return object;
        }

        boolean bool(String field) {
            JsonNode value = required(field);
            if (!value.isBoolean()) {
                throw new RtuFormatException(type + "." + field + ": must be true or false, got " + kind(value), null);
            }
            return value.booleanValue();
        }

        List<JsonNode> objects(String field) {
            JsonNode value = required(field);
            if (!value.isArray()) {
                throw new RtuFormatException(type + "." + field + ": must be an array, got " + kind(value), null);
            }
            List<JsonNode> objects = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                if (!value.get(i).isObject()) {
                    throw new RtuFormatException(type + "." + field + "[" + i + "]: must be an object, got "
                            + kind(value.get(i)), null);
                }
                objects.add(value.get(i));
            }
            return objects;
        }

        io.quire.collab.Delta delta() {
            try {
                return DeltaCodec.fromJson(object("delta"));
            } catch (DeltaFormatException e) {
                throw new RtuFormatException(type + ".delta: " + e.getMessage(), e);
            }
        }

        Optional<RtuEvent.Selection> selection() {
            JsonNode value = present("cursor");
            if (value == null) {
                return Optional.empty();
            }
            ObjectNode cursor = object("cursor");
            for (Iterator<String> names = cursor.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("anchor") && !name.equals("head")) {
                    throw new RtuFormatException(type + ".cursor: unknown field " + name + "; allowed: anchor, head",
                            null);
                }
            }
            return Optional.of(new RtuEvent.Selection(position(cursor, "anchor"), position(cursor, "head")));
        }

        private int position(ObjectNode cursor, String field) {
            JsonNode value = cursor.get(field);
            if (value == null || !value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
                throw new RtuFormatException(type + ".cursor." + field + ": must be a whole number not below 0, got "
                        + (value == null ? "nothing" : value.toString()), null);
            }
            return value.intValue();
        }

        Optional<Notebook> snapshot() {
            JsonNode value = present("snapshot");
            if (value == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(Notebook.fromJson(object("snapshot")));
            } catch (NotebookFormatException e) {
                throw new RtuFormatException(type + ".snapshot: " + e.getMessage(), e);
            }
        }
    }
}
