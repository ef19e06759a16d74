package io.quire.server.rtu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.quire.collab.rtu.RtuCodec;
import io.quire.collab.rtu.RtuEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A raw rtu WebSocket client for tests: sends text, collects every event the server sends, in order. */
final class RtuSocket implements WebSocket.Listener, AutoCloseable {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    volatile int closeCode = -1;
    private WebSocket socket;

    static URI uri(int port) {
        return URI.create("ws://127.0.0.1:" + port + "/api/v1/rtu");
    }

    static RtuSocket connect(int port, String token) {
        RtuSocket listener = new RtuSocket();
        listener.socket = HTTP.newWebSocketBuilder().header("Authorization", "token " + token)
                .buildAsync(uri(port), listener).join();
        return listener;
    }

    void sendText(String text) {
        socket.sendText(text, true).join();
    }

    void send(RtuEvent.Client event) {
        sendText(RtuCodec.write(event));
    }

    /**
     * The next event; execution events (kernel status, cell state, output, kernel control) are skipped unless
     * {@link #executionEvents} is set, since every subscription starts with the file's kernel status.
     */
    RtuEvent.Server next() {
        try {
            while (true) {
                String text = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                if (text == null) {
                    fail("no event within " + WAIT);
                }
                RtuEvent.Server event = RtuCodec.readServer(text);
                if (executionEvents || !(event instanceof RtuEvent.Execution)) {
                    return event;
                }
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether {@link #next()} returns execution events too. */
    volatile boolean executionEvents;

    <T extends RtuEvent.Server> T next(Class<T> type) {
        RtuEvent.Server event = next();
        assertThat(event).isInstanceOf(type);
        return type.cast(event);
    }

    void assertNothingWithin(Duration quiet) throws InterruptedException {
        long end = System.nanoTime() + quiet.toNanos();
        while (true) {
            String text = frames.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (text == null) {
                return;
            }
            if (executionEvents || !(RtuCodec.readServer(text) instanceof RtuEvent.Execution)) {
                assertThat(text).as("no further event").isNull();
            }
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        return null;
    }

    void closeGracefully() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Override
    public void close() {
        socket.abort();
    }
}
