package io.quire.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/*
 * The KernelClient implementation. Sockets belong to ZmqIoLoop; this class encodes and signs outgoing
 * messages on the caller's thread, verifies and routes incoming ones on the I/O thread, and never runs
 * user code on the I/O thread: listeners run on the callback executor, serialised per execution (and
 * one serial queue for the client-wide IOPub listeners).
 *
 * Routing: every request registers a Tracker under its msg_id before it is sent; shell/control replies,
 * stdin input requests and IOPub messages find their tracker by parent msg_id. Messages whose parent is
 * unknown go to the client-wide IOPub listeners only (IOPub) or are counted as unrouted.
 *
 * Pass-through: every verified message of every channel is also handed, as a RawMessage, to each
 * onAnyMessage listener through that listener's own ListenerQueue (arrival order, off the I/O thread, one
 * slow listener does not hold up another).
 *
 * Bounded queues: every listener queue (each onAnyMessage listener, each execution, the client-wide IOPub
 * listeners) holds at most options.listenerQueueLimit() IOPub output messages; beyond that, output is shed for
 * that listener only, counted in iopubShed and logged once per burst. Replies, input requests and lifecycle
 * IOPub messages are always queued, so no request ever misses its answer (ListenerQueue has the details). Raw messages sent by callers are signed with this client's key
 * but otherwise go out as given, so their answers carry the caller's header and reach only these listeners.
 *
 * Liveness: the heartbeat (after its first answer) or the owner (markDead, e.g. on process exit) can
 * declare the kernel gone; every tracker then fails with KernelDiedException and new requests fail at
 * once until the heartbeat resumes or the owner revives the client after a restart.
 */
