package io.quire.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A connection to a kernel's channels, {@code /api/kernels/{id}/channels}, over the JDK's {@link WebSocket}, speaking
 * Jupyter's JSON protocol (the one JupyterLab used before the binary subprotocol): messages as JSON text frames,
 * messages with binary buffers as binary frames. Obtain one with {@link QuireClient#kernelChannels(String)}.
 *
 * <pre>{@code
 * try (KernelChannels channels = quire.kernelChannels(session.kernelId())) {
 *     KernelExecution result = channels.execute("1+1", Duration.ofSeconds(30));
 *     result.resultText(); // "2"
 * }
 * }</pre>
 *
 * <p>Design: the WebSocket's listener joins fragments (a text message may arrive in several {@code onText} calls
 * with {@code last=false}, as may a binary one), decodes each whole message into a {@link KernelMessage}, hands it to
 * the collector of the request it answers ({@link #execute}) and then to every subscriber ({@link #onMessage}), on the
 * WebSocket's own thread, one message at a time. Sends are chained, since the JDK allows one outstanding send. When
 * the server closes the socket (or it fails), {@link #closed()} completes with the close code and every pending
 * execution fails with a {@link QuireTransportException} naming it. Thread-safe.
 */
public final class KernelChannels implements AutoCloseable {
    /** The largest message accepted from the server; a larger one aborts the connection. */
    static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(KernelChannels.class.getName());
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    /**
     * How a connection ended.
     *
     * @param code   the WebSocket close code ({@code 1000} normal, {@code 1006} abnormal, {@code 1008} policy, ...)
     * @param reason the reason the server gave, or a description of the failure
     */
    public record CloseStatus(int code, String reason) {
        /** Validates the fields. */
        public CloseStatus {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A registration of {@link #onMessage}; closing it stops the deliveries. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        /** Stops delivering messages to the subscriber. */
        @Override
        void close();
    }

    private final String kernelId;
    private final String sessionId;
    private final List<Consumer<KernelMessage>> subscribers = new CopyOnWriteArrayList<>();
    private final Map<String, Collector> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private final Object sendLock = new Object();
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
    private volatile WebSocket socket;

    private KernelChannels(String kernelId, String sessionId) {
        this.kernelId = kernelId;
        this.sessionId = sessionId;
    }

    /**
     * Connects to a kernel's channels.
     *
     * @param http      the client to connect with
     * @param baseUrl   the server's base URL (http or https), ending in {@code /}
     * @param token     the server token, sent as {@code Authorization: token ...}
     * @param kernelId  the kernel's id
     * @param sessionId the Jupyter client session id ({@code session_id} query parameter and message headers)
     * @param timeout   how long the handshake may take
     * @return the open connection
     * @throws QuireApiException       when the server refuses the upgrade (401, 403, 404 for an unknown kernel)
     * @throws QuireTransportException when the connection fails
     */
    static KernelChannels connect(HttpClient http, URI baseUrl, Optional<String> token, String kernelId,
            String sessionId, Duration timeout) {
        String path = "api/kernels/" + QuireClient.segment(kernelId) + "/channels?session_id="
                + QuireClient.encode(sessionId);
        URI uri = URI.create(baseUrl.resolve(path).toString().replaceFirst("^http", "ws"));
        KernelChannels channels = new KernelChannels(kernelId, sessionId);
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(timeout);
        token.ifPresent(value -> builder.header("Authorization", "token " + value));
        String what = "GET /" + path.substring(0, path.indexOf('?'));
        try {
            channels.socket = builder.buildAsync(uri, channels.new Listener()).get(timeout.toMillis() + 1000,
                    TimeUnit.MILLISECONDS);
            return channels;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                HttpResponse<?> response = refused.getResponse();
                throw new QuireApiException(what, ApiError.create(response.statusCode(), body(response.body())));
            }
            throw new QuireTransportException(what + " (WebSocket) failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new QuireTransportException(what + " (WebSocket) did not connect within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuireTransportException(what + " (WebSocket) was interrupted", e);
        }
    }

    private static String body(Object body) {
        return switch (body) {
            case String text -> text;
            case byte[] bytes -> new String(bytes, StandardCharsets.UTF_8);
            case null, default -> "";
        };
    }

    /**
     * The kernel this connection talks to.
     *
     * @return the kernel's id
     */
    public String kernelId() {
        return kernelId;
    }

    /**
     * The Jupyter client session of this connection (the {@code session} of the headers it sends).
     *
     * @return the session id
     */
    public String sessionId() {
        return sessionId;
    }

    /**
     * Delivers every message that arrives from now on (all channels), on the connection's receiving thread; the
     * subscriber must not block. A subscriber that throws is logged and kept.
     *
     * @param subscriber receives messages
     * @return the registration
     */
    public Subscription onMessage(Consumer<KernelMessage> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /**
     * Sends a request.
     *
     * @param channel {@code shell}, {@code control} or {@code stdin}
     * @param msgType the message type, such as {@code kernel_info_request}
     * @param content the content
     * @return the request's {@code msg_id}, which replies name as their parent
     * @throws QuireTransportException when the connection is closed
     */
    public String send(String channel, String msgType, ObjectNode content) {
        String msgId = UUID.randomUUID().toString();
        send(channel, msgType, msgId, content);
        return msgId;
    }

    /**
     * Sends a request under a {@code msg_id} the caller chose, so it can route the replies (which name it as their
     * parent) before they can arrive; {@link #onMessage} subscribers see every reply.
     *
     * @param channel {@code shell}, {@code control} or {@code stdin}
     * @param msgType the message type, such as {@code complete_request}
     * @param msgId   the request's {@code msg_id}; must be unique (a random UUID)
     * @param content the content
     * @throws IllegalArgumentException when the msg id is empty
     * @throws QuireTransportException  when the connection is closed
     */
    public void send(String channel, String msgType, String msgId, ObjectNode content) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(msgType, "msgType");
        Objects.requireNonNull(msgId, "msgId");
        Objects.requireNonNull(content, "content");
        if (msgId.isEmpty()) {
            throw new IllegalArgumentException("a msg_id must not be empty");
        }
        transmit(message(channel, msgType, msgId, content));
    }

    /**
     * Runs code and collects its outputs. The future completes once the kernel has published {@code status: idle}
     * for the request (so every output has arrived) and its {@code execute_reply} has arrived, also when the code
     * raised (see {@link KernelExecution#status()}); it fails with {@link QuireTransportException} if the connection
     * closes first.
     *
     * @param code the code
     * @return the execution's outcome
     */
    public CompletableFuture<KernelExecution> execute(String code) {
        Objects.requireNonNull(code, "code");
        ObjectNode content = Wire.JSON.createObjectNode();
        content.put("code", code);
        content.put("silent", false);
        content.put("store_history", true);
        content.putObject("user_expressions");
        content.put("allow_stdin", false);
        content.put("stop_on_error", true);
        String msgId = UUID.randomUUID().toString();
        Collector collector = new Collector(msgId);
        pending.put(msgId, collector);
        collector.future.whenComplete((result, failure) -> pending.remove(msgId));
        if (closed.isDone()) {
            collector.future.completeExceptionally(closedException(closed.join()));
            return collector.future;
        }
        try {
            transmit(message("shell", "execute_request", msgId, content));
        } catch (QuireException e) {
            collector.future.completeExceptionally(e);
        }
        return collector.future;
    }

    /**
     * Runs code and waits for its outcome (see {@link #execute(String)}).
     *
     * @param code    the code
     * @param timeout how long to wait
     * @return the execution's outcome
     * @throws QuireTimeoutException   when it does not finish in time (it goes on in the kernel)
     * @throws QuireTransportException when the connection closes first
     */
    public KernelExecution execute(String code, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        CompletableFuture<KernelExecution> future = execute(code);
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new QuireTimeoutException("the kernel did not finish executing within " + timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QuireException quire) {
                throw quire;
            }
            throw new QuireTransportException("the execution failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuireTransportException("interrupted while waiting for the kernel", e);
        }
    }

    /**
     * Completes when the connection has ended, with how it ended.
     *
     * @return the close status
     */
    public CompletableFuture<CloseStatus> closed() {
        return closed.copy();
    }

    /**
     * Whether the connection is open.
     *
     * @return false once it closed or failed
     */
    public boolean isOpen() {
        return !closed.isDone();
    }

    /** Closes the connection normally (code 1000) and waits briefly for the server to confirm. Idempotent. */
    @Override
    public void close() {
        WebSocket ws = socket;
        if (ws == null || closed.isDone()) {
            return;
        }
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            closed.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            ws.abort();
            ended(new CloseStatus(1006, "closed by the client without the server's confirmation"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ws.abort();
            ended(new CloseStatus(1006, "interrupted while closing"));
        }
    }

    private ObjectNode message(String channel, String msgType, String msgId, ObjectNode content) {
        ObjectNode message = Wire.JSON.createObjectNode();
        ObjectNode header = message.putObject("header");
        header.put("msg_id", msgId);
        header.put("msg_type", msgType);
        header.put("username", "quire-client");
        header.put("session", sessionId);
        header.put("date", Instant.now().toString());
        header.put("version", "5.3");
        message.putObject("parent_header");
        message.putObject("metadata");
        message.set("content", content);
        message.put("channel", channel);
        message.putArray("buffers");
        return message;
    }

    private void transmit(ObjectNode message) {
        if (closed.isDone()) {
            throw closedException(closed.join());
        }
        String text;
        try {
            text = Wire.JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise the message: " + e.getOriginalMessage(), e);
        }
        synchronized (sendLock) {
            // the JDK allows one outstanding send: each waits for the one before, whatever its outcome
            lastSend = lastSend.handle((ignored, failure) -> null)
                    .thenCompose(ignored -> socket.sendText(text, true))
                    .whenComplete((ignored, failure) -> {
                        if (failure != null) {
                            LOG.log(System.Logger.Level.DEBUG, "sending to kernel " + kernelId + " failed", failure);
                            String msgId = message.path("header").path("msg_id").asText();
                            Collector collector = pending.get(msgId);
                            if (collector != null) {
                                collector.future.completeExceptionally(new QuireTransportException(
                                        "sending to kernel " + kernelId + " failed: " + failure, failure));
                            }
                        }
                    });
        }
    }

    private QuireTransportException closedException(CloseStatus status) {
        return new QuireTransportException("the channels of kernel " + kernelId + " closed with code "
                + status.code() + (status.reason().isEmpty() ? "" : " (" + status.reason() + ")"), null);
    }

    private void ended(CloseStatus status) {
        if (closed.complete(status)) {
            QuireTransportException failure = closedException(status);
            List.copyOf(pending.values()).forEach(collector -> collector.future.completeExceptionally(failure));
        }
    }

    private void dispatch(KernelMessage message) {
        message.parentMsgId().map(pending::get).ifPresent(collector -> collector.accept(message));
        for (Consumer<KernelMessage> subscriber : subscribers) {
            try {
                subscriber.accept(message);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a kernel message subscriber failed", e);
            }
        }
    }

    /** Decodes Jupyter's binary framing of the JSON protocol: u32 count n, n u32 offsets, the message, the buffers. */
    static KernelMessage fromBinary(ByteBuffer data) {
        ByteBuffer buffer = data.duplicate().order(ByteOrder.BIG_ENDIAN);
        int size = buffer.remaining();
        if (size < 8) {
            throw new QuireException("the server sent a binary frame of " + size + " bytes, too short for a message");
        }
        int count = buffer.getInt(0);
        if (count < 1 || (long) 4 * (count + 1) > size) {
            throw new QuireException("the server sent a binary frame with a bad part count " + count);
        }
        int[] offsets = new int[count + 1];
        for (int i = 0; i < count; i++) {
            offsets[i] = buffer.getInt(4 * (i + 1));
        }
        offsets[count] = size;
        List<ByteBuffer> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (offsets[i] < 4 * (count + 1) || offsets[i + 1] < offsets[i] || offsets[i + 1] > size) {
                throw new QuireException("the server sent a binary frame with bad offsets");
            }
            parts.add(buffer.slice(offsets[i], offsets[i + 1] - offsets[i]));
        }
        ByteBuffer first = parts.getFirst();
        byte[] json = new byte[first.remaining()];
        first.get(json);
        return KernelMessage.create(parse(json), parts.subList(1, parts.size()));
    }

    private static JsonNode parse(byte[] json) {
        try {
            return Wire.JSON.readTree(json);
        } catch (IOException e) {
            throw new QuireException("the server sent a kernel message that is not JSON: " + e.getMessage(), e);
        }
    }

    /** Receives frames, joins fragments, and dispatches whole messages. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (text.length() > MAX_MESSAGE_BYTES) {
                tooLarge(webSocket);
                return null;
            }
            if (last) {
                String whole = text.toString();
                text.setLength(0);
                receive(() -> KernelMessage.create(parse(whole.getBytes(StandardCharsets.UTF_8)), List.of()));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (binary.size() > MAX_MESSAGE_BYTES) {
                tooLarge(webSocket);
                return null;
            }
            if (last) {
                ByteBuffer whole = ByteBuffer.wrap(binary.toByteArray());
                binary.reset();
                receive(() -> fromBinary(whole));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended(new CloseStatus(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended(new CloseStatus(1006, "the connection failed: " + error));
        }

        private void receive(java.util.function.Supplier<KernelMessage> decode) {
            KernelMessage message;
            try {
                message = decode.get();
            } catch (QuireException e) {
                LOG.log(System.Logger.Level.WARNING, "ignoring a frame from kernel " + kernelId + ": "
                        + e.getMessage());
                return;
            }
            dispatch(message);
        }

        private void tooLarge(WebSocket webSocket) {
            webSocket.abort();
            ended(new CloseStatus(1009, "a message from the server exceeded " + MAX_MESSAGE_BYTES + " bytes"));
        }
    }

    /** Collects the outputs of one execute_request until both its idle status and its reply have arrived. */
    private static final class Collector {
        final String msgId;
        final CompletableFuture<KernelExecution> future = new CompletableFuture<>();
        private final List<ObjectNode> outputs = new ArrayList<>();
        private boolean clearPending;
        private boolean idle;
        private Optional<ObjectNode> reply = Optional.empty();

        Collector(String msgId) {
            this.msgId = msgId;
        }

        synchronized void accept(KernelMessage message) {
            ObjectNode content = message.content();
            switch (message.msgType()) {
                case "stream" -> {
                    ObjectNode output = output("stream");
                    output.put("name", content.path("name").asText("stdout"));
                    output.put("text", content.path("text").asText(""));
                }
                case "display_data" -> {
                    ObjectNode output = output("display_data");
                    output.set("data", object(content, "data"));
                    output.set("metadata", object(content, "metadata"));
                }
                case "execute_result" -> {
                    ObjectNode output = output("execute_result");
                    output.set("execution_count", content.path("execution_count"));
                    output.set("data", object(content, "data"));
                    output.set("metadata", object(content, "metadata"));
                }
                case "error" -> {
                    ObjectNode output = output("error");
                    output.put("ename", content.path("ename").asText(""));
                    output.put("evalue", content.path("evalue").asText(""));
                    ArrayNode traceback = output.putArray("traceback");
                    content.path("traceback").forEach(line -> traceback.add(line.asText()));
                }
                case "clear_output" -> {
                    if (content.path("wait").asBoolean(false)) {
                        clearPending = true;
                    } else {
                        outputs.clear();
                    }
                }
                case "status" -> idle |= "idle".equals(content.path("execution_state").asText());
                case "execute_reply" -> reply = Optional.of(content);
                default -> {
                }
            }
            if (idle && reply.isPresent()) {
                ObjectNode replied = reply.get();
                JsonNode count = replied.path("execution_count");
                future.complete(new KernelExecution(msgId, replied.path("status").asText("error"),
                        count.isIntegralNumber() ? Optional.of(count.intValue()) : Optional.empty(), outputs, replied));
            }
        }

        private ObjectNode output(String type) {
            if (clearPending) {
                clearPending = false;
                outputs.clear();
            }
            ObjectNode output = Wire.JSON.createObjectNode();
            output.put("output_type", type);
            outputs.add(output);
            return output;
        }

        private static ObjectNode object(ObjectNode content, String field) {
            return content.get(field) instanceof ObjectNode value ? value : Wire.JSON.createObjectNode();
        }
    }
}
