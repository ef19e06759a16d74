package io.quire.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A JDK WebSocket client on a kernel channels endpoint that records every kernel message it receives, for tests.
 * Messages of both protocols are recorded in one shape: {@code {channel, header, parent_header, metadata, content}}.
 * Includes a small encoder and decoder of the {@code v1.kernel.websocket.jupyter.org} binary format, written from the
 * format's description so the server's own codec is not tested against itself.
 */
final class KernelSocket implements WebSocket.Listener, AutoCloseable {
    static final String V1 = "v1.kernel.websocket.jupyter.org";
    static final Duration WAIT = Duration.ofSeconds(20);

    private final boolean v1;
    private final List<ObjectNode> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final AtomicInteger textFrames = new AtomicInteger();
    private final AtomicInteger binaryFrames = new AtomicInteger();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private final String session;
    private volatile boolean paused;
    private volatile WebSocket socket;
    private final List<byte[]> pongs = new CopyOnWriteArrayList<>();

    private KernelSocket(boolean v1) {
        this(v1, UUID.randomUUID().toString(), false);
    }

    private KernelSocket(boolean v1, String session, boolean paused) {
        this.v1 = v1;
        this.session = session;
        this.paused = paused;
    }

    /**
     * The channels URI of a kernel, without a token.
     *
     * @param fixture  the server
     * @param kernelId the kernel id
     * @return {@code ws://127.0.0.1:PORT/api/kernels/ID/channels}
     */
    static URI uri(ServerFixture fixture, String kernelId) {
        return URI.create("ws://127.0.0.1:" + fixture.server.port() + "/api/kernels/" + kernelId + "/channels");
    }

    /**
     * Opens a connection and waits for the handshake.
     *
     * @param http      the client
     * @param uri       the endpoint
     * @param v1        whether to offer the v1 subprotocol
     * @param configure extra builder settings (headers)
     * @return a future of the open socket; it fails when the upgrade is refused
     */
    static CompletableFuture<KernelSocket> open(HttpClient http, URI uri, boolean v1, Consumer<WebSocket.Builder> configure) {
        return open(http, uri, new KernelSocket(v1), configure);
    }

