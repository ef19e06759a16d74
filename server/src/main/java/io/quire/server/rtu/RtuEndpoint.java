package io.quire.server.rtu;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import io.quire.collab.Ack;
import io.quire.collab.Delta;
import io.quire.collab.DeltaCodec;
import io.quire.collab.DeltaRejectedException;
import io.quire.collab.rtu.RtuCodec;
import io.quire.collab.rtu.RtuEvent;
import io.quire.collab.rtu.RtuFormatException;
import io.quire.server.collab.FileContext;
import io.quire.server.team.TokenScopes;
import io.quire.store.ResourceRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real-time channel WebSocket, {@code /api/v1/rtu}: clients subscribe to notebooks, send deltas and presence, and
 * receive every delta of the files they subscribed to (their own included), acks, refusals and others' presence.
 * Events are {@link RtuEvent}s, one JSON object per text frame ({@link RtuCodec}); a client that connects with
 * {@code ?batch=true} may also get a JSON array of events in one frame, in order, when several wait for it at once
 * (no event is held back to make a batch; decision 0032).
 *
 * <p>Authentication happens on the upgrade, as for the kernel channels (HTTP filters do not see upgrades): the token
 * from {@code Authorization: token|Bearer} or {@code ?token=}, checked by {@link RtuAccess}; a refused upgrade gets an
 * HTTP error and no WebSocket. Permissions apply per event with the caller's role on the file: viewers and commenters
 * receive but every delta they send is {@code rejected} with code {@code forbidden}; executors may send execute
 * deltas and presence only; editors and owners anything. A file the caller cannot see and a file that does not exist
 * get the same {@code error not_found}.
 *
 * <p>Robustness: a frame that is not a valid event gets an {@code error bad_event} naming the problem and the
 * connection stays usable. A delta is acknowledged only after the sequencer persisted it; the delta itself reaches
 * every subscriber (the author first, before the ack) through the {@link RtuHub}. Each connection writes from its own
 * bounded {@link EventQueue} on its own virtual thread; a connection whose queue overflows (a slow or dead client)
 * loses what was queued, is unsubscribed from every file, and gets a {@code resync} per file. Nobody else waits.
 */
