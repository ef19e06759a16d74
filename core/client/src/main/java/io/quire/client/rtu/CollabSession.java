package io.quire.client.rtu;

import io.quire.collab.ClientDocument;
import io.quire.collab.Delta;
import io.quire.collab.DeltaHeader;
import io.quire.collab.rtu.RtuCodec;
import io.quire.collab.rtu.RtuEvent;
import io.quire.collab.rtu.RtuFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.notebook.Cell;
import io.quire.notebook.Notebook;
import io.quire.notebook.Output;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A live copy of one notebook on the real-time channel: it applies every delta of the file's log in order, sends the
 * caller's changes as deltas (client-chosen ids), and keeps a local document that shows the caller's changes at once
 * and converges with everyone else's ({@link ClientDocument}: one delta in flight, the rest buffered, transformed
 * against incoming deltas as the server does).
 *
 * <p>Connections. Each session has one WebSocket at a time. After {@link #disconnect()} (or a lost connection),
 * {@link #reconnect()} subscribes again from the last seq applied, gets the missed deltas (or a snapshot when too far
 * behind) and sends the delta that was in flight again; its id makes that idempotent, so nothing is applied twice. A
 * {@code resync} from the server (this client fell too far behind) and a gap in the seqs are handled the same way,
 * on the open connection.
 *
 * <p>Thread-safe: state is guarded by the session's monitor. Events are handled on the WebSocket's thread, or on an
 * executor given at {@link RtuClient#open(String, Duration, Consumer, Executor) open}: an editor passes its UI thread's,
 * so that remote changes reach the session's document only between its own edits, never while it is making one.
 */
public final class CollabSession implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private volatile RtuClient client;
    private final String fileId;
    private final Consumer<RtuEvent.Server> listener;
    private final Executor events;

    // guarded by this
    private ClientDocument document;
    private Connection connection;
    private boolean subscribing;
    /** Told of lost and regained connections; null unless {@link #keepConnected} was called. */
    private Consumer<Boolean> keeper;
    private Duration keeperMaxWait;
    private boolean reconnecting;
    private boolean closed;
    private String role = "";
    private String clientId = "";
    private RtuException failure;
    private final List<RtuEvent.Rejected> rejections = new ArrayList<>();
    private final List<RtuEvent.Error> errors = new ArrayList<>();
    private final Map<String, RtuEvent.Presence> others = new LinkedHashMap<>();

    CollabSession(RtuClient client, String fileId, Consumer<RtuEvent.Server> listener, Executor events) {
        this.client = Objects.requireNonNull(client, "client");
        this.fileId = Objects.requireNonNull(fileId, "fileId");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.events = Objects.requireNonNull(events, "events");
    }

    /** @return the v1 file id */
    public String fileId() {
        return fileId;
    }

    /** @return the document with this client's outstanding changes (what a user sees) */
    public synchronized Notebook document() {
        return requireDocument().document();
    }

    /** @return the document as the server's log has it at {@link #seq()} */
    public synchronized Notebook confirmed() {
        return requireDocument().confirmed();
    }

    /** @return the seq of the last log delta applied */
    public synchronized long seq() {
        return requireDocument().seq();
    }

    /**
     * What the last log delta of another author did to {@link #document()}: that delta transformed against this
     * client's unsent changes ({@link ClientDocument#lastLocalEffect()}). Meant to be read from the listener of the
     * {@link RtuEvent.DeltaEvent} it belongs to, with events handled on the thread that also makes the edits.
     *
     * @return the change, or empty (own delta, or not one delta: compare documents)
     */
    public synchronized Optional<Delta> lastLocalEffect() {
        return document == null ? Optional.empty() : document.lastLocalEffect();
    }

    /** @return the ids of the cells of {@link #document()}, in order */
    public synchronized List<String> cellIds() {
        return requireDocument().document().cells().stream().map(cell -> cell.id().orElse("")).toList();
    }

    /**
     * One cell of {@link #document()} as nbformat JSON (for callers that keep notebooks as JSON trees).
     *
     * @param cellId the cell's id
     * @return the cell, or empty when there is no such cell
     */
    public synchronized Optional<ObjectNode> cellJson(String cellId) {
        Notebook doc = requireDocument().document();
        return doc.indexOf(cellId).map(index -> (ObjectNode) doc.withCells(List.of(doc.cell(index))).toJson()
                .path("cells").get(0));
    }

    /** @return {@link #document()} as nbformat JSON */
    public synchronized ObjectNode documentJson() {
        return requireDocument().document().toJson();
    }

    /**
     * {@link #document()} as nbformat JSON together with the seq it reflects, taken at one moment: a caller that
     * builds its own copy of the notebook from the JSON (such as an editor opening a notebook from the session alone,
     * without reading the file first) compares {@link #seq()} with {@link JsonCopy#seq()} later to learn whether
     * log deltas were applied in between, and only then has to compare documents.
     *
     * @return the copy
     * @throws IllegalStateException before the session has a document
     */
    public synchronized JsonCopy jsonCopy() {
        ClientDocument doc = requireDocument();
        return new JsonCopy(doc.seq(), doc.hasOutstanding(), doc.document().toJson());
    }

    /**
     * The session's document as JSON at one moment ({@link #jsonCopy()}).
     *
     * @param seq         the seq of the last log delta applied then
     * @param outstanding whether own deltas were in flight or buffered then
     * @param notebook    {@link #document()} then, as nbformat JSON (the caller's own tree)
     */
    public record JsonCopy(long seq, boolean outstanding, ObjectNode notebook) {
        /** Validates the fields. */
        public JsonCopy {
            if (seq < 0) {
                throw new IllegalArgumentException("seq must not be negative, got " + seq);
            }
            Objects.requireNonNull(notebook, "notebook");
        }
    }

    /**
     * Inserts a cell given as nbformat JSON ({@link #edit} with {@link Delta.InsertCell}).
     *
     * @param index where the cell goes, 0 to the number of cells
     * @param cell  the cell (nbformat 4 JSON with an {@code id})
     * @return the delta
     * @throws io.quire.notebook.NotebookFormatException if the JSON is not a valid nbformat 4.5 cell
     * @throws io.quire.collab.DeltaRejectedException    if the index or id does not fit the document
     */
    public Delta insertCell(int index, JsonNode cell) {
        Cell parsed = parseCell(cell);
        return edit(header -> new Delta.InsertCell(header, index, parsed));
    }

    /**
     * Replaces a code cell's outputs given as nbformat JSON ({@link #edit} with {@link Delta.ReplaceOutputs}).
     *
     * @param cellId         the code cell
     * @param outputs        the outputs (nbformat 4 output objects)
     * @param executionCount the execution count, or empty to keep the cell's
     * @return the delta
     * @throws io.quire.notebook.NotebookFormatException if an output is not valid nbformat
     * @throws io.quire.collab.DeltaRejectedException    if there is no such code cell
     */
    public Delta replaceOutputs(String cellId, List<? extends JsonNode> outputs, Optional<Integer> executionCount) {
        ObjectNode probe = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        probe.put("id", "probe");
        probe.put("cell_type", "code");
        probe.putObject("metadata");
        probe.put("source", "");
        probe.putNull("execution_count");
        var array = probe.putArray("outputs");
        outputs.forEach(array::add);
        List<Output> parsed = ((io.quire.notebook.CodeCell) parseCell(probe)).outputs();
        return edit(header -> new Delta.ReplaceOutputs(header, cellId, parsed, executionCount));
    }

    private static Cell parseCell(JsonNode cell) {
        Objects.requireNonNull(cell, "cell");
        ObjectNode wrapper = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        wrapper.put("nbformat", 4);
        wrapper.put("nbformat_minor", 5);
        wrapper.putObject("metadata");
        wrapper.putArray("cells").add(cell);
        return Notebook.fromJson(wrapper).cell(0);
    }

    /** @return the file's log id */
    public synchronized UUID logId() {
        return requireDocument().logId();
    }

    /** @return the caller's role on the file, as the server said */
    public synchronized String role() {
        return role;
    }

    /** @return this connection's id in presence events */
    public synchronized String clientId() {
        return clientId;
    }

    /** @return whether any own delta is in flight or waiting to be sent */
    public synchronized boolean hasOutstanding() {
        return document != null && document.hasOutstanding();
    }

    /** @return whether a connection is open and subscribed */
    public synchronized boolean isConnected() {
        return connection != null && !subscribing;
    }

    /** @return the refusals of this client's deltas so far */
    public synchronized List<RtuEvent.Rejected> rejections() {
        return List.copyOf(rejections);
    }

    /** @return the error events received so far */
    public synchronized List<RtuEvent.Error> errors() {
        return List.copyOf(errors);
    }

    /** @return where the other clients on this server node are, by client id */
    public synchronized Map<String, RtuEvent.Presence> presence() {
        return Map.copyOf(others);
    }

    /**
     * Makes a change: applies it to the local document at once and sends it when no other own delta is in flight.
     *
     * @param change given a fresh header (new id, this file and author), the delta against {@link #document()}
     * @return the delta
     * @throws io.quire.collab.DeltaRejectedException if the change does not fit the local document (nothing changes)
     */
    public Delta edit(Function<DeltaHeader, Delta> change) {
        Objects.requireNonNull(change, "change");
        synchronized (this) {
            ClientDocument doc = requireDocument();
            Delta delta = change.apply(doc.newHeader());
            doc.edit(delta);
            flush();
            notifyAll();
            return delta;
        }
    }

    /**
     * Sends the delta in flight once more, as a client does when it is unsure it arrived; the server answers with the
     * first acknowledgement and applies it once.
     *
     * @return whether a delta was in flight
     */
    public synchronized boolean retryInFlight() {
        Optional<Delta> inFlight = document == null ? Optional.empty() : document.inFlight();
        if (inFlight.isEmpty() || connection == null || subscribing) {
            return false;
        }
        connection.send(new RtuEvent.SendDelta(fileId, inFlight.get()));
        return true;
    }

    /**
     * Tells the others on this node where this client is.
     *
     * @param cellId the selected cell, if any
     * @param cursor the cursor or selection in its source, if any
     */
    public synchronized void presence(Optional<String> cellId, Optional<RtuEvent.Selection> cursor) {
        if (connection != null && !subscribing) {
            connection.send(new RtuEvent.SetPresence(fileId, cellId, cursor));
        }
    }

    /**
     * Interrupts the file's shared kernel: the running cell ends {@code interrupted}, queued cells are cancelled.
     * Needs the executor role or above (else the server answers {@code error forbidden}); the outcome comes back to
     * every subscriber as a {@code kernel_control} event (through the listener) and as cell states.
     *
     * @return false when the session is not connected (nothing was sent)
     */
    public synchronized boolean interrupt() {
        return control(new RtuEvent.Interrupt(fileId));
    }

    /**
     * Restarts the file's shared kernel (queued cells are cancelled, the running cell interrupted). As
     * {@link #interrupt()} for roles and answers.
     *
     * @return false when the session is not connected (nothing was sent)
     */
    public synchronized boolean restart() {
        return control(new RtuEvent.Restart(fileId));
    }

    /**
     * Shuts the file's shared kernel down; the next execute starts a new one. As {@link #interrupt()} for roles and
     * answers.
     *
     * @return false when the session is not connected (nothing was sent)
     */
    public synchronized boolean shutdownKernel() {
        return control(new RtuEvent.ShutdownKernel(fileId));
    }

    private boolean control(RtuEvent.KernelControl event) {
        if (connection == null || subscribing) {
            return false;
        }
        connection.send(event);
        return true;
    }

    /** Drops the connection without a close handshake (as a network failure would); edits stay local until then. */
    public void disconnect() {
        Connection lost;
        synchronized (this) {
            lost = connection;
            connection = null;
            notifyAll();
        }
        if (lost != null && lost.socket != null) {
            lost.socket.abort();
        }
    }

    /**
     * Reconnects by itself whenever the connection is lost (not after {@link #disconnect()} or {@link #close()}):
     * tries again after 0.25 s, then waits twice as long after each failed try, up to {@code maxWait}, until it is
     * subscribed again; then, as after {@link #reconnect()}, the missed deltas arrive and the delta in flight is sent
     * again. Edits made meanwhile stay local and are sent once it is back. {@code connected} is told {@code false}
     * when the connection is lost and {@code true} once subscribed again, on the session's event executor. A
     * connection is also taken as lost when nothing (not even the answer to a WebSocket ping, sent every 10 s) came
     * for three pings' time, as after a network failure that closed nothing.
     *
     * @param maxWait   the longest wait between two tries
     * @param connected told of each lost and regained connection
     */
    public void keepConnected(Duration maxWait, Consumer<Boolean> connected) {
        keepConnected(maxWait, Duration.ofSeconds(10), connected);
    }

    /**
     * {@link #keepConnected(Duration, Consumer)} with a given ping interval.
     *
     * @param maxWait   the longest wait between two tries
     * @param heartbeat how often to ping; silence for three times as long counts as a lost connection
     * @param connected told of each lost and regained connection
     */
    public void keepConnected(Duration maxWait, Duration heartbeat, Consumer<Boolean> connected) {
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(connected, "connected");
        if (maxWait.isNegative() || maxWait.isZero() || heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("maxWait and heartbeat must be positive, got " + maxWait + " and "
                    + heartbeat);
        }
        boolean first;
        synchronized (this) {
            first = keeper == null;
            keeperMaxWait = maxWait;
            keeper = connected;
        }
        if (first) {
            Thread.ofVirtual().name("quire-rtu-heartbeat-" + fileId).start(() -> heartbeat(heartbeat));
        }
    }

    /** Pings the open connection; one silent for three intervals is dropped as lost (then reconnected). */
    private void heartbeat(Duration interval) {
        long silence = interval.multipliedBy(3).toNanos();
        while (true) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            Connection current;
            synchronized (this) {
                if (closed) {
                    return;
                }
                current = subscribing ? null : connection;
            }
            if (current == null || current.socket == null) {
                continue;
            }
            if (System.nanoTime() - current.heard > silence) {
                current.socket.abort();
                dropped(current);
                continue;
            }
            try {
                current.socket.sendPing(java.nio.ByteBuffer.allocate(0)).exceptionally(error -> {
                    dropped(current);
                    return null;
                });
            } catch (RuntimeException e) {
                // a ping still going out (a slow connection): the silence check of a later round decides
            }
        }
    }

    /**
     * Connects again and subscribes from the last seq applied; the delta in flight is sent again.
     *
     * @param timeout how long to wait for the subscription
     * @throws RtuException if the server refuses or does not answer in time
     */
    public void reconnect(Duration timeout) {
        reconnect(client, timeout);
    }

    /**
     * Connects again through another client (such as another server node of the same cluster) and subscribes from the
     * last seq applied; the delta in flight is sent again, and its id keeps it from being applied twice.
     *
     * @param via     the client to connect with from now on; its token must act as the same user
     * @param timeout how long to wait for the subscription
     * @throws RtuException if the server refuses or does not answer in time
     */
    public void reconnect(RtuClient via, Duration timeout) {
        Objects.requireNonNull(via, "via");
        disconnect();
        client = via;
        connect();
        awaitSubscribed(timeout);
    }

    /**
     * Waits until every own delta is in the log (acknowledged or refused) and the session is subscribed.
     *
     * @param timeout how long to wait
     * @throws RtuException on timeout
     */
    public void awaitQuiet(Duration timeout) {
        await(() -> connection != null && !subscribing && !document.hasOutstanding(), timeout,
                "own deltas to be sequenced");
    }

    /**
     * Waits until the session applied the log up to a seq.
     *
     * @param seq     the seq
     * @param timeout how long to wait
     * @throws RtuException on timeout
     */
    public void awaitSeq(long seq, Duration timeout) {
        await(() -> document != null && document.seq() >= seq, timeout, "seq " + seq);
    }

    /** Closes the connection; the session cannot be used afterwards. */
    @Override
    public void close() {
        Connection last;
        synchronized (this) {
            closed = true;
            last = connection;
            connection = null;
            notifyAll();
        }
        if (last != null && last.socket != null) {
            last.socket.sendClose(WebSocket.NORMAL_CLOSURE, "closed").whenComplete((ignored, error) ->
                    last.socket.abort());
        }
    }

    // ------------------------------------------------------------------------------------------------ internals

    void connect() {
        Connection fresh = new Connection();
        synchronized (this) {
            if (closed) {
                throw new RtuException("the session is closed", null);
            }
            connection = fresh;
            subscribing = true;
            failure = null;
        }
        RtuClient via = client;
        try {
            fresh.socket = via.http().newWebSocketBuilder()
                    .header("Authorization", "token " + via.token())
                    .connectTimeout(CONNECT_TIMEOUT)
                    .buildAsync(URI.create(via.endpoint() + "?batch=true"), fresh) // several events per frame
                    .get(CONNECT_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            dropped(fresh);
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new RtuException("the server refused the connection: HTTP " + refused.getResponse()
                        .statusCode(), refused);
            }
            throw new RtuException("could not connect to " + via.endpoint() + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            dropped(fresh);
            throw new RtuException("no connection to " + via.endpoint() + " within " + CONNECT_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dropped(fresh);
            throw new RtuException("interrupted while connecting", e);
        }
        synchronized (this) {
            if (connection == fresh) {
                fresh.send(new RtuEvent.Subscribe(fileId, document == null ? OptionalLong.empty()
                        : OptionalLong.of(document.seq())));
            }
        }
    }

    void awaitSubscribed(Duration timeout) {
        await(() -> connection != null && !subscribing && document != null, timeout, "the subscription");
    }

    private synchronized void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (failure != null) {
                throw failure;
            }
            if (closed) {
                throw new RtuException("the session is closed", null);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new RtuException("timed out after " + timeout + " waiting for " + what + " of file " + fileId,
                        null);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RtuException("interrupted while waiting for " + what, e);
            }
        }
    }

    private void dropped(Connection lost) {
        Consumer<Boolean> told;
        synchronized (this) {
            if (connection != lost) {
                return;
            }
            connection = null;
            notifyAll();
            if (keeper == null || closed || reconnecting) {
                return; // nobody asked to keep it connected, or the keeper's own try failed: it tries again itself
            }
            reconnecting = true;
            told = keeper;
        }
        events.execute(() -> told.accept(false));
        Thread.ofVirtual().name("quire-rtu-reconnect-" + fileId).start(this::keepTrying);
    }

    private synchronized boolean reconnectingNow() {
        return reconnecting;
    }

    /** Tries to connect and subscribe again until it is, the session is closed, or the caller reconnected it. */
    private void keepTrying() {
        Duration wait = Duration.ofMillis(250);
        while (true) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                synchronized (this) {
                    reconnecting = false;
                }
                return;
            }
            Consumer<Boolean> byCaller = null;
            synchronized (this) {
                if (closed || connection != null) {
                    reconnecting = false; // closed, or connected again by the caller
                    if (!closed) {
                        byCaller = keeper;
                    }
                }
            }
            if (byCaller != null) {
                Consumer<Boolean> told = byCaller;
                events.execute(() -> told.accept(true));
            }
            if (!reconnectingNow()) {
                return;
            }
            try {
                connect();
                awaitSubscribed(CONNECT_TIMEOUT);
                Consumer<Boolean> told;
                synchronized (this) {
                    reconnecting = false;
                    told = keeper;
                }
                events.execute(() -> told.accept(true));
                return;
            } catch (RtuException e) {
                boolean stop;
                synchronized (this) {
                    stop = closed;
                    if (stop) {
                        reconnecting = false;
                    }
                }
                if (stop) {
                    return;
                }
                disconnect(); // a half-open try (connected, not subscribed): drop it before the next one
                Duration doubled = wait.multipliedBy(2);
                synchronized (this) {
                    wait = doubled.compareTo(keeperMaxWait) > 0 ? keeperMaxWait : doubled;
                }
            }
        }
    }

    private ClientDocument requireDocument() {
        if (document == null) {
            throw new IllegalStateException("the session has no document yet");
        }
        return document;
    }

    /** Sends the next buffered delta if none is in flight. Under the monitor. */
    private void flush() {
        if (connection != null && !subscribing && document != null) {
            document.takeNext().ifPresent(delta -> connection.send(new RtuEvent.SendDelta(fileId, delta)));
        }
    }

    /** Starts over on the open connection: subscribe from the last seq applied (a snapshot if none). Under the monitor. */
    private void resubscribe(boolean fromScratch) {
        subscribing = true;
        connection.send(new RtuEvent.Subscribe(fileId, fromScratch || document == null ? OptionalLong.empty()
                : OptionalLong.of(document.seq())));
    }

    /** Reads an event on the connection's thread, so a large one (a snapshot) is not parsed on the executor's. */
    private void received(Connection source, String text) {
        List<RtuEvent.Server> received;
        try {
            received = RtuCodec.readServerFrame(text); // one event, or a batch (the client connects with ?batch=true)
        } catch (RtuFormatException e) {
            synchronized (this) {
                errors.add(new RtuEvent.Error("bad_event", "the server sent an event this client cannot read: "
                        + e.getMessage(), Optional.empty()));
            }
            return;
        }
        events.execute(() -> received.forEach(event -> handle(source, event)));
    }

    private void handle(Connection source, RtuEvent.Server event) {
        synchronized (this) {
            if (source != connection) {
                return;
            }
            apply(event);
            notifyAll();
        }
        listener.accept(event);
    }

    private void apply(RtuEvent.Server event) {
        switch (event) {
            case RtuEvent.Subscribed subscribed when subscribed.fileId().equals(fileId) -> {
                role = subscribed.role();
                clientId = subscribed.clientId();
                others.clear();
                if (subscribed.snapshot().isPresent()) {
                    Notebook snapshot = subscribed.snapshot().get();
                    if (document == null) {
                        document = new ClientDocument(subscribed.logId(), subscribed.user(), subscribed.headSeq(),
                                snapshot);
                    } else {
                        document.reset(subscribed.headSeq(), snapshot);
                    }
                } else if (document == null) {
                    failure = new RtuException("the server sent no document for " + fileId, null);
                    return;
                }
                subscribing = false;
                document.inFlight().ifPresent(delta -> connection.send(new RtuEvent.SendDelta(fileId, delta)));
                flush();
            }
            case RtuEvent.DeltaEvent delta when delta.fileId().equals(fileId) && !subscribing -> {
                long seq = delta.delta().seq();
                if (seq <= document.seq()) {
                    return; // already applied (a catch-up overlapping what was live)
                }
                if (seq != document.seq() + 1) {
                    resubscribe(false);
                    return;
                }
                try {
                    document.serverDelta(delta.delta());
                } catch (IllegalStateException e) {
                    resubscribe(true);
                    return;
                }
                flush();
            }
            case RtuEvent.Ack ack when ack.fileId().equals(fileId) && document != null -> {
                document.acknowledged(ack.deltaId(), ack.seq());
                flush();
            }
            case RtuEvent.Rejected rejected when rejected.fileId().equals(fileId) && document != null -> {
                Optional<Delta> inFlight = document.inFlight();
                if (rejected.code().equals("unavailable") && inFlight.isPresent()
                        && inFlight.get().deltaId().equals(rejected.deltaId())) {
                    connection.send(new RtuEvent.SendDelta(fileId, inFlight.get())); // a transient failure: again
                    return;
                }
                rejections.add(rejected);
                document.rejected(rejected.deltaId());
                flush();
            }
            case RtuEvent.Presence presence when presence.fileId().equals(fileId) ->
                    others.put(presence.clientId(), presence);
            case RtuEvent.PresenceLeft left when left.fileId().equals(fileId) -> others.remove(left.clientId());
            case RtuEvent.Resync resync when resync.fileId().equals(fileId) -> resubscribe(false);
            case RtuEvent.Error error -> {
                errors.add(error);
                if (subscribing && error.fileId().filter(fileId::equals).isPresent()) {
                    failure = new RtuException("the server refused file " + fileId + ": " + error.code() + ": "
                            + error.message(), null);
                }
            }
            default -> {
                // other files, events while resubscribing, pong, execution events: nothing to apply
            }
        }
    }

    /** One WebSocket connection of the session; events from a replaced connection are ignored. */
    private final class Connection implements WebSocket.Listener {
        private volatile WebSocket socket;
        /** When something last came on this connection ({@link System#nanoTime()}). */
        private volatile long heard = System.nanoTime();
        private final StringBuilder partial = new StringBuilder();
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null); // guarded by this

        /** Sends an event after the ones before it (the JDK client allows one outstanding text message). */
        void send(RtuEvent.Client event) {
            String text = RtuCodec.write(event);
            synchronized (this) {
                sending = sending.handle((ignored, error) -> null)
                        .thenCompose(ignored -> socket.sendText(text, true));
            }
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            heard = System.nanoTime();
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, java.nio.ByteBuffer message) {
            heard = System.nanoTime();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, java.nio.ByteBuffer message) {
            heard = System.nanoTime();
            return WebSocket.Listener.super.onPing(webSocket, message);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            heard = System.nanoTime();
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                received(this, text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            dropped(this);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            dropped(this);
        }
    }
}
