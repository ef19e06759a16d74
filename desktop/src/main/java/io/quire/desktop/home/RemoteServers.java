package io.quire.desktop.home;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.desktop.ServerConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The remote servers the user connected to: their URLs in {@code servers.json} of the config folder (no secrets),
 * their tokens in a {@link TokenStore}.
 */
public final class RemoteServers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final TokenStore tokens;

    /**
     * The servers remembered in a config folder.
     *
     * @param config the config folder
     * @param tokens where tokens are kept
     */
    public RemoteServers(ConfigDir config, TokenStore tokens) {
        this.file = Objects.requireNonNull(config, "config").path().resolve("servers.json");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    /**
     * Checks and normalises a server URL typed by the user.
     *
     * @param url the URL
     * @return the URL with a trailing {@code /}
     * @throws IllegalArgumentException when it is not an absolute http(s) URL
     */
    public static URI parseUrl(String url) {
        Objects.requireNonNull(url, "url");
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: '" + url + "' (" + e.getReason() + ")", e);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("a server URL starts with http:// or https:// and names a host, got '"
                    + url + "'");
        }
        String text = uri.toString();
        return URI.create(text.endsWith("/") ? text : text + "/");
    }

    /**
     * Where tokens go, for the connect dialog.
     *
     * @return the token store
     */
    public TokenStore tokens() {
        return tokens;
    }

    /**
     * The remembered servers' URLs.
     *
     * @return in the order they were added
     */
    public List<URI> list() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<URI> servers = new ArrayList<>();
            for (JsonNode url : JSON.readTree(file.toFile()).path("servers")) {
                servers.add(URI.create(url.asText()));
            }
            return List.copyOf(servers);
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    /**
     * Remembers a server and its token.
     *
     * @param server the server's URL (see {@link #parseUrl})
     * @param token  its token
     * @throws TokenStore.TokenStoreException when the token cannot be stored
     */
    public void remember(URI server, String token) {
        tokens.store(server.toString(), token);
        List<URI> servers = new ArrayList<>(list());
        if (!servers.contains(server)) {
            servers.add(server);
            write(servers);
        }
    }

    /**
     * Forgets a server and its token.
     *
     * @param server the server's URL
     */
    public void forget(URI server) {
        tokens.remove(server.toString());
        List<URI> servers = new ArrayList<>(list());
        if (servers.remove(server)) {
            write(servers);
        }
    }

    /**
     * The connection to a remembered server.
     *
     * @param server the server's URL
     * @return the connection, or empty when no token is stored for it
     */
    public Optional<ServerConnection> connection(URI server) {
        return tokens.lookup(server.toString()).map(token -> new ServerConnection(server, token));
    }

    private void write(List<URI> servers) {
        ObjectNode json = JSON.createObjectNode();
        var array = json.putArray("servers");
        servers.forEach(server -> array.add(server.toString()));
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling("servers.json.tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), json);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