public final class RtuEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(RtuEndpoint.class);
    /** The largest event a client may send (joined fragments). */
    static final int MAX_INCOMING_CHARS = 16 * 1024 * 1024;

    private final RtuHub hub;
    private final RtuAccess access;
    /** Queued in place of an event: the writer sends a ping frame (so pings, too, are written by the writer only). */
    private static final String PING = new String("ping"); // compared by identity
    /** Queued in place of an event: the writer answers the client's last ping with a pong frame. */
    private static final String PONG = new String("pong"); // compared by identity
    /** The most events in one batch frame. */
    static final int MAX_BATCH_EVENTS = 256;
    /** The most characters in one batch frame beyond its first event. */
    static final long MAX_BATCH_CHARS = 256 * 1024;

    private final Optional<RtuExecution> execution;
    private final AtomicInteger open = new AtomicInteger();
    private final java.util.Set<Connection> connections = ConcurrentHashMap.newKeySet();

    /**
     * Creates the endpoint.
     *
     * @param hub    the node's fan-out
     * @param access who may connect, and to which files
     */
    public RtuEndpoint(RtuHub hub, RtuAccess access) {
        this(hub, access, Optional.empty());
    }

    /**
     * Creates the endpoint with shared execution: subscribing to a file opens its shared execution on this node, the
     * subscriber gets its status after {@code subscribed}, and {@code interrupt}, {@code restart} and
     * {@code shutdown_kernel} reach the file's kernel.
     *
     * @param hub       the node's fan-out
     * @param access    who may connect, and to which files
     * @param execution the node's shared execution, or empty for none (kernel control events get an error)
     */
    public RtuEndpoint(RtuHub hub, RtuAccess access, Optional<RtuExecution> execution) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.access = Objects.requireNonNull(access, "access");
        this.execution = Objects.requireNonNull(execution, "execution");
        java.time.Duration timeout = hub.options().idleTimeout();
        if (!timeout.isZero()) {
            java.util.concurrent.ScheduledExecutorService idle = java.util.concurrent.Executors
                    .newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("quire-rtu-idle").factory());
            long every = Math.max(1, timeout.toNanos() / 3);
            idle.scheduleWithFixedDelay(this::checkIdle, every, every, java.util.concurrent.TimeUnit.NANOSECONDS);
            hub.closeWith(idle::shutdownNow);
        }
    }

    /**
     * Pings connections silent for a third of the idle timeout and drops those silent for all of it (a client that
     * vanished without closing: its subscriptions and presence go, the socket is terminated).
     */
    private void checkIdle() {
        long timeout = hub.options().idleTimeout().toNanos();
        long now = System.nanoTime();
        for (Connection connection : connections) {
            try {
                long quiet = now - connection.lastHeard;
                if (quiet >= timeout) {
                    connection.drop("no answer to pings within " + hub.options().idleTimeout());
                } else if (quiet >= timeout / 3) {
                    connection.offer(PING);
                }
            } catch (RuntimeException e) {
                LOG.warn("checking rtu connection {} for idleness failed", connection.clientId, e);
            }
        }
    }

    /**
     * A listener for one new WebSocket connection.
     *
     * @return the listener
     */
    public WsListener newConnection() {
        return new Connection();
    }

    /** @return how many connections are open */
    public int connections() {
        return open.get();
    }

    /**
     * Whether a role may send a delta.
     *
     * @param role  the sender's role on the file
     * @param delta the delta
     * @return empty when allowed, else why not
     */
    static Optional<String> refusal(ResourceRole role, Delta delta) {
        if (role.atLeast(ResourceRole.EDITOR)) {
            return Optional.empty();
        }
        if (role.atLeast(ResourceRole.EXECUTOR) && delta instanceof Delta.ExecuteRequest) {
            return Optional.empty();
        }
        return Optional.of("the role " + role.dbName() + " may not send " + DeltaCodec.typeOf(delta) + " deltas"
                + (role.atLeast(ResourceRole.EXECUTOR) ? "; executors may only send execute deltas" : "; it only "
                + "receives"));
    }

    private final class Connection implements WsListener, Subscription.Sink {
        private final String clientId = UUID.randomUUID().toString();
        private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
        private final StringBuilder fragments = new StringBuilder();
        private final AtomicBoolean closed = new AtomicBoolean();
        private final Object overflowLock = new Object();
        private volatile RtuAccess.User user;
        private volatile EventQueue queue;
        /** The payload of the last ping the client sent, for the pong that answers it. */
        private volatile byte[] pongPayload = new byte[0];
        private volatile WsSession session;
        private volatile long lastHeard = System.nanoTime();
        /** The client asked for batches ({@code ?batch=true}): events queued together go out as one JSON array. */
        private volatile boolean batching;

        @Override
        public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
            String presented = headers.first(HeaderNames.AUTHORIZATION)
                    .map(value -> value.replaceFirst("(?i)^(token|bearer)\\s+", "").strip())
                    .or(() -> prologue.query().first("token").asOptional())
                    .orElse("");
            user = access.authenticate(presented).orElseThrow(() -> new WsUpgradeException(
                    "missing or invalid token"));
            batching = prologue.query().first("batch").asOptional().map(value -> value.equals("true")
                    || value.equals("1")).orElse(false);
            return Optional.empty();
        }

        @Override
        public void onOpen(WsSession wsSession) {
            session = wsSession;
            if (user == null) {
                wsSession.close(WsCloseCodes.VIOLATED_POLICY, "not upgraded through the rtu endpoint");
                return;
            }
            open.incrementAndGet();
            queue = new EventQueue(hub.options().maxQueuedEvents(), hub.options().maxQueuedBytes());
            lastHeard = System.nanoTime();
            connections.add(this);
            Thread.ofVirtual().name("quire-rtu-writer").start(this::write);
        }

        private void write() {
            try {
                while (true) {
                    List<String> next = batching ? queue.takeBatch(MAX_BATCH_EVENTS, MAX_BATCH_CHARS,
                            event -> event == PING || event == PONG) : queue.take().map(List::of).orElse(List.of());
                    if (next.isEmpty()) {
                        return;
                    }
                    if (next.getFirst() == PING) {
                        session.ping(BufferData.empty());
                    } else if (next.getFirst() == PONG) {
                        byte[] payload = pongPayload;
                        session.pong(payload.length == 0 ? BufferData.empty() : BufferData.create(payload));
                    } else if (next.size() == 1) {
                        session.send(next.getFirst(), true);
                    } else {
                        session.send("[" + String.join(",", next) + "]", true);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.debug("writing to an rtu WebSocket failed; closing it", e);
                detach();
            }
        }

        @Override
        public boolean offer(String text) {
            EventQueue current = queue;
            if (current == null || closed.get()) {
                return false;
            }
            if (current.offer(text)) {
                return true;
            }
            overflow();
            return false;
        }

        /** The client fell too far behind: drop what waits, end every subscription, tell it to resync. */
        private void overflow() {
            List<Subscription> dropped;
            synchronized (overflowLock) {
                queue.clear();
                dropped = new ArrayList<>(subscriptions.values());
                subscriptions.clear();
                dropped.forEach(Subscription::deactivate);
                for (Subscription subscription : dropped) {
                    queue.offer(RtuCodec.write(new RtuEvent.Resync(subscription.fileId(), "the client fell more than "
                            + hub.options().maxQueuedEvents() + " events or " + hub.options().maxQueuedBytes()
                            + " bytes behind; subscribe again from the last seq applied")));
                }
            }
            LOG.info("rtu client {} fell too far behind; told to resync {} file(s)", clientId, dropped.size());
            dropped.forEach(subscription -> subscription.topic().leave(subscription));
        }

        @Override
        public void onMessage(WsSession wsSession, String text, boolean last) {
            lastHeard = System.nanoTime();
            if (!last || fragments.length() > 0) {
                if (fragments.length() + (long) text.length() > MAX_INCOMING_CHARS) {
                    fragments.setLength(0);
                    wsSession.close(WsCloseCodes.TOO_BIG, "event larger than " + MAX_INCOMING_CHARS + " characters");
                    return;
                }
                fragments.append(text);
                if (!last) {
                    return;
                }
            }
            String whole = fragments.length() > 0 ? fragments.toString() : text;
            fragments.setLength(0);
            handle(whole);
        }

        @Override
        public void onMessage(WsSession wsSession, BufferData buffer, boolean last) {
            lastHeard = System.nanoTime();
            if (last) {
                offer(RtuCodec.write(new RtuEvent.Error("bad_event", "binary frames are not events: send JSON text "
                        + "frames", Optional.empty())));
            }
        }

        private void handle(String text) {
            RtuEvent.Client event;
            try {
                event = RtuCodec.readClient(text);
            } catch (RtuFormatException e) {
                offer(RtuCodec.write(new RtuEvent.Error("bad_event", e.getMessage(), Optional.empty())));
                return;
            }
            try {
                switch (event) {
                    case RtuEvent.Subscribe subscribe -> subscribe(subscribe);
                    case RtuEvent.Unsubscribe unsubscribe -> {
                        Subscription subscription = subscriptions.remove(unsubscribe.fileId());
                        if (subscription == null) {
                            error("not_subscribed", "not subscribed to " + unsubscribe.fileId(),
                                    unsubscribe.fileId());
                        } else {
                            subscription.topic().leave(subscription);
                        }
                    }
                    case RtuEvent.SendDelta send -> submit(send);
                    case RtuEvent.SetPresence presence -> {
                        Subscription subscription = subscriptions.get(presence.fileId());
                        if (subscription == null) {
                            error("not_subscribed", "subscribe to " + presence.fileId() + " before sending presence",
                                    presence.fileId());
                        } else {
                            subscription.topic().presence(subscription, presence.cellId(), presence.cursor());
                        }
                    }
                    case RtuEvent.Ping ignored -> offer(RtuCodec.write(new RtuEvent.Pong()));
                    case RtuEvent.KernelControl control -> control(control);
                }
            } catch (RuntimeException e) {
                LOG.warn("rtu event {} from client {} failed", event.type(), clientId, e);
                error("unavailable", "the server could not handle this " + event.type() + " event: " + e,
                        fileOf(event));
            }
        }

        /** Whether the connection's API token (team mode) may be used for a scope; single-user tokens may do all. */
        private boolean scopeAllows(String scope) {
            return user.caller().map(caller -> caller.allows(scope)).orElse(true);
        }

        private void subscribe(RtuEvent.Subscribe subscribe) {
            String fileId = subscribe.fileId();
            Optional<RtuAccess.File> file;
            try {
                file = access.open(user, fileId);
            } catch (RtuAccess.NotANotebookException e) {
                file = Optional.empty();
            }
            if (file.isEmpty()) {
                error("not_found", "no notebook with id " + fileId, Optional.of(fileId));
                return;
            }
            if (!scopeAllows(TokenScopes.CONTENTS_READ)) {
                error("insufficient_scope", "this API token may not read notebooks: subscribing needs the scope '"
                        + TokenScopes.CONTENTS_READ + "'", Optional.of(fileId));
                return;
            }
            RtuHub.Topic topic;
            try {
                topic = hub.topic(file.get());
            } catch (RtuAccess.NotANotebookException e) {
                error("not_found", "no notebook with id " + fileId, Optional.of(fileId));
                return;
            }
            Subscription previous = subscriptions.remove(fileId);
            if (previous != null) {
                previous.topic().leave(previous);
            }
            Subscription subscription = new Subscription(this, fileId, topic, user.author(), clientId,
                    file.get().role());
            synchronized (overflowLock) {
                subscriptions.put(fileId, subscription);
            }
            UUID logId = file.get().logId();
            execution.ifPresent(shared -> shared.open(logId, topic.log, new FileContext(user.caller()
                    .map(caller -> caller.organisation().toString()), Optional.empty())));
            topic.subscribe(subscription, subscribe.fromSeq());
            execution.ifPresent(shared -> shared.sendStatus(logId, subscription));
        }

        private void control(RtuEvent.KernelControl control) {
            Subscription subscription = subscriptions.get(control.fileId());
            if (subscription == null) {
                error("not_subscribed", "subscribe to " + control.fileId() + " before sending " + control.action(),
                        control.fileId());
                return;
            }
            if (!subscription.role().atLeast(ResourceRole.EXECUTOR)) {
                error("forbidden", "the role " + subscription.role().dbName() + " may not " + control.action()
                        + " the kernel; executors, editors and owners may", control.fileId());
                return;
            }
            if (!scopeAllows(TokenScopes.KERNELS_EXECUTE)) {
                error("insufficient_scope", "this API token may not " + control.action() + " kernels: it needs the"
                        + " scope '" + TokenScopes.KERNELS_EXECUTE + "'", control.fileId());
                return;
            }
            if (execution.isEmpty()) {
                error("unavailable", "this server runs no shared kernels", control.fileId());
                return;
            }
            execution.get().control(subscription.topic().log.fileId(), control, user.author());
        }

        private void submit(RtuEvent.SendDelta send) {
            Delta delta = send.delta();
            Subscription subscription = subscriptions.get(send.fileId());
            if (subscription == null) {
                reject(send, "not_subscribed", "subscribe to " + send.fileId() + " before sending deltas");
                return;
            }
            Optional<String> refusal = refusal(subscription.role(), delta);
            if (refusal.isPresent()) {
                reject(send, "forbidden", refusal.get());
                return;
            }
            String scope = delta instanceof Delta.ExecuteRequest ? TokenScopes.KERNELS_EXECUTE
                    : TokenScopes.CONTENTS_WRITE;
            if (!scopeAllows(scope)) {
                reject(send, "insufficient_scope", "this API token may not send " + DeltaCodec.typeOf(delta)
                        + " deltas: it needs the scope '" + scope + "'");
                return;
            }
            if (!delta.header().author().equals(user.author())) {
                reject(send, "wrong_author", "deltas on this connection must carry the author '" + user.author()
                        + "', got '" + delta.header().author() + "'");
                return;
            }
            RtuHub.Topic topic = subscription.topic();
            Ack ack;
            try {
                ack = topic.log.submit(delta);
            } catch (DeltaRejectedException e) {
                reject(send, e.reason().code(), e.getMessage());
                return;
            } catch (RuntimeException e) {
                LOG.warn("sequencing delta {} of file {} failed", delta.deltaId(), send.fileId(), e);
                reject(send, "unavailable", "the delta could not be sequenced now; send it again: " + e.getMessage());
                return;
            }
            topic.pump();
            offer(RtuCodec.write(new RtuEvent.Ack(send.fileId(), ack.deltaId(), ack.seq())));
        }

        private void reject(RtuEvent.SendDelta send, String code, String message) {
            offer(RtuCodec.write(new RtuEvent.Rejected(send.fileId(), send.delta().deltaId(), code, message)));
        }

        private void error(String code, String message, Optional<String> fileId) {
            offer(RtuCodec.write(new RtuEvent.Error(code, message, fileId)));
        }

        private void error(String code, String message, String fileId) {
            error(code, message, Optional.of(fileId));
        }

        private static Optional<String> fileOf(RtuEvent.Client event) {
            return switch (event) {
                case RtuEvent.Subscribe e -> Optional.of(e.fileId());
                case RtuEvent.Unsubscribe e -> Optional.of(e.fileId());
                case RtuEvent.SendDelta e -> Optional.of(e.fileId());
                case RtuEvent.SetPresence e -> Optional.of(e.fileId());
                case RtuEvent.Ping ignored -> Optional.empty();
                case RtuEvent.KernelControl e -> Optional.of(e.fileId());
            };
        }

        @Override
        public void onPong(WsSession wsSession, BufferData buffer) {
            lastHeard = System.nanoTime();
        }

        @Override
        public void onPing(WsSession wsSession, BufferData buffer) {
            lastHeard = System.nanoTime();
            // a client's heartbeat (it takes a connection without answers for lost): answered by the writer, the
            // only thread that writes frames; the web server does not answer pings itself
            byte[] payload = new byte[buffer.available()];
            buffer.read(payload);
            pongPayload = payload;
            EventQueue current = queue;
            if (current != null && !closed.get()) {
                current.offer(PONG); // a full queue (a client far behind) goes without: it is resynced anyway
            }
        }

        /** Forgets the connection and terminates its socket (off the caller's thread: that may block). */
        void drop(String why) {
            if (closed.get()) {
                connections.remove(this);
                return;
            }
            LOG.info("dropping rtu client {}: {}", clientId, why);
            detach();
            WsSession current = session;
            Thread.ofVirtual().name("quire-rtu-drop").start(() -> {
                try {
                    current.terminate();
                } catch (RuntimeException e) {
                    LOG.debug("terminating rtu client {} failed", clientId, e);
                }
            });
        }

        @Override
        public void onClose(WsSession wsSession, int status, String reason) {
            detach();
        }

        @Override
        public void onError(WsSession wsSession, Throwable error) {
            LOG.debug("rtu WebSocket error", error);
            detach();
        }

        private void detach() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            connections.remove(this);
            List<Subscription> left = new ArrayList<>(subscriptions.values());
            subscriptions.clear();
            left.forEach(subscription -> subscription.topic().leave(subscription));
            EventQueue current = queue;
            if (current != null) {
                current.clear();
                current.close();
                open.decrementAndGet();
            }
        }
    }
}
