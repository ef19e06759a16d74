package io.quire.client;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A one-connection WebSocket server (RFC 6455) on 127.0.0.1 whose frames the test writes by hand, so fragmentation,
 * binary framing and close codes are exactly what the test says. It answers the handshake, hands the client's
 * (unmasked) text messages to the test, and writes whatever frames the test asks for.
 */
final class ScriptedWebSocketServer implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket listener;
    private final CompletableFuture<Map<String, String>> handshake = new CompletableFuture<>();
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> clientClose = new CompletableFuture<>();
    private volatile OutputStream out;
    private volatile Socket socket;

    ScriptedWebSocketServer() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::serve);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The upgrade request's request line ({@code ""} key) and headers, lower-case names. */
    Map<String, String> handshake() throws Exception {
        return handshake.get(10, TimeUnit.SECONDS);
    }

    /** The next text message the client sent. */
    String nextText() throws InterruptedException {
        String text = received.poll(10, TimeUnit.SECONDS);
        if (text == null) {
            throw new AssertionError("the client sent nothing within 10 s");
        }
        return text;
    }

    /** The close code the client sent. */
    int clientCloseCode() throws Exception {
        return clientClose.get(10, TimeUnit.SECONDS);
    }

    /** Writes one frame (server frames are not masked). */
    synchronized void frame(boolean fin, int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(payload.length);
        } else if (payload.length < 65536) {
            frame.write(126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        frame.write(payload);
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Writes a text message split into frames at the given character counts (the rest in the last frame). */
    void fragmentedText(String text, int... cuts) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int start = 0;
        int opcode = 0x1;
        for (int cut : cuts) {
            frame(false, opcode, java.util.Arrays.copyOfRange(bytes, start, cut));
            start = cut;
            opcode = 0x0;
        }
        frame(true, opcode, java.util.Arrays.copyOfRange(bytes, start, bytes.length));
    }

    /** Writes a close frame. */
    void close(int code, String reason) throws IOException {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        frame(true, 0x8, payload);
    }

    private void serve() {
        try (Socket accepted = listener.accept()) {
            socket = accepted;
            InputStream in = accepted.getInputStream();
            out = accepted.getOutputStream();
            Map<String, String> headers = readHeaders(in);
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(
                    (headers.get("sec-websocket-key") + GUID).getBytes(StandardCharsets.US_ASCII)));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            handshake.complete(headers);
            readFrames(new DataInputStream(in));
        } catch (IOException | NoSuchAlgorithmException e) {
            handshake.completeExceptionally(e);
            clientClose.completeExceptionally(e);
        }
    }

    private void readFrames(DataInputStream in) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            int first = in.read();
            if (first < 0) {
                clientClose.complete(1006);
                return;
            }
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = new byte[4];
            in.readFully(mask);
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
            int opcode = first & 0x0f;
            if (opcode == 0x8) {
                clientClose.complete(payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005);
                return;
            }
            message.write(payload);
            if ((first & 0x80) != 0 && (opcode == 0x1 || opcode == 0x0)) {
                received.add(message.toString(StandardCharsets.UTF_8));
                message.reset();
            }
        }
    }

    private static Map<String, String> readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client closed during the handshake");
            }
            head.write(b);
            matched = (b == '\r' || b == '\n') ? (matched == 0 && b == '\r' || matched == 1 && b == '\n'
                    || matched == 2 && b == '\r' || matched == 3 && b == '\n' ? matched + 1 : (b == '\r' ? 1 : 0))
                    : 0;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
        headers.put("", lines[0]);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        return headers;
    }

    @Override
    public void close() {
        try {
            listener.close();
            Socket current = socket;
            if (current != null) {
                current.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
