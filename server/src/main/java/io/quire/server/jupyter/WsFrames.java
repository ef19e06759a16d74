package io.quire.server.jupyter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.kernel.Channel;
import io.quire.kernel.RawMessage;
import io.quire.server.http.JsonBodies;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The kernel WebSocket wire formats of Jupyter Server.
 *
 * <ul>
 *   <li><b>JSON</b> (no subprotocol): a text frame holding {@code {header, parent_header, metadata, content, channel,
 *       buffers}}; a message with binary buffers goes in a binary frame: a big-endian u32 count {@code n}, {@code n}
 *       u32 offsets, then the JSON message and the buffers at those offsets.</li>
 *   <li><b>{@code v1.kernel.websocket.jupyter.org}</b>: every frame binary: a little-endian u64 count of offsets,
 *       the u64 offsets, then the channel name, header, parent header, metadata and content (JSON) and the buffers,
 *       each part at its offset.</li>
 * </ul>
 * Decoding failures throw {@link FrameException}, which the endpoint answers by closing with 1007 (invalid data).
 */
final class WsFrames {
    /** The binary kernel protocol's name, as negotiated in {@code Sec-WebSocket-Protocol}. */
    static final String V1 = "v1.kernel.websocket.jupyter.org";
    private static final int MAX_PARTS = 10_000;

    /** A message as it crosses the WebSocket. */
    record Frame(Channel channel, RawMessage message) {
    }

