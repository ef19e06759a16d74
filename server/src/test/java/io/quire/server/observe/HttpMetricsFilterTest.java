package io.quire.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.server.http.ApiException;
import io.quire.testing.Await;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpMetricsFilterTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Each reading of the fake clock is 3 ms after the previous one: every request takes 3 ms. */
    private final AtomicLong clock = new AtomicLong();
    private ServerMetrics metrics;
    private ObserveServer server;

    @BeforeEach
    void start() {
        metrics = ServerMetrics.create(List::of);
        HttpMetricsFilter filter = HttpMetricsFilter.create(metrics, RouteTemplates.quire(),
                () -> clock.addAndGet(3_000_000));
        server = ObserveServer.start(metrics, AccessLog.create(), filter, List.of("/health/"), routing -> routing
                .get("/api/kernels/{id}", (request, response) -> {
                    if (request.path().pathParameters().get("id").equals("missing")) {
                        throw ApiException.notFound("no kernel missing");
                    }
                    response.send("{}");
                })
                .put("/api/contents/*", (request, response) -> response.send("{}"))
                .get("/api/status", (request, response) -> {
                    throw new IllegalStateException("unexpected");
                }));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private long requests(String method, String route, String status) {
        return Scrapes.value(metrics.registry().scrape(), "quire_http_requests_total{method=\"" + method
                + "\",route=\"" + route + "\",status=\"" + status + "\"}");
    }

    @Test
    void records200UnderTheRouteTemplateNotTheRawPath() throws Exception {
        HttpResponse<String> response = server.send(server.authorized("/api/kernels/6f1c0d7e").GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        Await.until(WAIT, "the request to be counted", () -> requests("GET", "/api/kernels/{id}", "200") == 1);
        assertThat(metrics.registry().scrape()).doesNotContain("6f1c0d7e");
    }

    @Test
    void records404SentByTheErrorHandlerAfterTheFiltersReturned() throws Exception {
        HttpResponse<String> response = server.send(server.authorized("/api/kernels/missing").GET().build());

        assertThat(response.statusCode()).isEqualTo(404);
        Await.until(WAIT, "the 404 to be counted", () -> requests("GET", "/api/kernels/{id}", "404") == 1);
        assertThat(requests("GET", "/api/kernels/{id}", "200")).isZero();
    }

    @Test
    void recordsTheStatusOfAnErrorThrownByALaterFilterAndHandledAfterAllFiltersReturned() throws Exception {
        HttpResponse<String> response = server.send(server.authorized("/api/kernels/k")
                .header(ObserveServer.THROW_IN_FILTER.defaultCase(), "yes").GET().build());

        assertThat(response.statusCode()).isEqualTo(429);
        Await.until(WAIT, "the 429 to be counted", () -> requests("GET", "/api/kernels/{id}", "429") == 1);
    }

    @Test
    void records404OfAnUnknownPathAsUnmatched() throws Exception {
        HttpResponse<String> response = server.send(server.authorized("/no/such/thing").GET().build());

        assertThat(response.statusCode()).isEqualTo(404);
        Await.until(WAIT, "the 404 to be counted", () -> requests("GET", RouteTemplates.UNMATCHED, "404") == 1);
    }

    @Test
    void records413SentByTheBodyLimitFilter() throws Exception {
        HttpResponse<String> response = server.send(server.authorized("/api/contents/big.txt")
                .PUT(HttpRequest.BodyPublishers.ofString("x".repeat((int) ObserveServer.MAX_BODY + 1))).build());

        assertThat(response.statusCode()).isEqualTo(413);
        Await.until(WAIT, "the 413 to be counted", () -> requests("PUT", "/api/contents/{path}", "413") == 1);
    }

    @Test
    void records500OfAnUnexpectedException() throws Exception {
        HttpResponse<String> response = server.send(server.authorized("/api/status").GET().build());

        assertThat(response.statusCode()).isEqualTo(500);
        Await.until(WAIT, "the 500 to be counted", () -> requests("GET", "/api/status", "500") == 1);
    }

    @Test
    void records401OfTheTokenFilter() throws Exception {
        HttpResponse<String> response = server.send(server.request("/api/kernels/k").GET().build());

        assertThat(response.statusCode()).isEqualTo(401);
        Await.until(WAIT, "the 401 to be counted", () -> requests("GET", "/api/kernels/{id}", "401") == 1);
    }

    @Test
    void recordsTheDurationInTheHistogramBucketOfTheMeasuredTime() throws Exception {
        server.send(server.authorized("/api/kernels/k").GET().build());

        String count = "quire_http_request_duration_seconds_count{method=\"GET\",route=\"/api/kernels/{id}\"}";
        Await.until(WAIT, "the duration to be recorded", () -> Scrapes.value(metrics.registry().scrape(), count) == 1);
        String scrape = metrics.registry().scrape();
        assertThat(scrape)
                .contains("quire_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/kernels/{id}\","
                        + "le=\"0.0025\"} 0\n")
                .contains("quire_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/kernels/{id}\","
                        + "le=\"0.005\"} 1\n")
                .contains("quire_http_request_duration_seconds_sum{method=\"GET\",route=\"/api/kernels/{id}\"}"
                        + " 0.003\n");
    }
}
