package io.quire.server.jupyter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import io.quire.kernel.Channel;
import io.quire.kernel.KernelClient;
import io.quire.kernel.KernelException;
import io.quire.kernel.RawMessage;
import io.quire.kernel.Registration;
import io.quire.kernels.KernelConnection;
import io.quire.kernels.KernelManager;
import io.quire.kernels.KernelNotFoundException;
import io.quire.server.http.JsonBodies;
import io.quire.server.observe.ServerMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel channels WebSocket, {@code /api/kernels/{id}/channels}: relays Jupyter messages between WebSocket
 * clients and a kernel, as Jupyter Server does.
 *
 * <p>Design: all WebSocket connections of one kernel share the kernel's one ZeroMQ client. A client's messages are
 * signed and sent unchanged (its header, and so its {@code session} and {@code msg_id}, kept); IOPub goes to every
 * connection; shell, control and stdin messages go only to the connection whose request they answer (by parent
 * {@code msg_id}, remembered per connection). Both wire formats are served: JSON text frames, and the binary
 * {@code v1.kernel.websocket.jupyter.org} subprotocol when the client offers it. The token is checked on the upgrade
 * request ({@code ?token=} or {@code Authorization}), since HTTP filters do not see WebSocket upgrades. A frame that
 * is not a kernel message closes the connection with 1007; the server keeps serving.
 */
public final class KernelChannels {
    private static final Logger LOG = LoggerFactory.getLogger(KernelChannels.class);
    private static final Pattern PATH = Pattern.compile("^/api/kernels/([^/]+)/channels/?$");
    private static final int REMEMBERED_REQUESTS = 10_000;

    private final KernelManager kernels;
    private final byte[] token;
    private final ServerMetrics metrics;
    private final Map<String, Set<Connection>> byKernel = new ConcurrentHashMap<>();

    /**
     * Creates the endpoint.
     *
     * @param kernels the kernel manager
     * @param token   the server token
     * @param metrics counts executions and IOPub messages
     */
    public KernelChannels(KernelManager kernels, String token, ServerMetrics metrics) {
        this.kernels = kernels;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.metrics = metrics;
    }

    /**
     * A new listener for one WebSocket connection.
     *
     * @return the listener
     */
    public WsListener newConnection() {
        return new Connection();
    }

    /**
     * How many WebSocket connections are open.
     *
     * @return the count
     */
    public int connections() {
        return byKernel.values().stream().mapToInt(Set::size).sum();
    }

    /**
     * Tells every connection of a kernel that it is restarting (a synthesized {@code status: restarting}), as
     * Jupyter Server does.
     *
     * @param kernelId the kernel
     */
    public void restarting(String kernelId) {
        broadcastStatus(kernelId, "restarting");
    }

    /**
     * After a restart, re-attaches every connection of a kernel to its (possibly new) client.
     *
     * @param kernelId the kernel
     */
    public void restarted(String kernelId) {
        for (Connection connection : byKernel.getOrDefault(kernelId, Set.of())) {
            connection.bind();
        }
    }

    /**
     * Closes every connection of a kernel that was shut down.
     *
     * @param kernelId the kernel
     */
    public void shutDown(String kernelId) {
        broadcastStatus(kernelId, "dead");
        for (Connection connection : byKernel.getOrDefault(kernelId, Set.of())) {
            connection.close(WsCloseCodes.NORMAL_CLOSE, "kernel shut down");
        }
    }

    private void broadcastStatus(String kernelId, String state) {
        for (Connection connection : byKernel.getOrDefault(kernelId, Set.of())) {
            ObjectNode header = JsonBodies.MAPPER.createObjectNode();
            header.put("msg_id", UUID.randomUUID().toString());
            header.put("msg_type", "status");
            header.put("session", "quire-server");
            header.put("username", "quire");
            header.put("date", Instant.now().toString());
            header.put("version", "5.3");
            ObjectNode content = JsonBodies.MAPPER.createObjectNode();
            content.put("execution_state", state);
            connection.deliver(Channel.IOPUB, new RawMessage(header, JsonBodies.MAPPER.createObjectNode(),
                    JsonBodies.MAPPER.createObjectNode(), content, List.of()));
        }
    }

