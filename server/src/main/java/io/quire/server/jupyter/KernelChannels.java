package io.quire.server.jupyter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
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
import io.quire.kernels.ManagedKernelInfo;
import io.quire.server.http.JsonBodies;
import io.quire.server.observe.ServerMetrics;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel channels WebSocket, {@code /api/kernels/{id}/channels}: relays Jupyter messages between WebSocket
 * clients and a kernel, as Jupyter Server does.
 *
 * <p>Design. All WebSocket connections of one kernel share the kernel's one ZeroMQ client, through one <em>relay</em>
 * per kernel that listens to it ({@link KernelClient#onAnyMessageDirect}, on the kernel client's receiving thread:
 * dispatching only enqueues) and dispatches under its lock: IOPub to every
 * connection (and to every buffering session); shell, control and stdin messages only to the session whose request
 * they answer (by parent {@code msg_id}, remembered per session). A client's messages are signed and sent unchanged
 * (its header, and so its {@code session} and {@code msg_id}, kept). Both wire formats are served: JSON text frames,
 * and the binary {@code v1.kernel.websocket.jupyter.org} subprotocol when the client offers it. The token is checked
 * on the upgrade request ({@code ?token=} or {@code Authorization}), since HTTP filters do not see WebSocket
 * upgrades. Fragmented client messages are joined (up to 100 MiB, else 1009). A message that is not a kernel message
 * closes the connection with 1007; the server keeps serving.
 *
 * <p>Backpressure. Each connection has a bounded {@link OutboundQueue} drained by its own writer thread, so a stalled
 * client delays neither the kernel nor other clients. A connection whose queue overflows is closed with 1008 (its
 * writer sends the close once it can; after {@link ChannelsOptions#closeGrace()} the socket is aborted), and what it
 * had not written yet is kept for its session as below.
 *
 * <p>Direct writes (decision 0040). When a connection's queue is empty and its writer idle, the kernel client's
 * receiving thread writes a message of at most {@value #DIRECT_MAX_BYTES} bytes itself, after the relay's lock is
 * released, instead of waking the writer: one thread hand-off less per message, which is most of what the relay
 * costs on a small machine. Messages that arrive meanwhile queue behind it. Only
 * {@link ChannelsOptions#directWriteBudget()} bytes per second and connection go this way, so a flood of output goes
 * through the queue and its bounds as above. A direct write can only block when the client stopped reading with its
 * socket buffers full; the idle writer, which looks every second, then aborts the connection once the write has gone
 * on for {@link ChannelsOptions#directWriteStall()} (its session buffers what was queued): that bounds how long the
 * kernel's other listeners wait for such a client.
 *
 * <p>Rate limiting. Each connection has an {@link IopubRateLimiter}; while a limit is exceeded, output messages are
 * dropped and the client gets a synthesized stderr {@code stream} saying so, and another when output resumes.
 *
 * <p>Reconnection. A connection belongs to the session named by its {@code session_id} query parameter (or to a
 * private one without it). When the last connection of a named session goes away, the relay buffers that session's
 * IOPub and replies (bounded, oldest dropped) for {@link ChannelsOptions#bufferTimeout()}; a connection that comes
 * back with the same {@code session_id} gets the buffer replayed in order before live messages, and replies to
 * requests of its predecessor. Other sessions never get a session's replies. A relay with neither connections nor
 * buffering sessions stops listening and is dropped.
 */
public final class KernelChannels {
    private static final Logger LOG = LoggerFactory.getLogger(KernelChannels.class);
    private static final Pattern PATH = Pattern.compile("^/api/kernels/([^/]+)/channels/?$");
    private static final int REMEMBERED_REQUESTS = 10_000;
    private static final int MAX_BUFFERING_SESSIONS = 16;
    /** The largest message a client may send, as the HTTP body limit's default (Jupyter Server has the same). */
    private static final long MAX_INCOMING_MESSAGE = 100L * 1024 * 1024;
    /** The largest message written directly by the kernel client's thread; larger ones go through the writer. */
    static final int DIRECT_MAX_BYTES = 16 * 1024;
    private static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How often an idle writer checks for a stalled direct write. */
    private static final long STALL_CHECK_MILLIS = 1000;

    private final KernelManager kernels;
    private final BiPredicate<String, ManagedKernelInfo> access;
    private final ServerMetrics metrics;
    private final ChannelsOptions options;
    private final LongSupplier ticker;
    private final Map<String, Relay> relays = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("quire-channels-timer").factory());

    /**
     * Creates the endpoint with {@link ChannelsOptions#defaults()}.
     *
     * @param kernels the kernel manager
     * @param token   the server token
     * @param metrics counts executions and IOPub messages
     */
    public KernelChannels(KernelManager kernels, String token, ServerMetrics metrics) {
        this(kernels, token, metrics, ChannelsOptions.defaults(), System::nanoTime);
    }

    /**
     * Creates the endpoint.
     *
     * @param kernels the kernel manager
     * @param token   the server token
     * @param metrics counts executions and IOPub messages
     * @param options queue, rate and buffering limits
     * @param ticker  the current time in nanoseconds, such as {@code System::nanoTime} (rate windows, buffer expiry)
     */
    public KernelChannels(KernelManager kernels, String token, ServerMetrics metrics, ChannelsOptions options,
            LongSupplier ticker) {
        this(kernels, sharedToken(token), metrics, options, ticker);
    }

    /**
     * Creates the endpoint with its own rule for who may connect to which kernel (team mode: a token of the store,
     * whose organisation owns the kernel).
     *
     * @param kernels the kernel manager
     * @param access  given the token presented on the upgrade ({@code ""} when none) and the kernel, whether the
     *                connection is allowed; a refusal answers as for a kernel that does not exist
     * @param metrics counts executions and IOPub messages
     * @param options queue, rate and buffering limits
     * @param ticker  the current time in nanoseconds, such as {@code System::nanoTime} (rate windows, buffer expiry)
     */
    public KernelChannels(KernelManager kernels, BiPredicate<String, ManagedKernelInfo> access, ServerMetrics metrics,
            ChannelsOptions options, LongSupplier ticker) {
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.access = Objects.requireNonNull(access, "access");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.options = Objects.requireNonNull(options, "options");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    private static BiPredicate<String, ManagedKernelInfo> sharedToken(String token) {
        byte[] expected = token.getBytes(StandardCharsets.UTF_8);
        return (presented, kernel) -> MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
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
        return open.get();
    }

    /**
     * Tells every connection of a kernel that it is restarting (a synthesized {@code status: restarting}), as
     * Jupyter Server does.
     *
     * @param kernelId the kernel
     */
    public void restarting(String kernelId) {
        Relay relay = relays.get(kernelId);
        if (relay != null) {
            relay.dispatch(Channel.IOPUB, status("restarting"));
        }
    }

    /**
     * After a restart, re-attaches the kernel's connections to its (possibly new) client.
     *
     * @param kernelId the kernel
     */
    public void restarted(String kernelId) {
        Relay relay = relays.get(kernelId);
        if (relay != null) {
            try {
                relay.bind();
            } catch (KernelException e) {
                relay.shutDown(WsCloseCodes.UNEXPECTED_CONDITION, "kernel unavailable after restart: " + e.getMessage());
            }
        }
    }

    /**
     * Closes every connection of a kernel that was shut down (after a synthesized {@code status: dead}) and drops
     * what was buffered for its sessions.
     *
     * @param kernelId the kernel
     */
    public void shutDown(String kernelId) {
        Relay relay = relays.get(kernelId);
        if (relay != null) {
            relay.dispatch(Channel.IOPUB, status("dead"));
            relay.shutDown(WsCloseCodes.NORMAL_CLOSE, "kernel shut down");
        }
    }

    /**
     * Tells every connection of a kernel something from the server: an IOPub {@code stream} on stderr with no parent
     * (JupyterLab shows unparented output nowhere; Quire's clients show it as a kernel notice) and
     * {@code metadata.quire.notice} naming the kind, e.g. {@code cull} before an idle kernel is culled.
     *
     * @param kernelId the kernel
     * @param kind     a machine-readable kind
     * @param text     the human-readable notice
     */
    public void notice(String kernelId, String kind, String text) {
        Relay relay = relays.get(kernelId);
        if (relay != null) {
            RawMessage message = stderr(JsonBodies.MAPPER.createObjectNode(), text);
            ObjectNode metadata = JsonBodies.MAPPER.createObjectNode();
            metadata.putObject("quire").put("notice", kind);
            relay.dispatch(Channel.IOPUB, new RawMessage(message.header(), message.parentHeader(), metadata,
                    message.content(), List.of()));
        }
    }

    /**
     * Closes every connection of every kernel with 1001 (going away), after what is queued for each was written, and
     * drops what was buffered for reconnecting sessions; for a server that stops.
     *
     * @param reason the close reason
     */
    public void closeAll(String reason) {
        for (Relay relay : List.copyOf(relays.values())) {
            relay.shutDown(WsCloseCodes.GOING_AWAY, reason);
        }
    }

    private static RawMessage status(String state) {
        ObjectNode content = JsonBodies.MAPPER.createObjectNode();
        content.put("execution_state", state);
        return synthesized("status", JsonBodies.MAPPER.createObjectNode(), content);
    }

    private static RawMessage stderr(ObjectNode parentHeader, String text) {
        ObjectNode content = JsonBodies.MAPPER.createObjectNode();
        content.put("name", "stderr");
        content.put("text", text);
        return synthesized("stream", parentHeader, content);
    }

    private static RawMessage synthesized(String msgType, ObjectNode parentHeader, ObjectNode content) {
        ObjectNode header = JsonBodies.MAPPER.createObjectNode();
        header.put("msg_id", UUID.randomUUID().toString());
        header.put("msg_type", msgType);
        header.put("session", "quire-server");
        header.put("username", "quire");
        header.put("date", Instant.now().toString());
        header.put("version", "5.3");
        return new RawMessage(header, parentHeader, JsonBodies.MAPPER.createObjectNode(), content, List.of());
    }

    private String exceededText(IopubRateLimiter.Limit limit) {
        String window = formatNumber(options.rateLimitWindow().toMillis() / 1000.0);
        return switch (limit) {
            case MESSAGES -> "Quire paused this kernel's output: it sent more than "
                    + formatNumber(options.iopubMsgRateLimit()) + " output messages per second (averaged over "
                    + window + " s), more than the browser should be asked to render. Output is dropped until the "
                    + "rate falls; the code keeps running. The limit is the server setting iopub-msg-rate-limit.\n";
            case DATA -> "Quire paused this kernel's output: it printed more than "
                    + formatNumber(options.iopubDataRateLimit()) + " bytes per second (averaged over " + window
                    + " s), more than the browser should be asked to render. Output is dropped until the rate "
                    + "falls; the code keeps running. The limit is the server setting iopub-data-rate-limit.\n";
        };
    }

    /** A close reason fits a control frame (123 bytes of UTF-8) on one line. */
    static String closeReason(String reason) {
        String line = reason.replaceAll("\\s+", " ").strip();
        while (line.getBytes(StandardCharsets.UTF_8).length > 120) {
            line = line.substring(0, line.length() - 1);
        }
        return line;
    }

    private static String formatNumber(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /** One session: the requests it sent, its open connections, and its buffer while it has none. */
    private static final class SessionRoute {
        final String key;
        final boolean named;
        final Map<String, Connection> requests = new LinkedHashMap<>(256, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Connection> eldest) {
                return size() > REMEMBERED_REQUESTS;
            }
        };
        final Set<Connection> live = new LinkedHashSet<>();
        ReplayBuffer buffer;
        long deadline;

        SessionRoute(String key, boolean named) {
            this.key = key;
            this.named = named;
        }
    }

    /** The kernel side: one listener on the kernel's client, dispatching to connections and session buffers. */
    private final class Relay {
        private final String kernelId;
        private final ReentrantLock lock = new ReentrantLock();
        private final List<Connection> live = new ArrayList<>();
        private final Map<String, SessionRoute> sessions = new HashMap<>();
        private KernelClient client;
        private Registration registration;
        private boolean retired;

        Relay(String kernelId) {
            this.kernelId = kernelId;
        }

        /**
         * Listens to the kernel's current client, unless already listening to it.
         *
         * @throws KernelException when the kernel is not running
         */
        void bind() {
            KernelClient current = kernels.running(kernelId).client();
            lock.lock();
            try {
                if (retired || (current == client && registration != null)) {
                    return;
                }
                if (registration != null) {
                    registration.close();
                }
                client = current;
                registration = current.onAnyMessageDirect(this::dispatch); // dispatch only enqueues
            } finally {
                lock.unlock();
            }
        }

        /** Adds a connection, replaying its session's buffer first; false when this relay was retired. */
        boolean join(Connection connection) {
            lock.lock();
            try {
                if (retired) {
                    return false;
                }
                expireBuffers();
                SessionRoute session = sessions.computeIfAbsent(connection.sessionKey,
                        key -> new SessionRoute(key, connection.named));
                if (session.buffer != null) {
                    replay(session, connection);
                }
                session.live.add(connection);
                live.add(connection);
                connection.route = session;
                open.incrementAndGet();
                return true;
            } finally {
                lock.unlock();
            }
        }

        private void replay(SessionRoute session, Connection connection) {
            ReplayBuffer buffer = session.buffer;
            session.buffer = null;
            List<Outbound> messages = buffer.messages();
            LOG.debug("replaying {} messages ({} dropped) to session {} of kernel {}", messages.size(),
                    buffer.dropped(), session.key, kernelId);
            if (buffer.dropped() > 0) {
                ObjectNode parent = messages.isEmpty() ? JsonBodies.MAPPER.createObjectNode()
                        : messages.getFirst().message().parentHeader();
                connection.enqueue(new Outbound(Channel.IOPUB, stderr(parent, "Quire dropped " + buffer.dropped()
                        + " kernel messages while this client was disconnected (it keeps the last "
                        + options.maxBufferedMessages() + " messages or " + options.maxBufferedBytes()
                        + " bytes); what follows is the rest.\n")));
            }
            for (Outbound message : messages) {
                connection.enqueue(message);
            }
        }

        /** Remembers that a connection sent a request, so the replies find its session. */
        void remember(Connection connection, String msgId) {
            lock.lock();
            try {
                SessionRoute session = connection.route;
                if (session != null) {
                    session.requests.put(msgId, connection);
                }
            } finally {
                lock.unlock();
            }
        }

        /**
         * Removes a connection. Its unsent messages, when asked, start the buffer of its session if it was the
         * session's last connection.
         */
        void leave(Connection connection, List<Outbound> unsent, boolean buffer) {
            boolean retire;
            lock.lock();
            try {
                if (!live.remove(connection)) {
                    return;
                }
                open.decrementAndGet();
                SessionRoute session = connection.route;
                session.live.remove(connection);
                if (session.live.isEmpty()) {
                    if (buffer && session.named && options.bufferTimeout().toNanos() > 0) {
                        startBuffering(session, unsent);
                    } else {
                        sessions.remove(session.key);
                    }
                }
                retire = retireIfIdle();
            } finally {
                lock.unlock();
            }
            if (retire) {
                relays.remove(kernelId, this);
            }
        }

        private void startBuffering(SessionRoute session, List<Outbound> unsent) {
            session.buffer = new ReplayBuffer(options.maxBufferedMessages(), options.maxBufferedBytes());
            unsent.forEach(session.buffer::add);
            session.deadline = ticker.getAsLong() + options.bufferTimeout().toNanos();
            LOG.debug("buffering for session {} of kernel {} for {}", session.key, kernelId, options.bufferTimeout());
            List<SessionRoute> buffering = sessions.values().stream().filter(other -> other.buffer != null).toList();
            if (buffering.size() > MAX_BUFFERING_SESSIONS) {
                buffering.stream().min((a, b) -> Long.compare(a.deadline, b.deadline))
                        .ifPresent(oldest -> sessions.remove(oldest.key));
            }
            timer.schedule(this::expire, options.bufferTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }

        /** Drops the buffers whose time is up; retires the relay when nothing is left. */
        void expire() {
            boolean retire;
            lock.lock();
            try {
                expireBuffers();
                retire = retireIfIdle();
            } finally {
                lock.unlock();
            }
            if (retire) {
                relays.remove(kernelId, this);
            }
        }

        private void expireBuffers() {
            long now = ticker.getAsLong();
            Iterator<SessionRoute> sessionsLeft = sessions.values().iterator();
            while (sessionsLeft.hasNext()) {
                SessionRoute session = sessionsLeft.next();
                if (session.buffer != null && now - session.deadline >= 0) {
                    LOG.debug("dropping the buffer of session {} of kernel {}: nobody reconnected in {}", session.key,
                            kernelId, options.bufferTimeout());
                    sessionsLeft.remove();
                }
            }
        }

        private boolean retireIfIdle() {
            if (retired || !live.isEmpty() || !sessions.isEmpty()) {
                return false;
            }
            retired = true;
            if (registration != null) {
                registration.close();
                registration = null;
            }
            return true;
        }

        /** Sends a client's message to the kernel. */
        void send(Channel channel, RawMessage message) {
            KernelClient current;
            lock.lock();
            try {
                current = client;
            } finally {
                lock.unlock();
            }
            if (current == null) {
                throw new KernelException("kernel " + kernelId + " has no client");
            }
            current.send(channel, message);
        }

        /** Routes one kernel message (called one at a time by the kernel client, and for synthesized messages). */
        void dispatch(Channel channel, RawMessage message) {
            Outbound outbound = new Outbound(channel, message);
            List<Connection> direct = new ArrayList<>(2);
            lock.lock();
            try {
                route(channel, outbound, direct);
            } finally {
                lock.unlock();
            }
            for (Connection connection : direct) {
                connection.writeClaimed(outbound);
            }
        }

        /** Under the lock: queues the message, or adds the connections that claimed to be written to directly. */
        private void route(Channel channel, Outbound outbound, List<Connection> direct) {
            RawMessage message = outbound.message();
            if (channel == Channel.IOPUB) {
                // taken first: a connection that overflows below starts a buffer that already holds this message
                List<ReplayBuffer> buffers = sessions.values().stream().map(session -> session.buffer)
                        .filter(Objects::nonNull).toList();
                for (Connection connection : List.copyOf(live)) {
                    connection.relayIopub(outbound, direct);
                }
                buffers.forEach(buffer -> buffer.add(outbound));
                return;
            }
            Optional<String> parent = message.parentMsgId();
            if (parent.isEmpty()) {
                return;
            }
            for (SessionRoute session : sessions.values()) {
                Connection sender = session.requests.get(parent.get());
                if (sender == null && !session.requests.containsKey(parent.get())) {
                    continue;
                }
                if (session.live.contains(sender)) {
                    sender.enqueue(outbound, direct);
                } else if (!session.live.isEmpty()) {
                    session.live.iterator().next().enqueue(outbound, direct);
                } else if (session.buffer != null) {
                    session.buffer.add(outbound);
                }
                return;
            }
        }

        /** Closes every connection and forgets every session. */
        void shutDown(int code, String reason) {
            List<Connection> closing;
            lock.lock();
            try {
                closing = List.copyOf(live);
                open.addAndGet(-live.size());
                live.clear();
                sessions.clear();
                retireIfIdle();
            } finally {
                lock.unlock();
            }
            relays.remove(kernelId, this);
            for (Connection connection : closing) {
                connection.closeAfterPending(code, reason);
            }
        }
    }

    /** One WebSocket connection. */
    private final class Connection implements WsListener {
        private final AtomicBoolean detached = new AtomicBoolean();
        private final StringBuilder textFragments = new StringBuilder();
        private final ByteArrayOutputStream binaryFragments = new ByteArrayOutputStream();
        private volatile String kernelId;
        private volatile String sessionKey;
        private volatile boolean named;
        private volatile WsSession session;
        private volatile boolean v1;
        private volatile KernelConnection attachment;
        private volatile Relay relay;
        private volatile OutboundQueue queue;
        private volatile Thread writer;
        /** Guarded by the relay's lock. */
        private SessionRoute route;
        /** Touched only under the relay's lock. */
        private IopubRateLimiter limiter;
        /** Direct writes in the current second: when it began, and bytes so far. Touched only under the relay's lock. */
        private long directSecond;
        private long directBytes;

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
            String id = matcher.group(1);
            Optional<ManagedKernelInfo> kernel = kernels.get(id);
            // one answer for both: a caller must not learn which kernel ids exist
            if (kernel.isEmpty() || !access.test(presented, kernel.get())) {
                throw new WsUpgradeException("missing or invalid token, or no kernel with id " + id);
            }
            kernelId = id;
            Optional<String> sessionId = prologue.query().first("session_id").asOptional().filter(s -> !s.isBlank());
            named = sessionId.isPresent();
            sessionKey = sessionId.orElseGet(() -> "\u0000private-" + UUID.randomUUID());
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
                // it existed at the upgrade: it was shut down meanwhile, as shutDown(kernelId) tells joined clients
                wsSession.close(WsCloseCodes.NORMAL_CLOSE, "kernel shut down");
                return;
            }
            limiter = IopubRateLimiter.create(options, ticker);
            queue = new OutboundQueue(options.maxQueuedMessages(), options.maxQueuedBytes());
            // a platform thread: waking it is one futex, where a virtual thread's wake-up also goes through the
            // ForkJoinPool scheduler; measured p99 0.5-0.8 ms added per 1+1 against 0.9-2.2 ms (decision 0031)
            writer = Thread.ofPlatform().daemon().stackSize(256 * 1024).name("quire-ws-writer-" + kernelId)
                    .start(this::write);
            while (true) {
                Relay candidate = relays.computeIfAbsent(kernelId, Relay::new);
                try {
                    candidate.bind();
                } catch (KernelNotFoundException e) {
                    candidate.expire();
                    closeAfterPending(WsCloseCodes.NORMAL_CLOSE, "kernel shut down");
                    return;
                } catch (KernelException e) {
                    candidate.expire();
                    closeAfterPending(WsCloseCodes.UNEXPECTED_CONDITION, "kernel unavailable: " + e.getMessage());
                    return;
                }
                if (candidate.join(this)) {
                    relay = candidate;
                    return;
                }
                relays.remove(kernelId, candidate);
            }
        }

        /** The writer thread: writes queued messages in order until told to close or the socket fails. */
        private void write() {
            try {
                while (true) {
                    Optional<OutboundQueue.Item> item = queue.take(stallCheckMillis(), TimeUnit.MILLISECONDS);
                    if (item.isEmpty()) {
                        abortIfDirectWriteStalled();
                        continue;
                    }
                    try {
                        switch (item.get()) {
                            case OutboundQueue.Write write -> write.message().sendTo(session, v1);
                            case OutboundQueue.Pong pong -> session.pong(pong.payload().length == 0
                                    ? BufferData.empty() : BufferData.create(pong.payload()));
                            case OutboundQueue.Close close -> {
                                session.close(close.code(), closeReason(close.reason()));
                                return;
                            }
                        }
                    } finally {
                        queue.finished();
                    }
                }
            } catch (InterruptedException e) {
                LOG.debug("the writer of a WebSocket of kernel {} was interrupted", kernelId);
            } catch (RuntimeException e) {
                LOG.debug("writing to a WebSocket of kernel {} failed; closing it", kernelId, e);
                detach(true);
            }
        }

        /**
         * A message the kernel client's thread claimed to write itself (see {@link #enqueue(Outbound, List)}), after
         * the relay's lock was released. A failure closes the connection as the writer's would.
         */
        void writeClaimed(Outbound outbound) {
            try {
                outbound.sendTo(session, v1);
            } catch (RuntimeException e) {
                LOG.debug("writing to a WebSocket of kernel {} failed; closing it", kernelId, e);
                detach(true);
            } finally {
                queue.finished();
            }
        }

        /** How long the idle writer waits between looks at a direct write: a second, or the stall limit if shorter. */
        private long stallCheckMillis() {
            return Math.max(1, Math.min(STALL_CHECK_MILLIS, options.directWriteStall().toMillis()));
        }

        /** On the writer thread: a direct write that has not finished in time means the client stopped reading. */
        private void abortIfDirectWriteStalled() {
            if (!queue.claimStalled(System.nanoTime(), options.directWriteStall().toNanos())) {
                return;
            }
            LOG.warn("aborting a WebSocket of kernel {} (session {}): a message could not be written for {}; the "
                    + "client stopped reading", kernelId, named ? sessionKey : "none", options.directWriteStall());
            try {
                if (session.socketContext() instanceof ConnectionContext context) {
                    context.serverSocket().close();
                }
            } catch (RuntimeException e) {
                LOG.debug("aborting a WebSocket socket failed", e);
            }
        }

        /** An IOPub message: through the rate limiter, with notices of its transitions. Under the relay's lock. */
        void relayIopub(Outbound outbound, List<Connection> direct) {
            RawMessage message = outbound.message();
            String type = message.msgType();
            long size = type.equals("stream") ? outbound.size() : 0;
            IopubRateLimiter.Decision decision = limiter.admit(type,
                    message.content().path("execution_state").asText(""), size);
            for (IopubRateLimiter.Transition transition : decision.transitions()) {
                String text = switch (transition) {
                    case IopubRateLimiter.Exceeded exceeded -> exceededText(exceeded.limit());
                    case IopubRateLimiter.Resumed resumed -> "Quire resumed this kernel's output; " + resumed.dropped()
                            + " output messages were not shown.\n";
                };
                LOG.info("kernel {}: {}", kernelId, text.strip());
                enqueue(new Outbound(Channel.IOPUB, stderr(message.parentHeader(), text)));
            }
            if (decision.relay() && enqueue(outbound, direct)) {
                metrics.iopubMessage();
            }
        }

        /**
         * Queues a message, or, when nothing waits for this connection and nobody writes to it, claims it for a
         * direct write and adds this connection to {@code direct}: the caller then calls {@link #writeClaimed} once
         * it released the relay's lock. Under the relay's lock.
         *
         * @param direct where to add this connection for a direct write; null to always queue
         * @return false when the connection is gone or was closed as too slow
         */
        boolean enqueue(Outbound outbound, List<Connection> direct) {
            OutboundQueue current = queue;
            if (detached.get()) {
                return false;
            }
            if (direct != null && options.directWriteBudget() > 0) {
                long now = ticker.getAsLong();
                long length = outbound.wireLength(v1);
                if (now - directSecond >= SECOND_NANOS) {
                    directSecond = now;
                    directBytes = 0;
                }
                if (length <= DIRECT_MAX_BYTES && directBytes + length <= options.directWriteBudget()
                        && current.claim(System.nanoTime())) {
                    directBytes += length;
                    direct.add(this);
                    return true;
                }
            }
            return enqueue(outbound);
        }

        /** Queues a message; a full queue closes this connection as too slow. Under the relay's lock. */
        boolean enqueue(Outbound outbound) {
            OutboundQueue current = queue;
            if (detached.get()) {
                return false;
            }
            if (current.offer(outbound)) {
                return true;
            }
            List<Outbound> unsent = new ArrayList<>(current.drain());
            unsent.add(outbound);
            LOG.warn("closing a WebSocket of kernel {} (session {}): the client fell more than {} messages or {} "
                    + "bytes behind", kernelId, named ? sessionKey : "none", options.maxQueuedMessages(),
                    options.maxQueuedBytes());
            requestClose(WsCloseCodes.VIOLATED_POLICY, "client too slow: more than " + options.maxQueuedMessages()
                    + " messages or " + options.maxQueuedBytes() + " bytes waiting");
            detach(true, unsent);
            return false;
        }

        /** A client's ping is answered by the writer, the only thread that writes frames (the web server does not). */
        @Override
        public void onPing(WsSession wsSession, BufferData buffer) {
            OutboundQueue current = queue;
            if (current != null) {
                byte[] payload = new byte[buffer.available()];
                buffer.read(payload);
                current.pong(payload);
            }
        }

        @Override
        public void onMessage(WsSession wsSession, String text, boolean last) {
            // clients may split a message into fragments (the JDK client does above 16 KiB): join them first
            if (!last || textFragments.length() > 0) {
                if (textFragments.length() + (long) text.length() > MAX_INCOMING_MESSAGE) {
                    closeAfterPending(WsCloseCodes.TOO_BIG, "message larger than " + MAX_INCOMING_MESSAGE + " bytes");
                    return;
                }
                textFragments.append(text);
                if (!last) {
                    return;
                }
            }
            String whole = textFragments.length() > 0 ? textFragments.toString() : text;
            textFragments.setLength(0);
            handle(() -> WsFrames.fromJsonText(whole));
        }

        @Override
        public void onMessage(WsSession wsSession, BufferData buffer, boolean last) {
            byte[] data = buffer.readBytes();
            if (!last || binaryFragments.size() > 0) {
                if (binaryFragments.size() + (long) data.length > MAX_INCOMING_MESSAGE) {
                    closeAfterPending(WsCloseCodes.TOO_BIG, "message larger than " + MAX_INCOMING_MESSAGE + " bytes");
                    return;
                }
                binaryFragments.writeBytes(data);
                if (!last) {
                    return;
                }
                data = binaryFragments.toByteArray();
                binaryFragments.reset();
            }
            byte[] whole = data;
            handle(() -> v1 ? WsFrames.fromV1(ByteBuffer.wrap(whole)) : WsFrames.fromLegacyBinary(ByteBuffer.wrap(whole)));
        }

        private void handle(Supplier<WsFrames.Frame> decode) {
            Relay current = relay;
            if (current == null || detached.get()) {
                return;
            }
            WsFrames.Frame frame;
            try {
                frame = decode.get();
            } catch (WsFrames.FrameException e) {
                closeAfterPending(WsCloseCodes.NOT_CONSISTENT, "not a kernel message: " + e.getMessage());
                return;
            }
            if (frame.channel() == Channel.IOPUB) {
                return;
            }
            String msgId = frame.message().header().path("msg_id").asText("");
            if (msgId.isEmpty() || frame.message().header().path("msg_type").asText("").isEmpty()) {
                closeAfterPending(WsCloseCodes.NOT_CONSISTENT, "a kernel message needs header.msg_id and header.msg_type");
                return;
            }
            current.remember(this, msgId);
            try {
                current.send(frame.channel(), frame.message());
                if (frame.channel() == Channel.SHELL && frame.message().msgType().equals("execute_request")) {
                    metrics.executionRequested();
                }
            } catch (KernelException | IllegalArgumentException e) {
                LOG.debug("could not send a {} message to kernel {}: {}", frame.channel(), kernelId, e.getMessage());
            }
        }

        /** Writes what is queued, then closes; nothing is buffered for the session. */
        void closeAfterPending(int code, String reason) {
            requestClose(code, reason);
            detach(false);
        }

        /** Tells the writer to close; aborts the socket when the close is not written within the grace. */
        private void requestClose(int code, String reason) {
            OutboundQueue current = queue;
            if (current == null) {
                WsSession wsSession = session;
                if (wsSession != null) {
                    wsSession.close(code, closeReason(reason));
                }
                return;
            }
            if (current.close(code, reason)) {
                timer.schedule(this::abortIfStuck, options.closeGrace().toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        private void abortIfStuck() {
            Thread current = writer;
            if (current == null || !current.isAlive()) {
                return;
            }
            LOG.warn("aborting a WebSocket of kernel {}: its close was not written within {}", kernelId,
                    options.closeGrace());
            try {
                if (session.socketContext() instanceof ConnectionContext context) {
                    context.serverSocket().close();
                }
            } catch (RuntimeException e) {
                LOG.debug("aborting a WebSocket socket failed", e);
            }
            current.interrupt();
        }

        @Override
        public void onClose(WsSession wsSession, int status, String reason) {
            detach(true);
            requestClose(WsCloseCodes.NORMAL_CLOSE, "closed");
        }

        @Override
        public void onError(WsSession wsSession, Throwable error) {
            LOG.debug("WebSocket error on kernel {}", kernelId, error);
            detach(true);
            requestClose(WsCloseCodes.UNEXPECTED_CONDITION, "error");
        }

        private void detach(boolean buffer) {
            OutboundQueue current = queue;
            detach(buffer, buffer && current != null ? current.drain() : List.of());
        }

        /** Leaves the relay once (unsent messages go to the session's buffer when asked) and the kernel's count. */
        private void detach(boolean buffer, List<Outbound> unsent) {
            if (!detached.compareAndSet(false, true)) {
                return;
            }
            Relay current = relay;
            if (current != null) {
                current.leave(this, unsent, buffer);
            }
            KernelConnection counted = attachment;
            if (counted != null) {
                counted.close();
            }
        }
    }
}
