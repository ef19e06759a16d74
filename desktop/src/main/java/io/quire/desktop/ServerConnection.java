package io.quire.desktop;

import io.quire.client.QuireClient;
import java.net.URI;
import java.util.Objects;

/**
 * Where a Quire server is and how to authenticate: the embedded one or a remote team server.
 *
 * @param baseUrl the server's URL
 * @param token   its token
 */
public record ServerConnection(URI baseUrl, String token) {
    /** Validates the fields. */
    public ServerConnection {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(token, "token");
    }

    /**
     * A client of the server.
     *
     * @return a new client
     */
    public QuireClient client() {
        return QuireClient.builder().baseUrl(baseUrl).token(token).build();
    }

    @Override
    public String toString() {
        return "ServerConnection[" + baseUrl + "]"; // never the token
    }
}