final class ZmqKernelClient implements KernelClient, KernelIo.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(ZmqKernelClient.class);

    private final ConnectionInfo info;
    private final KernelClientOptions options;
    private final Wire wire;
    private final String session = UUID.randomUUID().toString();
    private final Map<String, Tracker> trackers = new ConcurrentHashMap<>();
    private final List<IopubListener> iopubListeners = new CopyOnWriteArrayList<>();
    private final List<RawSubscriber> rawListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ClientState>> stateListeners = new CopyOnWriteArrayList<>();
    private final ListenerQueue globalCallbacks;
    private final AtomicReference<ClientState> state = new AtomicReference<>(ClientState.CONNECTED);
    private final AtomicReference<String> deathReason = new AtomicReference<>("");
    private final LongAdder received = new LongAdder();
    private final LongAdder badSignatures = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder unrouted = new LongAdder();
    private final LongAdder heartbeatFailures = new LongAdder();
    private final LongAdder iopubShed = new LongAdder();
    private final AtomicInteger rawListenerCount = new AtomicInteger();
    private final KernelIo io;
    private final List<RawMessageListener> directListeners = new CopyOnWriteArrayList<>();

    private ZmqKernelClient(ConnectionInfo info, KernelClientOptions options) {
        if (!info.transport().equals("tcp")) {
            throw new KernelProtocolException("only the tcp transport is supported, not '" + info.transport() + "'");
        }
        this.info = info;
        this.options = options;
        this.wire = new Wire(info.key(), info.signatureScheme());
        this.globalCallbacks = newQueue("IOPub listeners");
        this.io = KernelIo.open(info, options.heartbeatInterval(), options.heartbeatMisses(), this);
    }

    static ZmqKernelClient connect(ConnectionInfo info, KernelClientOptions options) {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(options, "options");
        return new ZmqKernelClient(info, options);
    }

    @Override
    public ConnectionInfo connectionInfo() {
        return info;
    }

    @Override
    public String sessionId() {
        return session;
    }

    // ------------------------------------------------------------------ requests

    @Override
    public KernelInfo kernelInfo(Duration timeout) {
        ensureUsable();
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<Message> reply = new CompletableFuture<>();
        CompletableFuture<Void> iopubSeen = new CompletableFuture<>();
        CompletableFuture<Message> ready = reply.thenCombine(iopubSeen, (message, ignored) -> message);
        List<String> sent = new ArrayList<>();
        try {
            while (true) {
                Header header = header("kernel_info_request");
                trackers.put(header.msgId(), new Tracker.Reply(reply, iopubSeen));
                sent.add(header.msgId());
                send(Channel.SHELL, Message.create(header, Optional.empty(), Json.object()));
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new KernelTimeoutException("kernel " + describe() + " not ready within " + timeout);
                }
                try {
                    Message message = ready.get(Math.min(remaining, options.nudgeInterval().toNanos()),
                            TimeUnit.NANOSECONDS);
                    return KernelInfo.fromJson(checked(message));
                } catch (java.util.concurrent.TimeoutException e) {
                    // not ready yet: nudge again
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof KernelException k
                            ? rethrow(k)
                            : new KernelException("kernel_info failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KernelException("interrupted while waiting for kernel " + describe(), e);
                }
            }
        } finally {
            sent.forEach(trackers::remove);
        }
    }

    @Override
    public PendingExecution execute(ExecuteRequest request, ExecutionListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        Header header = header("execute_request");
        ExecutionTracker tracker = new ExecutionTracker(header.msgId(), listener,
                newQueue("listener of execution " + header.msgId()),
                this::sendInputReply, options.iopubGrace(), () -> trackers.remove(header.msgId()));
        PendingExecution pending = new PendingExecution(header.msgId(), tracker.result);
        Optional<KernelException> unusable = unusable();
        if (unusable.isPresent()) {
            tracker.fail(unusable.get());
            return pending;
        }
        trackers.put(header.msgId(), tracker);
        try {
            send(Channel.SHELL, Message.create(header, Optional.empty(), request.toJson()));
        } catch (KernelException e) {
            tracker.fail(e);
        }
        // a death reported between the check and the registration must not leave this tracker behind
        unusable().ifPresent(tracker::fail);
        return pending;
    }

    @Override
    public CompleteReply complete(String code, int cursorPos) {
        return CompleteReply.fromJson(call(Channel.SHELL, "complete_request",
                Json.object().put("code", code).put("cursor_pos", cursorPos)));
    }

    @Override
    public InspectReply inspect(String code, int cursorPos, int detailLevel) {
        return InspectReply.fromJson(call(Channel.SHELL, "inspect_request",
                Json.object().put("code", code).put("cursor_pos", cursorPos).put("detail_level", detailLevel)));
    }

    @Override
    public IsCompleteReply isComplete(String code) {
        return IsCompleteReply.fromJson(call(Channel.SHELL, "is_complete_request", Json.object().put("code", code)));
    }

    @Override
    public HistoryReply history(HistoryRequest request) {
        return HistoryReply.fromJson(call(Channel.SHELL, "history_request", request.toJson()));
    }

    @Override
    public CommInfoReply commInfo(Optional<String> targetName) {
        ObjectNode content = Json.object();
        targetName.ifPresent(name -> content.put("target_name", name));
        return CommInfoReply.fromJson(call(Channel.SHELL, "comm_info_request", content));
    }

    @Override
    public String openComm(String commId, String targetName, ObjectNode data, List<byte[]> buffers) {
        ObjectNode content = Json.object().put("comm_id", commId).put("target_name", targetName);
        content.set("data", data);
        return fireAndForget("comm_open", content, buffers);
    }

    @Override
    public String sendCommMessage(String commId, ObjectNode data, List<byte[]> buffers) {
        ObjectNode content = Json.object().put("comm_id", commId);
        content.set("data", data);
        return fireAndForget("comm_msg", content, buffers);
    }

    @Override
    public String closeComm(String commId, ObjectNode data) {
        ObjectNode content = Json.object().put("comm_id", commId);
        content.set("data", data);
        return fireAndForget("comm_close", content, List.of());
    }

    @Override
    public void interruptRequest() {
        call(Channel.CONTROL, "interrupt_request", Json.object());
    }

    @Override
    public void shutdown(boolean restart) {
        call(Channel.CONTROL, "shutdown_request", Json.object().put("restart", restart));
    }

    /** Sends shutdown_request without waiting for the reply (the kernel may exit before answering). */
    void shutdownAsync(boolean restart) {
        if (unusable().isEmpty()) {
            send(Channel.CONTROL, Message.create(header("shutdown_request"), Optional.empty(),
                    Json.object().put("restart", restart)));
        }
    }

    @Override
    public void send(Channel channel, RawMessage message) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(message, "message");
        if (channel != Channel.SHELL && channel != Channel.CONTROL && channel != Channel.STDIN) {
            throw new IllegalArgumentException("raw messages can be sent on shell, control or stdin, not " + channel);
        }
        if (message.msgId().isEmpty() || message.msgType().isEmpty()) {
            throw new IllegalArgumentException("a raw message needs a non-empty msg_id and msg_type in its header but got "
                    + message.header());
        }
        ensureUsable();
        io.send(channel, wire.encode(message));
    }

    private String fireAndForget(String msgType, ObjectNode content, List<byte[]> buffers) {
        ensureUsable();
        Header header = header(msgType);
        send(Channel.SHELL, new Message(List.of(), header, Optional.empty(), Json.object(), content, buffers));
        return header.msgId();
    }

    private ObjectNode call(Channel channel, String msgType, ObjectNode content) {
        ensureUsable();
        Header header = header(msgType);
        Tracker.Reply tracker = new Tracker.Reply();
        trackers.put(header.msgId(), tracker);
        try {
            send(channel, Message.create(header, Optional.empty(), content));
            unusable().ifPresent(tracker::fail);
            return checked(PendingExecution.Futures.await(tracker.reply, options.requestTimeout(), msgType));
        } finally {
            trackers.remove(header.msgId());
        }
    }

    private static ObjectNode checked(Message reply) {
        ObjectNode content = reply.content();
        if ("error".equals(Json.text(content, "status"))) {
            throw new KernelReplyException(reply.msgType(), Json.text(content, "ename"), Json.text(content, "evalue"));
        }
        return content;
    }

    private static KernelException rethrow(KernelException e) {
        if (e instanceof KernelDiedException) {
            return new KernelDiedException(e.getMessage(), e);
        }
        return new KernelException(e.getMessage(), e);
    }

    private void sendInputReply(Message inputRequest, String value) {
        if (unusable().isPresent()) {
            return;
        }
        Header header = header("input_reply");
        send(Channel.STDIN, Message.create(header, Optional.of(inputRequest.header()), Json.object().put("value", value)));
    }

    private ListenerQueue newQueue(String listener) {
        return new ListenerQueue(options.callbackExecutor(), options.listenerQueueLimit(), iopubShed,
                listener + " of kernel " + describe());
    }

    private Header header(String msgType) {
        return Header.create(msgType, session, options.username(), options.clock());
    }

    private void send(Channel channel, Message message) {
        io.send(channel, wire.encode(message));
    }

    // ------------------------------------------------------------------ liveness

    private Optional<KernelException> unusable() {
        return switch (state.get()) {
            case CONNECTED -> Optional.empty();
            case UNRESPONSIVE, DEAD -> Optional.of(new KernelDiedException("kernel " + describe() + " is dead: "
                    + deathReason.get()));
            case CLOSED -> Optional.of(new KernelException("client of kernel " + describe() + " is closed"));
        };
    }

    private void ensureUsable() {
        Optional<KernelException> failure = unusable();
        if (failure.isPresent()) {
            throw failure.get();
        }
    }

    private String describe() {
        return info.kernelName().isEmpty() ? info.ip() + ":" + info.shellPort() : info.kernelName();
    }

    /** Declares the kernel dead: all requests in flight fail, new ones fail at once. */
    void markDead(String reason) {
        deathReason.set(reason);
        if (transition(ClientState.DEAD)) {
            failAll(new KernelDiedException("kernel " + describe() + " died: " + reason));
        }
    }

    /** Makes a client usable again after its kernel was restarted on the same connection info. */
    void revive() {
        io.resetHeartbeat();
        ClientState previous = state.get();
        if (previous != ClientState.CLOSED) {
            transition(ClientState.CONNECTED);
        }
    }

    /** Fails every request in flight, e.g. when the kernel is restarted under them. */
    void failAll(KernelException failure) {
        for (String id : List.copyOf(trackers.keySet())) {
            Tracker tracker = trackers.remove(id);
            if (tracker != null) {
                tracker.fail(failure);
            }
        }
    }

    private boolean transition(ClientState next) {
        ClientState previous;
        do {
            previous = state.get();
            if (previous == next || previous == ClientState.CLOSED) {
                return false;
            }
        } while (!state.compareAndSet(previous, next));
        for (Consumer<ClientState> listener : stateListeners) {
            globalCallbacks.execute(() -> listener.accept(next));
        }
        return true;
    }

    @Override
    public void onHeartbeat(boolean alive) {
        if (alive) {
            if (state.compareAndSet(ClientState.UNRESPONSIVE, ClientState.CONNECTED)) {
                LOG.info("kernel {} answers heartbeats again", describe());
                stateListeners.forEach(l -> globalCallbacks.execute(() -> l.accept(ClientState.CONNECTED)));
            }
            return;
        }
        heartbeatFailures.increment();
        String reason = "no heartbeat answer for " + options.heartbeatMisses() + " x " + options.heartbeatInterval();
        if (state.get() == ClientState.CONNECTED) {
            deathReason.set(reason);
            if (transition(ClientState.UNRESPONSIVE)) {
                LOG.warn("kernel {} is unresponsive: {}", describe(), reason);
                failAll(new KernelDiedException("kernel " + describe() + " is unresponsive: " + reason));
            }
        }
    }

    // ------------------------------------------------------------------ incoming (I/O thread)

    @Override
    public void onFrames(Channel channel, List<byte[]> frames) {
        switch (wire.decode(frames)) {
            case Wire.Rejected(Wire.Reason reason, String detail) -> {
                if (reason == Wire.Reason.BAD_SIGNATURE) {
                    badSignatures.increment();
                } else {
                    malformed.increment();
                }
                LOG.warn("dropped a {} message from kernel {}: {}", channel, describe(), detail);
            }
            case Wire.Valid(Message message, RawMessage raw) -> {
                received.increment();
                for (RawMessageListener direct : directListeners) {
                    try {
                        direct.onMessage(channel, raw);
                    } catch (RuntimeException e) {
                        LOG.error("a direct listener of kernel {} failed on a {} message", describe(), channel, e);
                    }
                }
                for (RawSubscriber subscriber : rawListeners) {
                    Runnable call = () -> subscriber.listener.onMessage(channel, raw);
                    if (channel == Channel.IOPUB) {
                        subscriber.queue.offerIopub(raw.msgType(), call);
                    } else {
                        subscriber.queue.execute(call);
                    }
                }
                route(channel, message);
            }
        }
    }

    private void route(Channel channel, Message message) {
        Optional<Tracker> tracker = message.parentMsgId().map(trackers::get);
        if (channel == Channel.IOPUB) {
            IopubEvent event = IopubEvent.of(message);
            for (IopubListener listener : iopubListeners) {
                globalCallbacks.offerIopub(message.msgType(), () -> listener.onMessage(message, event));
            }
            tracker.ifPresent(t -> t.onIopub(message, event));
            return;
        }
        if (tracker.isEmpty()) {
            if (rawListeners.isEmpty()) {
                unrouted.increment();
            }
            return;
        }
        if (channel == Channel.STDIN) {
            tracker.get().onStdin(message);
        } else {
            tracker.get().onReply(message);
        }
    }

    // ------------------------------------------------------------------ listeners, state, close

    @Override
    public Registration onIopub(IopubListener listener) {
        Objects.requireNonNull(listener, "listener");
        iopubListeners.add(listener);
        return () -> iopubListeners.remove(listener);
    }

    @Override
    public Registration onAnyMessage(RawMessageListener listener) {
        Objects.requireNonNull(listener, "listener");
        RawSubscriber subscriber = new RawSubscriber(listener, newQueue("onAnyMessage listener #" + rawListenerCount.incrementAndGet()));
        rawListeners.add(subscriber);
        return () -> rawListeners.remove(subscriber);
    }

    @Override
    public Registration onAnyMessageDirect(RawMessageListener listener) {
        Objects.requireNonNull(listener, "listener");
        RawMessageListener wrapped = listener::onMessage; // identity per registration
        directListeners.add(wrapped);
        return () -> directListeners.remove(wrapped);
    }

    /** One onAnyMessage listener and its own serial queue (identity semantics: one per registration). */
    private static final class RawSubscriber {
        final RawMessageListener listener;
        final ListenerQueue queue;

        RawSubscriber(RawMessageListener listener, ListenerQueue queue) {
            this.listener = listener;
            this.queue = queue;
        }
    }

    @Override
    public Registration onStateChange(Consumer<ClientState> listener) {
        Objects.requireNonNull(listener, "listener");
        stateListeners.add(listener);
        return () -> stateListeners.remove(listener);
    }

    /**
     * Waits until the stdin socket has completed its handshake with the kernel: before that, an {@code input_request}
     * the kernel addresses to this client is dropped by the kernel's socket and the kernel waits for an answer forever.
     *
     * @param timeout how long to wait
     * @return whether it has
     */
    boolean awaitStdin(Duration timeout) {
        return io.awaitStdin(timeout);
    }

    @Override
    public ClientState state() {
        return state.get();
    }

    @Override
    public ClientMetrics metrics() {
        return new ClientMetrics(received.sum(), badSignatures.sum(), malformed.sum(), unrouted.sum(),
                heartbeatFailures.sum(), iopubShed.sum());
    }

    @Override
    public void close() {
        ClientState previous = state.getAndSet(ClientState.CLOSED);
        if (previous == ClientState.CLOSED) {
            return;
        }
        for (Consumer<ClientState> listener : stateListeners) {
            globalCallbacks.execute(() -> listener.accept(ClientState.CLOSED));
        }
        failAll(new KernelException("client of kernel " + describe() + " was closed"));
        io.close();
    }
}
