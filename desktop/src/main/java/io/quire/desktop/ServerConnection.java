package io.quire.desktop;

import io.quire.client.QuireClient;
import io.quire.client.rtu.RtuClient;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a Quire server is and how to authenticate: the embedded one or a remote team server.
 *
 * @param baseUrl the server's URL
 * @param token   its token
 */
public record ServerConnection(URI baseUrl, String token) {
    private static final Map<ServerConnection, QuireClient> CLIENTS = new ConcurrentHashMap<>();
    private static final Map<ServerConnection, RtuClient> RTU_CLIENTS = new ConcurrentHashMap<>();

    /** Validates the fields. */
    public ServerConnection {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(token, "token");
    }

    /**
     * A client of the server: one per server and token for the whole app, because each {@link QuireClient} has its
     * own JDK {@code HttpClient} (a selector thread and a connection pool), which every call building a new one paid
     * for again and never shut down. {@code QuireClient} is thread-safe.
     *
     * @return the client
     */
    public QuireClient client() {
        return CLIENTS.computeIfAbsent(this, connection -> QuireClient.builder().baseUrl(connection.baseUrl())
                .token(connection.token()).build());
    }

    /**
     * A real-time client of the server ({@code /api/v1/rtu}): one per server and token, for the same reason as
     * {@link #client()} (each has its own JDK {@code HttpClient}); every session it opens has its own WebSocket.
     *
     * @return the client
     */
    public RtuClient rtu() {
        return RTU_CLIENTS.computeIfAbsent(this, connection -> RtuClient.create(connection.baseUrl(),
                connection.token()));
    }

    @Override
    public String toString() {
        return "ServerConnection[" + baseUrl + "]"; // never the token
    }
}
