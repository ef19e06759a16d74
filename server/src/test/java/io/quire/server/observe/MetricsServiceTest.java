package io.quire.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsServiceTest {

    private static ObserveServer start(ServerMetrics metrics, List<String> publicPrefixes) {
        return ObserveServer.start(metrics, AccessLog.create(), HttpMetricsFilter.create(metrics), publicPrefixes,
                routing -> {
                });
    }

    @Test
    void get_servesTextFormat004WithItsContentType() throws Exception {
        ServerMetrics metrics = ServerMetrics.create(List::of);
        metrics.executionRequested();
        try (ObserveServer server = start(metrics, List.of("/health/"))) {
            HttpResponse<String> response = server.send(server.authorized("/metrics").GET().build());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(response.body()).contains("# TYPE quire_http_requests_total counter\n")
                    .contains("# TYPE quire_http_request_duration_seconds histogram\n")
                    .contains("quire_executions_total 1\n");
        }
    }

    @Test
    void get_needsTheTokenByDefault() throws Exception {
        ServerMetrics metrics = ServerMetrics.create(List::of);
        try (ObserveServer server = start(metrics, List.of("/health/"))) {
            assertThat(server.send(server.request("/metrics").GET().build()).statusCode()).isEqualTo(401);
            assertThat(server.send(server.request("/metrics").header("Authorization", "Bearer " + ObserveServer.TOKEN)
                    .GET().build()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void get_needsNoTokenWhenMadePublic() throws Exception {
        ServerMetrics metrics = ServerMetrics.create(List::of);
        try (ObserveServer server = start(metrics, List.of("/health/", MetricsService.PATH))) {
            assertThat(server.send(server.request("/metrics").GET().build()).statusCode()).isEqualTo(200);
        }
    }
}