    /** A frame that is not a kernel message. */
    static final class FrameException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FrameException(String message) {
            super(message);
        }
    }

    private WsFrames() {
    }

    // ------------------------------------------------------------------ decoding

    static Frame fromJsonText(String text) {
        return fromJsonMessage(parseObject(text.getBytes(StandardCharsets.UTF_8)), List.of());
    }

    static Frame fromLegacyBinary(ByteBuffer data) {
        ByteBuffer buffer = data.duplicate().order(ByteOrder.BIG_ENDIAN);
        if (buffer.remaining() < 4) {
            throw new FrameException("binary frame too short");
        }
        int count = buffer.getInt(buffer.position());
        if (count < 1 || count > MAX_PARTS || buffer.remaining() < 4L * (count + 1)) {
            throw new FrameException("binary frame has a bad part count " + count);
        }
        int[] offsets = new int[count + 1];
        for (int i = 0; i < count; i++) {
            offsets[i] = buffer.getInt(buffer.position() + 4 * (i + 1));
        }
        offsets[count] = buffer.remaining();
        List<byte[]> parts = slices(buffer, offsets);
        return fromJsonMessage(parseObject(parts.getFirst()), parts.subList(1, parts.size()));
    }

    static Frame fromV1(ByteBuffer data) {
        ByteBuffer buffer = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (buffer.remaining() < 8) {
            throw new FrameException("v1 frame too short");
        }
        long count = buffer.getLong(buffer.position());
        if (count < 6 || count > MAX_PARTS || buffer.remaining() < 8L * (count + 1)) {
            throw new FrameException("v1 frame has a bad offset count " + count);
        }
        int[] offsets = new int[(int) count];
        for (int i = 0; i < count; i++) {
            long offset = buffer.getLong(buffer.position() + 8 * (i + 1));
            if (offset < 0 || offset > buffer.remaining()) {
                throw new FrameException("v1 frame offset out of range: " + offset);
            }
            offsets[i] = (int) offset;
        }
        List<byte[]> parts = slices(buffer, offsets);
        Channel channel = channel(new String(parts.get(0), StandardCharsets.UTF_8));
        RawMessage message = new RawMessage(parseObject(parts.get(1)), parseObject(parts.get(2)), parseObject(parts.get(3)),
                parseObject(parts.get(4)), parts.subList(5, parts.size()));
        return new Frame(channel, message);
    }

    private static List<byte[]> slices(ByteBuffer buffer, int[] offsets) {
        List<byte[]> parts = new ArrayList<>(offsets.length - 1);
        for (int i = 0; i + 1 < offsets.length; i++) {
            if (offsets[i] > offsets[i + 1] || offsets[i + 1] > buffer.remaining()) {
                throw new FrameException("frame offsets are not increasing");
            }
            byte[] part = new byte[offsets[i + 1] - offsets[i]];
            buffer.duplicate().position(buffer.position() + offsets[i]).get(part);
            parts.add(part);
        }
        return parts;
    }

    private static Frame fromJsonMessage(ObjectNode json, List<byte[]> buffers) {
        String channelName = json.path("channel").asText("");
        if (channelName.isEmpty()) {
            throw new FrameException("the message has no 'channel'");
        }
        List<byte[]> all = new ArrayList<>(buffers);
        if (buffers.isEmpty() && json.get("buffers") instanceof ArrayNode inline) {
            for (JsonNode encoded : inline) {
                all.add(Base64.getDecoder().decode(encoded.asText("")));
            }
        }
        RawMessage message = new RawMessage(object(json, "header"), object(json, "parent_header"),
                object(json, "metadata"), object(json, "content"), all);
        return new Frame(channel(channelName), message);
    }

    private static ObjectNode object(ObjectNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return JsonBodies.MAPPER.createObjectNode();
        }
        if (!(value instanceof ObjectNode object)) {
            throw new FrameException("'" + field + "' must be an object");
        }
        return object;
    }

    private static ObjectNode parseObject(byte[] bytes) {
        try {
            JsonNode node = JsonBodies.MAPPER.readTree(bytes);
            if (node instanceof ObjectNode object) {
                return object;
            }
            if (node == null || node.isMissingNode()) {
                return JsonBodies.MAPPER.createObjectNode();
            }
            throw new FrameException("expected a JSON object, got " + node.getNodeType().name().toLowerCase(Locale.ROOT));
        } catch (IOException e) {
            throw new FrameException("not valid JSON: " + e.getMessage());
        }
    }

    private static Channel channel(String name) {
        return switch (name) {
            case "shell" -> Channel.SHELL;
            case "control" -> Channel.CONTROL;
            case "stdin" -> Channel.STDIN;
            case "iopub" -> Channel.IOPUB;
            default -> throw new FrameException("unknown channel '" + name + "'");
        };
    }

    // ------------------------------------------------------------------ encoding

    static String channelName(Channel channel) {
        return channel.name().toLowerCase(Locale.ROOT);
    }

    /** The JSON protocol's text form (for a message without buffers). */
    static String toJsonText(Channel channel, RawMessage message) {
        try {
            return JsonBodies.MAPPER.writeValueAsString(jsonMessage(channel, message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a kernel message", e);
        }
    }

    private static ObjectNode jsonMessage(Channel channel, RawMessage message) {
        ObjectNode json = JsonBodies.MAPPER.createObjectNode();
        json.set("header", message.header());
        json.set("msg_id", message.header().path("msg_id"));
        json.set("msg_type", message.header().path("msg_type"));
        json.set("parent_header", message.parentHeader());
        json.set("metadata", message.metadata());
        json.set("content", message.content());
        json.putArray("buffers");
        json.put("channel", channelName(channel));
        return json;
    }

    /** The JSON protocol's binary form (for a message with buffers). */
    static ByteBuffer toLegacyBinary(Channel channel, RawMessage message) {
        byte[] json;
        try {
            json = JsonBodies.MAPPER.writeValueAsBytes(jsonMessage(channel, message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a kernel message", e);
        }
        List<byte[]> parts = new ArrayList<>();
        parts.add(json);
        parts.addAll(message.buffers());
        int count = parts.size();
        int header = 4 * (count + 1);
        int size = header + parts.stream().mapToInt(part -> part.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.BIG_ENDIAN);
        out.putInt(count);
        int offset = header;
        for (byte[] part : parts) {
            out.putInt(offset);
            offset += part.length;
        }
        parts.forEach(out::put);
        return out.flip();
    }

    /** The v1 binary form. */
    static ByteBuffer toV1(Channel channel, RawMessage message) {
        List<byte[]> parts = new ArrayList<>();
        parts.add(channelName(channel).getBytes(StandardCharsets.UTF_8));
        try {
            parts.add(JsonBodies.MAPPER.writeValueAsBytes(message.header()));
            parts.add(JsonBodies.MAPPER.writeValueAsBytes(message.parentHeader()));
            parts.add(JsonBodies.MAPPER.writeValueAsBytes(message.metadata()));
            parts.add(JsonBodies.MAPPER.writeValueAsBytes(message.content()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a kernel message", e);
        }
        parts.addAll(message.buffers());
        int offsets = parts.size() + 1;
        int header = 8 * (offsets + 1);
        int size = header + parts.stream().mapToInt(part -> part.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(offsets);
        long offset = header;
        out.putLong(offset);
        for (byte[] part : parts) {
            offset += part.length;
            out.putLong(offset);
        }
        parts.forEach(out::put);
        return out.flip();
    }
}
