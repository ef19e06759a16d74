package io.quire.server.jupyter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.server.http.JsonBodies;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.function.IntSupplier;

/** {@code GET /api}, {@code /api/status} and {@code /api/me}, as Jupyter Server answers them. */
public final class ApiRootService implements HttpService {
    /** The Jupyter Server REST API version Quire implements. */
    public static final String JUPYTER_API_VERSION = "2.14.0";

    private final String quireVersion;
    private final Clock clock;
    private final Instant started;
    private final IntSupplier kernels;
    private final IntSupplier connections;
    private final String username;

    /**
     * Creates the service.
     *
     * @param quireVersion the Quire version
     * @param clock        the clock
     * @param kernels      how many kernels run
     * @param connections  how many kernel WebSocket connections are open
     * @param username     the user this single-user server serves
     */
    public ApiRootService(String quireVersion, Clock clock, IntSupplier kernels, IntSupplier connections,
            String username) {
        this.quireVersion = quireVersion;
        this.clock = clock;
        this.started = clock.instant();
        this.kernels = kernels;
        this.connections = connections;
        this.username = username;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::version)
                .get("/status", this::status)
                .get("/me", this::me);
    }

    private void version(ServerRequest request, ServerResponse response) {
        ObjectNode body = JsonBodies.MAPPER.createObjectNode();
        body.put("version", JUPYTER_API_VERSION);
        body.put("quire_version", quireVersion);
        JsonBodies.ok(response, body);
    }

    private void status(ServerRequest request, ServerResponse response) {
        ObjectNode body = JsonBodies.MAPPER.createObjectNode();
        body.put("started", started.toString());
        body.put("last_activity", clock.instant().toString());
        body.put("connections", connections.getAsInt());
        body.put("kernels", kernels.getAsInt());
        JsonBodies.ok(response, body);
    }

    private void me(ServerRequest request, ServerResponse response) {
        ObjectNode body = JsonBodies.MAPPER.createObjectNode();
        ObjectNode identity = body.putObject("identity");
        identity.put("username", username);
        identity.put("name", username);
        identity.put("display_name", username);
        identity.put("initials", username.isEmpty() ? "" : username.substring(0, 1).toUpperCase(java.util.Locale.ROOT));
        identity.putNull("avatar_url");
        identity.putNull("color");
        body.putObject("permissions");
        JsonBodies.ok(response, body);
    }
}
