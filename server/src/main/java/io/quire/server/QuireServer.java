package io.quire.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.server.http.ApiException;
import io.quire.server.http.BodyLimit;
import io.quire.server.http.ErrorResponses;
import io.quire.server.http.JsonBodies;
import io.quire.server.http.JsonDirectHandler;
import io.quire.server.http.RequestIds;
import io.quire.server.http.TokenAuth;
import io.quire.server.jupyter.ApiRootService;
import io.quire.server.jupyter.KernelSpecsService;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * A running Quire server: the Jupyter Server REST API under {@code /api}, health under {@code /health}.
 *
 * <p>Design: this class only wires things. Each resource has one thin service class that parses the request, calls
 * core, and maps the result; every failure becomes a JSON error in one place ({@link ErrorResponses}). Filters run in
 * this order: request id, body limit, token. The server listens on the configured address only (127.0.0.1 by
 * default).
 */
public final class QuireServer implements AutoCloseable {
    private final WebServer server;
    private final ServerConfig config;

    private QuireServer(WebServer server, ServerConfig config) {
        this.server = server;
        this.config = config;
    }

    /**
     * Starts a server.
     *
     * @param config   how to run
     * @param registry where kernel specs are found
     * @param version  Quire's version, reported by {@code GET /api}
     * @return the started server
     */
    public static QuireServer start(ServerConfig config, KernelSpecRegistry registry, String version) {
        Objects.requireNonNull(config, "config");
        if (!Files.isDirectory(config.root())) {
            throw new IllegalArgumentException("the server root " + config.root() + " is not a folder");
        }
        Clock clock = Clock.systemUTC();
        KernelSpecsService kernelSpecs = new KernelSpecsService(registry, config.defaultKernel());
        ApiRootService root = new ApiRootService(version, clock, () -> 0, () -> 0,
                System.getProperty("user.name", "quire"));

        HttpRouting.Builder routing = HttpRouting.builder()
                .addFilter(new RequestIds())
                .addFilter(new BodyLimit(config.maxBodyBytes()))
                .addFilter(TokenAuth.create(config.token(), List.of("/health/")))
                .get("/health/live", (request, response) -> JsonBodies.ok(response, health("UP")))
                .get("/health/ready", (request, response) -> JsonBodies.ok(response, health("UP")))
                .register("/api", root)
                .register("/api/kernelspecs", kernelSpecs.api())
                .register("/kernelspecs", kernelSpecs.resources())
                .any((request, response) -> {
                    throw ApiException.notFound("no route for " + request.prologue().method().text() + " "
                            + request.path().rawPath());
                });
        ErrorResponses.register(routing, e -> null);

        WebServer server = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .maxPayloadSize(config.maxBodyBytes())
                .directHandlers(JsonDirectHandler.all())
                .shutdownHook(false)
                .routing(routing)
                .build()
                .start();
        return new QuireServer(server, config);
    }

    private static ObjectNode health(String status) {
        ObjectNode body = JsonBodies.MAPPER.createObjectNode();
        body.put("status", status);
        return body;
    }

    /**
     * The port the server listens on.
     *
     * @return the port
     */
    public int port() {
        return server.port();
    }

    /**
     * The server's base URL, such as {@code http://127.0.0.1:8888/}.
     *
     * @return the URL
     */
    public String url() {
        return "http://" + config.host() + ":" + port() + "/";
    }

    /**
     * The URL with the token, as Jupyter prints it at start.
     *
     * @return the URL with {@code ?token=...}
     */
    public String urlWithToken() {
        return url() + "?token=" + config.token();
    }

    /** Stops accepting connections and finishes in-flight requests. */
    @Override
    public void close() {
        server.stop();
    }
}
