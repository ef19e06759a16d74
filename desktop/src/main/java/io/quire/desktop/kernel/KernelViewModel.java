package io.quire.desktop.kernel;

import io.quire.client.KernelChannels;
import io.quire.client.KernelMessage;
import io.quire.client.KernelSession;
import io.quire.client.KernelState;
import io.quire.client.QuireClient;
import io.quire.client.QuireException;
import io.quire.client.QuireTimeoutException;
import io.quire.client.QuireTransportException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;

/**
 * The kernel of one open notebook: its v1 session (created on the first run, or when asked), a live status from the
 * kernel channels WebSocket, interrupt and restart.
 *
 * <p>Design: everything that talks to the server runs on the background executor; every property change is handed
 * to the UI executor. The session is created once, under a lock, by whichever background task needs it first. The
 * status comes from IOPub {@code status} messages of the session's kernel (published for every client's requests,
 * so runs started elsewhere show too); a dropped connection shows as {@link KernelStatus#DISCONNECTED} and is
 * reopened by the next restart or run.
 */
public final class KernelViewModel implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(KernelViewModel.class.getName());

    private final QuireClient client;
    private final String fileId;
    private final Executor background;
    private final Executor ui;
    private final SimpleObjectProperty<KernelStatus> status = new SimpleObjectProperty<>(KernelStatus.NONE);
    private final SimpleStringProperty detail = new SimpleStringProperty("");
    private final Object lock = new Object();
    private Optional<KernelSession> session = Optional.empty();
    private Optional<KernelChannels> channels = Optional.empty();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    /**
     * Where the replies to one request go.
     *
     * @param messages receives every message whose parent is the request, on the connection's thread
     * @param lost     receives why no more replies will come (the connection closed, the kernel restarted)
     */
    public record Route(Consumer<KernelMessage> messages, Consumer<String> lost) {
        /** Validates the fields. */
        public Route {
            Objects.requireNonNull(messages, "messages");
            Objects.requireNonNull(lost, "lost");
        }
    }

    /**
     * A kernel view model for a notebook.
     *
     * @param client     the server's client
     * @param fileId     the notebook's file id
     * @param background runs blocking calls to the server
     * @param ui         runs property updates (the JavaFX application thread in the app)
     */
    public KernelViewModel(QuireClient client, String fileId, Executor background, Executor ui) {
        this.client = Objects.requireNonNull(client, "client");
        this.fileId = Objects.requireNonNull(fileId, "fileId");
        this.background = Objects.requireNonNull(background, "background");
        this.ui = Objects.requireNonNull(ui, "ui");
    }

    /**
     * The kernel's status.
     *
     * @return the property
     */
    public ReadOnlyObjectProperty<KernelStatus> statusProperty() {
        return status;
    }

    /**
     * The kernel's spec name, or why it is dead, for the toolbar.
     *
     * @return the property
     */
    public ReadOnlyStringProperty detailProperty() {
        return detail;
    }

    /**
     * The notebook's session, created (with its kernel started) when there is none yet. Blocking: call it on a
     * background thread.
     *
     * @return the session
     * @throws QuireException when the server cannot start the kernel
     */
    public KernelSession ensureSession() {
        synchronized (lock) {
            if (session.isPresent()) {
                ensureChannels(session.get());
                return session.get();
            }
            ui.execute(() -> status.set(KernelStatus.STARTING));
            try {
                KernelSession created = client.createSession(fileId);
                session = Optional.of(created);
                ui.execute(() -> {
                    status.set(fromSession(created.state()));
                    detail.set(created.kernelSpec());
                });
                ensureChannels(created);
                return created;
            } catch (QuireException e) {
                ui.execute(() -> {
                    status.set(KernelStatus.DEAD);
                    detail.set(e.getMessage());
                });
                throw e;
            }
        }
    }

    /**
     * Starts the kernel now rather than on the first run.
     *
     * @return completes with the session
     */
    public CompletableFuture<KernelSession> start() {
        return CompletableFuture.supplyAsync(this::ensureSession, background);
    }

    /**
     * Interrupts what the kernel is running (the running cell fails with a {@code KeyboardInterrupt}). Nothing
     * happens without a session.
     *
     * @return completes when the server accepted it
     */
    public CompletableFuture<Void> interrupt() {
        return CompletableFuture.runAsync(() -> current().ifPresent(s -> client.interruptSession(s.id())), background)
                .whenComplete((ok, failure) -> report(failure, "interrupt"));
    }

    /**
     * Restarts the kernel (its state is lost; the session's running and queued executions are cancelled); starts one
     * when there is no session yet.
     *
     * @return completes with the session after the restart
     */
    public CompletableFuture<KernelSession> restart() {
        return CompletableFuture.supplyAsync(() -> {
            Optional<KernelSession> existing = current();
            if (existing.isEmpty()) {
                return ensureSession();
            }
            ui.execute(() -> status.set(KernelStatus.RESTARTING));
            loseAll("the kernel restarted");
            KernelSession restarted = client.restartSession(existing.get().id());
            synchronized (lock) {
                session = Optional.of(restarted);
                ensureChannels(restarted);
            }
            ui.execute(() -> status.set(fromSession(restarted.state())));
            return restarted;
        }, background).whenComplete((ok, failure) -> report(failure, "restart"));
    }

    private Optional<KernelSession> current() {
        synchronized (lock) {
            return session;
        }
    }

    private void ensureChannels(KernelSession kernel) {
        if (channels.isPresent() && channels.get().isOpen() && channels.get().kernelId().equals(kernel.kernelId())) {
            return;
        }
        channels.ifPresent(KernelChannels::close);
        try {
            KernelChannels opened = client.kernelChannels(kernel);
            opened.onMessage(this::onMessage);
            opened.closed().thenAccept(closed -> loseAll("the kernel connection closed (" + closed.code() + ")"));
            opened.closed().thenAccept(closed -> ui.execute(() -> {
                if (status.get() != KernelStatus.RESTARTING) {
                    status.set(KernelStatus.DISCONNECTED);
                    detail.set("connection closed (" + closed.code() + ")");
                }
            }));
            channels = Optional.of(opened);
        } catch (QuireException e) {
            // Runs still work without the live status; the toolbar says why it is missing.
            LOG.log(System.Logger.Level.WARNING, "no live kernel status: " + e.getMessage());
            channels = Optional.empty();
            ui.execute(() -> detail.set("no live status: " + e.getMessage()));
        }
    }

    private void onMessage(KernelMessage message) {
        message.parentMsgId().map(routes::get).ifPresent(route -> route.messages().accept(message));
        if ("iopub".equals(message.channel()) && "status".equals(message.msgType())) {
            KernelStatus next = KernelStatus.fromExecutionState(message.content().path("execution_state").asText());
            ui.execute(() -> status.set(next));
        }
    }

    /**
     * Sends a request to the notebook's kernel over its channels WebSocket, starting the session first when there is
     * none; the replies (every message naming the request as parent) go to the route until {@link #release}. Blocking:
     * call it on a background thread.
     *
     * @param channel {@code shell} or {@code stdin}
     * @param msgType the message type
     * @param content the content
     * @param route   where replies go
     * @return the request's msg id
     * @throws QuireException when the kernel cannot be started or reached
     */
    public String send(String channel, String msgType, ObjectNode content, Route route) {
        Objects.requireNonNull(route, "route");
        KernelChannels open = channels();
        String msgId = UUID.randomUUID().toString();
        routes.put(msgId, route);
        try {
            open.send(channel, msgType, msgId, content);
        } catch (RuntimeException e) {
            routes.remove(msgId);
            throw e;
        }
        return msgId;
    }

    /**
     * Sends a message that expects no replies (such as {@code input_reply} on {@code stdin}). Blocking.
     *
     * @param channel the channel
     * @param msgType the message type
     * @param content the content
     * @throws QuireException when the kernel cannot be reached
     */
    public void tell(String channel, String msgType, ObjectNode content) {
        channels().send(channel, msgType, content);
    }

    /**
     * Stops routing the replies to a request.
     *
     * @param msgId the request's msg id
     */
    public void release(String msgId) {
        routes.remove(msgId);
    }

    /**
     * Sends a shell request and waits for its reply, such as {@code complete_request} → {@code complete_reply}.
     *
     * @param msgType the request's type, ending in {@code _request}
     * @param content the content
     * @param timeout how long to wait for the reply once sent (starting the kernel does not count)
     * @return completes with the reply's content on the background executor; fails with {@link QuireException}
     */
    public CompletableFuture<ObjectNode> request(String msgType, ObjectNode content, Duration timeout) {
        if (!msgType.endsWith("_request")) {
            throw new IllegalArgumentException("not a request type: " + msgType);
        }
        String replyType = msgType.substring(0, msgType.length() - "_request".length()) + "_reply";
        CompletableFuture<ObjectNode> reply = new CompletableFuture<>();
        CompletableFuture.runAsync(() -> {
            String msgId = send("shell", msgType, content, new Route(message -> {
                if (replyType.equals(message.msgType())) {
                    reply.complete(message.content());
                }
            }, why -> reply.completeExceptionally(new QuireTransportException(why, null))));
            reply.whenComplete((ok, failure) -> release(msgId));
            // the time counts from the request, not from the kernel's start
            CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() ->
                    reply.completeExceptionally(new QuireTimeoutException("the kernel did not answer the " + msgType
                            + " within " + timeout)));
        }, background).whenComplete((ok, failure) -> {
            if (failure != null) {
                reply.completeExceptionally(failure.getCause() != null ? failure.getCause() : failure);
            }
        });
        return reply;
    }

    private KernelChannels channels() {
        KernelSession current = ensureSession();
        synchronized (lock) {
            ensureChannels(current);
            return channels.filter(KernelChannels::isOpen).orElseThrow(
                    () -> new QuireTransportException("cannot reach the kernel's channels of " + current.kernelId(),
                            null));
        }
    }

    private void loseAll(String why) {
        Map<String, Route> lost = Map.copyOf(routes);
        routes.keySet().removeAll(lost.keySet());
        lost.values().forEach(route -> route.lost().accept(why));
    }

    private void report(Throwable failure, String what) {
        if (failure != null) {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            ui.execute(() -> detail.set(what + " failed: " + cause.getMessage()));
        }
    }

    private static KernelStatus fromSession(KernelState state) {
        return switch (state) {
            case STARTING -> KernelStatus.STARTING;
            case IDLE, UNKNOWN -> KernelStatus.IDLE;
            case BUSY -> KernelStatus.BUSY;
            case RESTARTING -> KernelStatus.RESTARTING;
            case DEAD -> KernelStatus.DEAD;
        };
    }

    /** Closes the live connection; the session and its kernel stay on the server. */
    @Override
    public void close() {
        synchronized (lock) {
            channels.ifPresent(KernelChannels::close);
            channels = Optional.empty();
        }
    }
}
