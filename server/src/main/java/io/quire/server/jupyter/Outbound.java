package io.quire.server.jupyter;

import io.helidon.common.buffers.BufferData;
import io.quire.kernel.Channel;
import io.quire.kernel.RawMessage;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One kernel message on its way to WebSocket clients, shared by every connection and session buffer it goes to. Each
 * wire encoding is computed at most once (racing threads may both compute it; the results are equal). Its
 * {@link #size()} is the length of its v1 frame, close to the sum of its ZeroMQ frames that Jupyter Server counts.
 */
final class Outbound {
    private final Channel channel;
    private final RawMessage message;
    private volatile byte[] v1;
    private volatile byte[] legacyBinary;
    private volatile String jsonText;

    Outbound(Channel channel, RawMessage message) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.message = Objects.requireNonNull(message, "message");
    }

    Channel channel() {
        return channel;
    }

    RawMessage message() {
        return message;
    }

    /** @return the length of the v1 frame */
    long size() {
        return v1Frame().length;
    }

    /**
     * The length of this message in a connection's protocol: its v1 frame, its legacy binary frame, or the characters
     * of its JSON text (bytes for ASCII text). The encoding is kept for {@link #sendTo}.
     *
     * @param v1Protocol whether the connection speaks the v1 subprotocol
     * @return the length
     */
    long wireLength(boolean v1Protocol) {
        if (v1Protocol) {
            return v1Frame().length;
        }
        return message.buffers().isEmpty() ? jsonText().length() : legacyBinaryFrame().length;
    }

    /** Writes this message to a session in the connection's protocol. */
    void sendTo(io.helidon.websocket.WsSession session, boolean v1Protocol) {
        if (v1Protocol) {
            session.send(BufferData.create(v1Frame()), true);
        } else if (message.buffers().isEmpty()) {
            session.send(jsonText(), true);
        } else {
            session.send(BufferData.create(legacyBinaryFrame()), true);
        }
    }

    private String jsonText() {
        String text = jsonText;
        if (text == null) {
            text = WsFrames.toJsonText(channel, message);
            jsonText = text;
        }
        return text;
    }

    private byte[] legacyBinaryFrame() {
        byte[] frame = legacyBinary;
        if (frame == null) {
            frame = bytes(WsFrames.toLegacyBinary(channel, message));
            legacyBinary = frame;
        }
        return frame;
    }

    private byte[] v1Frame() {
        byte[] frame = v1;
        if (frame == null) {
            frame = bytes(WsFrames.toV1(channel, message));
            v1 = frame;
        }
        return frame;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
