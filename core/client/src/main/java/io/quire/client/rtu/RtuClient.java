package io.quire.client.rtu;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Opens collaboration sessions on a Quire server's real-time channel, {@code /api/v1/rtu}, over the JDK WebSocket
 * client. Each {@link CollabSession} has its own connection. Thread-safe.
 */
public final class RtuClient {
    private final URI endpoint;
    private final String token;
    private final HttpClient http;

    private RtuClient(URI endpoint, String token, HttpClient http) {
        this.endpoint = endpoint;
        this.token = token;
        this.http = http;
    }

    /**
     * A client for a server.
     *
     * @param baseUrl the server's base URL, such as {@code http://127.0.0.1:8888}
     * @param token   an API token (the server token in single-user mode)
     * @return the client
     * @throws IllegalArgumentException if the URL is not http or https
     */
    public static RtuClient create(URI baseUrl, String token) {
        return create(baseUrl, token, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    /**
     * A client for a server over a given HTTP client.
     *
     * @param baseUrl the server's base URL
     * @param token   an API token
     * @param http    the HTTP client whose WebSocket builder is used
     * @return the client
     * @throws IllegalArgumentException if the URL is not http or https
     */
    public static RtuClient create(URI baseUrl, String token, HttpClient http) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(http, "http");
        String scheme = switch (String.valueOf(baseUrl.getScheme())) {
            case "http" -> "ws";
            case "https" -> "wss";
            default -> throw new IllegalArgumentException("the base URL must be http or https, got " + baseUrl);
        };
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath().replaceAll("/+$", "");
        URI endpoint = URI.create(scheme + "://" + baseUrl.getRawAuthority() + path + "/api/v1/rtu");
        return new RtuClient(endpoint, token, http);
    }

    /** @return the WebSocket URI */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Connects, subscribes to a notebook and waits for its document.
     *
     * @param fileId  the v1 file id
     * @param timeout how long to wait for the connection and the document
     * @return the session
     * @throws RtuException if the server refuses the connection or the file, or does not answer in time
     */
    public CollabSession open(String fileId, Duration timeout) {
        return open(fileId, timeout, event -> { });
    }

    /**
     * Connects, subscribes to a notebook and waits for its document, telling a listener about every server event
     * (after the session applied it; on the connection's thread: return quickly).
     *
     * @param fileId   the v1 file id
     * @param timeout  how long to wait
     * @param listener the listener
     * @return the session
     * @throws RtuException if the server refuses the connection or the file, or does not answer in time
     */
    public CollabSession open(String fileId, Duration timeout,
            Consumer<io.quire.collab.rtu.RtuEvent.Server> listener) {
        return open(fileId, timeout, listener, Runnable::run);
    }

    /**
     * Connects, subscribes to a notebook and waits for its document, handling every server event on an executor
     * (which applies it to the session and then tells the listener). An editor passes its UI executor: remote
     * changes then reach the session only between the user's edits, which the editor makes on that thread too, so
     * an edit is always expressed against the document the editor shows. Events are handed to the executor in the
     * order they arrive; it must run them in that order (one thread, or a queue such as JavaFX's
     * {@code Platform::runLater}). Do not call this on that executor's thread: it waits for the subscription, which
     * is handled there.
     *
     * @param fileId   the v1 file id
     * @param timeout  how long to wait
     * @param listener the listener, called on the executor
     * @param events   where events are handled
     * @return the session
     * @throws RtuException if the server refuses the connection or the file, or does not answer in time
     */
    public CollabSession open(String fileId, Duration timeout,
            Consumer<io.quire.collab.rtu.RtuEvent.Server> listener, Executor events) {
        CollabSession session = new CollabSession(this, fileId, listener, events);
        try {
            session.connect();
            session.awaitSubscribed(timeout);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        return session;
    }

    HttpClient http() {
        return http;
    }

    String token() {
        return token;
    }
}
