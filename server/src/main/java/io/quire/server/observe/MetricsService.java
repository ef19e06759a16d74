package io.quire.server.observe;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Serves {@code GET /metrics} in the Prometheus text exposition format 0.0.4. Register it at {@link #PATH}. Whether
 * it needs the server token is decided by the token filter's public prefixes (see
 * {@code docs/decisions/0005-metrics.md}: by default it does; Prometheus sends it as a bearer token).
 */
public final class MetricsService implements HttpService {
    /** Where the service is registered. */
    public static final String PATH = "/metrics";

    private final Metrics metrics;

    private MetricsService(Metrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Creates the service.
     *
     * @param metrics the registry to render
     * @return the service
     */
    public static MetricsService create(Metrics metrics) {
        return new MetricsService(Objects.requireNonNull(metrics, "metrics"));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::scrape);
    }

    private void scrape(ServerRequest request, ServerResponse response) {
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        response.header(HeaderNames.CONTENT_TYPE, Metrics.CONTENT_TYPE);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.send(body);
    }
}