    /** One WebSocket connection. */
    private final class Connection implements WsListener {
        private final Set<String> requests = Collections.newSetFromMap(Collections.synchronizedMap(
                new LinkedHashMap<>(256, 0.75f, false) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                        return size() > REMEMBERED_REQUESTS;
                    }
                }));
        private volatile String kernelId;
        private volatile WsSession session;
        private volatile boolean v1;
        private volatile KernelConnection attachment;
        private volatile Registration registration;
        private volatile KernelClient client;

        @Override
        public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
            Matcher matcher = PATH.matcher(prologue.uriPath().rawPath());
            if (!matcher.matches()) {
                throw new WsUpgradeException("not a kernel channels path");
            }
            String presented = headers.first(HeaderNames.AUTHORIZATION)
                    .map(value -> value.replaceFirst("(?i)^(token|bearer)\\s+", "").strip())
                    .or(() -> prologue.query().first("token").asOptional())
                    .orElse("");
            if (!MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
                throw new WsUpgradeException("missing or invalid token");
            }
            String id = matcher.group(1);
            if (kernels.get(id).isEmpty()) {
                throw new WsUpgradeException("no kernel with id " + id);
            }
            kernelId = id;
            boolean offered = headers.first(HeaderNames.create("Sec-WebSocket-Protocol"))
                    .map(value -> List.of(value.split("\\s*,\\s*")).contains(WsFrames.V1)).orElse(false);
            if (!offered) {
                return Optional.empty();
            }
            v1 = true;
            WritableHeaders<?> response = WritableHeaders.create();
            response.set(HeaderNames.create("Sec-WebSocket-Protocol"), WsFrames.V1);
            return Optional.of(response);
        }

        @Override
        public void onOpen(WsSession wsSession) {
            session = wsSession;
            if (kernelId == null) {
                wsSession.close(WsCloseCodes.VIOLATED_POLICY, "not upgraded through the kernel channels endpoint");
                return;
            }
            try {
                attachment = kernels.attach(kernelId);
            } catch (KernelNotFoundException e) {
                wsSession.close(WsCloseCodes.VIOLATED_POLICY, "no such kernel");
                return;
            }
            byKernel.computeIfAbsent(kernelId, key -> ConcurrentHashMap.newKeySet()).add(this);
            bind();
        }

        /** Listens to the kernel's current client (again, after a restart that replaced it). */
        synchronized void bind() {
            KernelClient current;
            try {
                current = kernels.running(kernelId).client();
            } catch (KernelException e) {
                close(WsCloseCodes.UNEXPECTED_CONDITION, "kernel unavailable: " + e.getMessage());
                return;
            }
            if (current == client && registration != null) {
                return;
            }
            if (registration != null) {
                registration.close();
            }
            client = current;
            registration = current.onAnyMessage(this::fromKernel);
        }

        private void fromKernel(Channel channel, RawMessage message) {
            if (channel == Channel.IOPUB) {
                metrics.iopubMessage();
            }
            if (channel == Channel.IOPUB || message.parentMsgId().filter(requests::contains).isPresent()) {
                deliver(channel, message);
            }
        }

        void deliver(Channel channel, RawMessage message) {
            WsSession current = session;
            if (current == null) {
                return;
            }
            try {
                if (v1) {
                    current.send(BufferData.create(bytes(WsFrames.toV1(channel, message))), true);
                } else if (message.buffers().isEmpty()) {
                    current.send(WsFrames.toJsonText(channel, message), true);
                } else {
                    current.send(BufferData.create(bytes(WsFrames.toLegacyBinary(channel, message))), true);
                }
            } catch (RuntimeException e) {
                LOG.debug("could not deliver a {} message to a closed WebSocket of kernel {}", channel, kernelId, e);
            }
        }

        @Override
        public void onMessage(WsSession wsSession, String text, boolean last) {
            handle(() -> WsFrames.fromJsonText(text));
        }

        @Override
        public void onMessage(WsSession wsSession, BufferData buffer, boolean last) {
            byte[] data = buffer.readBytes();
            handle(() -> v1 ? WsFrames.fromV1(ByteBuffer.wrap(data)) : WsFrames.fromLegacyBinary(ByteBuffer.wrap(data)));
        }

        private void handle(java.util.function.Supplier<WsFrames.Frame> decode) {
            WsFrames.Frame frame;
            try {
                frame = decode.get();
            } catch (WsFrames.FrameException e) {
                close(WsCloseCodes.NOT_CONSISTENT, "not a kernel message: " + e.getMessage());
                return;
            }
            if (frame.channel() == Channel.IOPUB) {
                return;
            }
            String msgId = frame.message().header().path("msg_id").asText("");
            if (msgId.isEmpty() || frame.message().header().path("msg_type").asText("").isEmpty()) {
                close(WsCloseCodes.NOT_CONSISTENT, "a kernel message needs header.msg_id and header.msg_type");
                return;
            }
            requests.add(msgId);
            try {
                client.send(frame.channel(), frame.message());
                if (frame.channel() == Channel.SHELL && frame.message().msgType().equals("execute_request")) {
                    metrics.executionRequested();
                }
            } catch (KernelException | IllegalArgumentException e) {
                LOG.debug("could not send a {} message to kernel {}: {}", frame.channel(), kernelId, e.getMessage());
            }
        }

        void close(int code, String reason) {
            WsSession current = session;
            if (current != null) {
                try {
                    current.close(code, reason.length() > 120 ? reason.substring(0, 120) : reason);
                } catch (RuntimeException e) {
                    LOG.debug("closing a WebSocket failed", e);
                }
            }
            cleanUp();
        }

        @Override
        public void onClose(WsSession wsSession, int status, String reason) {
            cleanUp();
        }

        @Override
        public void onError(WsSession wsSession, Throwable error) {
            LOG.debug("WebSocket error on kernel {}", kernelId, error);
            cleanUp();
        }

        private synchronized void cleanUp() {
            session = null;
            if (registration != null) {
                registration.close();
                registration = null;
            }
            if (attachment != null) {
                attachment.close();
                attachment = null;
            }
            if (kernelId != null) {
                Set<Connection> connections = byKernel.get(kernelId);
                if (connections != null) {
                    connections.remove(this);
                }
            }
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