    /**
     * Connects to a kernel as a member of a Jupyter session: {@code ?session_id=} on the URL and the same
     * {@code session} in the headers it sends, as JupyterLab does.
     *
     * @param http      the client
     * @param port      the server's port
     * @param token     the server's token
     * @param kernelId  the kernel
     * @param sessionId the session id
     * @param paused    whether to start without reading anything (until {@link #resume()}), as a stalled client
     * @return the open socket
     */
    static KernelSocket connectSession(HttpClient http, int port, String token, String kernelId, String sessionId,
            boolean paused) throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + port + "/api/kernels/" + kernelId + "/channels?session_id="
                + sessionId + "&token=" + token);
        return open(http, uri, new KernelSocket(false, sessionId, paused), builder -> { })
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static CompletableFuture<KernelSocket> open(HttpClient http, URI uri, KernelSocket listener,
            Consumer<WebSocket.Builder> configure) {
        boolean v1 = listener.v1;
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (v1) {
            builder.subprotocols(V1);
        }
        configure.accept(builder);
        return builder.buildAsync(uri, listener).thenApply(webSocket -> {
            listener.socket = webSocket;
            return listener;
        });
    }

    /**
     * Connects to a kernel with {@code ?token=} and waits for the handshake.
     *
     * @param fixture  the server
     * @param kernelId the kernel
     * @param v1       whether to use the v1 binary protocol
     * @return the open socket
     */
    static KernelSocket connect(ServerFixture fixture, String kernelId, boolean v1) throws Exception {
        URI uri = URI.create(uri(fixture, kernelId) + "?token=" + fixture.token);
        return open(fixture.http, uri, v1, builder -> { }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ sending

    /**
     * A new header as a Jupyter client writes it.
     *
     * @param msgType the message type
     * @return the header, with a fresh msg_id
     */
    ObjectNode header(String msgType) {
        ObjectNode header = ServerFixture.JSON.createObjectNode();
        header.put("msg_id", UUID.randomUUID().toString());
        header.put("msg_type", msgType);
        header.put("session", session);
        header.put("username", "tester");
        header.put("date", Instant.now().toString());
        header.put("version", "5.3");
        return header;
    }

    /**
     * Sends an execute_request on shell.
     *
     * @param code the code (the fake kernel's mini-language, or Python)
     * @return the request's msg_id
     */
    String execute(String code) {
        ObjectNode content = ServerFixture.JSON.createObjectNode();
        content.put("code", code);
        content.put("silent", false);
        content.put("store_history", true);
        content.putObject("user_expressions");
        content.put("allow_stdin", true);
        content.put("stop_on_error", true);
        ObjectNode header = header("execute_request");
        send("shell", header, ServerFixture.JSON.createObjectNode(), content);
        return header.path("msg_id").asText();
    }

    /**
     * Sends a kernel_info_request on shell.
     *
     * @return the request's msg_id
     */
    String kernelInfo() {
        ObjectNode header = header("kernel_info_request");
        send("shell", header, ServerFixture.JSON.createObjectNode(), ServerFixture.JSON.createObjectNode());
        return header.path("msg_id").asText();
    }

    /**
     * Sends a message in this connection's protocol.
     *
     * @param channel      the channel name
     * @param header       the header
     * @param parentHeader the parent header
     * @param content      the content
     */
    void send(String channel, ObjectNode header, JsonNode parentHeader, ObjectNode content) {
        if (v1) {
            sendBinary(encodeV1(channel, header, parentHeader, ServerFixture.JSON.createObjectNode(), content));
            return;
        }
        ObjectNode message = ServerFixture.JSON.createObjectNode();
        message.put("channel", channel);
        message.set("header", header);
        message.set("parent_header", parentHeader);
        message.putObject("metadata");
        message.set("content", content);
        message.putArray("buffers");
        sendText(message.toString());
    }

    void sendText(String data) {
        socket.sendText(data, true).join();
    }

    void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    // ------------------------------------------------------------------ receiving

    /**
     * Waits for a received message.
     *
     * @param description what is awaited, for the failure message
     * @param matches     the condition
     * @return the first received message that matches
     */
    ObjectNode await(String description, Predicate<JsonNode> matches) {
        return Await.untilPresent(WAIT, () -> description + "; received so far: " + received,
                () -> received.stream().filter(matches).findFirst().orElse(null));
    }

    /** The reply (or any message) whose parent is the given request and whose type is given. */
    ObjectNode awaitChild(String parentMsgId, String msgType) {
        return await(msgType + " for " + parentMsgId, message -> isChild(message, parentMsgId, msgType));
    }

    /** The status message with the given state for the given request. */
    ObjectNode awaitStatus(String parentMsgId, String state) {
        return await("status " + state + " for " + parentMsgId, message -> isChild(message, parentMsgId, "status")
                && message.path("content").path("execution_state").asText().equals(state));
    }

    static boolean isChild(JsonNode message, String parentMsgId, String msgType) {
        return message.path("parent_header").path("msg_id").asText().equals(parentMsgId)
                && message.path("header").path("msg_type").asText().equals(msgType);
    }

    /** @return every message received so far */
    List<ObjectNode> received() {
        return List.copyOf(received);
    }

    /** @return the messages received so far that answer the given request */
    List<ObjectNode> children(String parentMsgId) {
        return received.stream().filter(message -> message.path("parent_header").path("msg_id").asText()
                .equals(parentMsgId)).toList();
    }

    /**
     * Waits until the server closes the socket.
     *
     * @return the close code the server sent
     */
    int awaitClosedByServer() throws Exception {
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** @return whether the server closed the socket */
    boolean isClosed() {
        return closed.isDone();
    }

    /** @return the negotiated subprotocol, empty if none */
    String subprotocol() {
        return socket.getSubprotocol();
    }

    int textFrames() {
        return textFrames.get();
    }

    int binaryFrames() {
        return binaryFrames.get();
    }

    /**
     * Sends a ping and waits for the pong that carries its data back.
     *
     * @param data the ping's application data
     * @return whether such a pong came within the wait
     */
    boolean pingAnswered(byte[] data) {
        socket.sendPing(ByteBuffer.wrap(data)).join();
        try {
            Await.until(WAIT, "a pong", () -> pongs.stream().anyMatch(pong -> java.util.Arrays.equals(pong, data)));
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        byte[] data = new byte[message.remaining()];
        message.get(data);
        pongs.add(data);
        requestMore(webSocket);
        return null;
    }

    /** Starts reading again after a paused start. */
    void resume() {
        paused = false;
        socket.request(1);
    }

    /**
     * Waits until the connection ended, whether the server closed it cleanly or it broke.
     *
     * @return the close code, or -1 when it broke
     */
    int awaitEnded() throws Exception {
        try {
            return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return -1;
        }
    }

    private void requestMore(WebSocket webSocket) {
        if (!paused) {
            webSocket.request(1);
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        requestMore(webSocket);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        synchronized (text) {
            text.append(data);
            if (last) {
                textFrames.incrementAndGet();
                try {
                    received.add((ObjectNode) ServerFixture.JSON.readTree(text.toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    text.setLength(0);
                }
            }
        }
        requestMore(webSocket);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        synchronized (binary) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                binaryFrames.incrementAndGet();
                byte[] frame = binary.toByteArray();
                binary.reset();
                received.add(v1 ? decodeV1(frame) : decodeLegacy(frame));
            }
        }
        requestMore(webSocket);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    @Override
    public void close() {
        WebSocket current = socket;
        if (current == null || closed.isDone()) {
            return;
        }
        try {
            current.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
            closed.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            current.abort();
        }
    }

    // ------------------------------------------------------------------ v1 format

    /**
     * Encodes a v1 frame: a little-endian u64 count of offsets, the u64 offsets (the start of each part, then the
     * end), then channel, header, parent_header, metadata, content and the buffers.
     */
    static byte[] encodeV1(String channel, JsonNode header, JsonNode parentHeader, JsonNode metadata, JsonNode content,
            byte[]... buffers) {
        List<byte[]> parts = new ArrayList<>();
        parts.add(channel.getBytes(StandardCharsets.UTF_8));
        for (JsonNode json : List.of(header, parentHeader, metadata, content)) {
            parts.add(json.toString().getBytes(StandardCharsets.UTF_8));
        }
        parts.addAll(List.of(buffers));
        return encodeV1Parts(parts);
    }

    /** A v1 frame whose header part holds the given bytes as they are (to send a header that is not JSON). */
    static byte[] encodeV1Raw(String channel, byte[] header) {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        return encodeV1Parts(List.of(channel.getBytes(StandardCharsets.UTF_8), header, empty, empty, empty));
    }

    private static byte[] encodeV1Parts(List<byte[]> parts) {
        int count = parts.size() + 1;
        int offset = 8 * (count + 1);
        int size = offset + parts.stream().mapToInt(part -> part.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(count);
        for (byte[] part : parts) {
            out.putLong(offset);
            offset += part.length;
        }
        out.putLong(offset);
        parts.forEach(out::put);
        return out.array();
    }

    /** Decodes a v1 frame into the recorded shape, with {@code buffers} as the count of binary buffers. */
    static ObjectNode decodeV1(byte[] frame) {
        ByteBuffer in = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        int count = (int) in.getLong(0);
        long[] offsets = new long[count];
        for (int i = 0; i < count; i++) {
            offsets[i] = in.getLong(8 * (i + 1));
        }
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i + 1 < count; i++) {
            byte[] part = new byte[(int) (offsets[i + 1] - offsets[i])];
            System.arraycopy(frame, (int) offsets[i], part, 0, part.length);
            parts.add(part);
        }
        ObjectNode message = ServerFixture.JSON.createObjectNode();
        message.put("channel", new String(parts.get(0), StandardCharsets.UTF_8));
        String[] names = {"header", "parent_header", "metadata", "content"};
        for (int i = 0; i < names.length; i++) {
            try {
                message.set(names[i], ServerFixture.JSON.readTree(parts.get(i + 1)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        message.put("buffers", parts.size() - 5);
        return message;
    }

    /** Decodes a JSON-protocol binary frame (a message with buffers): big-endian u32 count, offsets, JSON, buffers. */
    static ObjectNode decodeLegacy(byte[] frame) {
        ByteBuffer in = ByteBuffer.wrap(frame).order(ByteOrder.BIG_ENDIAN);
        int count = in.getInt(0);
        int start = in.getInt(4);
        int end = count > 1 ? in.getInt(8) : frame.length;
        try {
            ObjectNode message = (ObjectNode) ServerFixture.JSON.readTree(new String(frame, start, end - start,
                    StandardCharsets.UTF_8));
            message.put("buffers", count - 1);
            return message;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the text of a stream message, if it is one */
    static Optional<String> streamText(JsonNode message) {
        return message.path("header").path("msg_type").asText().equals("stream")
                ? Optional.of(message.path("content").path("text").asText())
                : Optional.empty();
    }
}
