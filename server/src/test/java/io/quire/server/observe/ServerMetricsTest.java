package io.quire.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.kernels.ExecutionState;
import io.quire.kernels.ManagedKernelInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {

    private static ManagedKernelInfo kernel(String id, ExecutionState state) {
        return new ManagedKernelInfo(id, "python3", Instant.EPOCH, state, 0, Optional.empty());
    }

    @Test
    void kernels_countsEveryStateIncludingZerosAtScrapeTime() {
        List<ManagedKernelInfo> kernels = new ArrayList<>();
        ServerMetrics metrics = ServerMetrics.create(() -> List.copyOf(kernels));
        kernels.add(kernel("a", ExecutionState.IDLE));
        kernels.add(kernel("b", ExecutionState.IDLE));
        kernels.add(kernel("c", ExecutionState.BUSY));

        assertThat(metrics.registry().scrape()).contains("""
                # HELP quire_kernels Kernels known to the server, by execution state.
                # TYPE quire_kernels gauge
                quire_kernels{state="busy"} 1
                quire_kernels{state="dead"} 0
                quire_kernels{state="idle"} 2
                quire_kernels{state="restarting"} 0
                quire_kernels{state="starting"} 0
                """);
    }

    @Test
    void webSocketConnections_isZeroUntilBoundThenReadsTheSupplier() {
        ServerMetrics metrics = ServerMetrics.create(List::of);

        assertThat(metrics.registry().scrape()).contains("\nquire_websocket_connections 0\n");
        metrics.webSocketConnections(() -> 3);
        assertThat(metrics.registry().scrape()).contains("\nquire_websocket_connections 3\n");
    }

    @Test
    void executionsAndIopubMessages_areCounted() {
        ServerMetrics metrics = ServerMetrics.create(List::of);
        metrics.executionRequested();
        metrics.iopubMessage();
        metrics.iopubMessage();

        String scrape = metrics.registry().scrape();
        assertThat(Scrapes.value(scrape, "quire_executions_total")).isEqualTo(1);
        assertThat(Scrapes.value(scrape, "quire_iopub_messages_total")).isEqualTo(2);
    }

    @Test
    void requestCompleted_countsByStatusAndTimesByRoute() {
        ServerMetrics metrics = ServerMetrics.create(List::of);
        metrics.requestCompleted("GET", "/api/kernels", 200, 2_000_000);
        metrics.requestCompleted("GET", "/api/kernels", 500, 20_000_000);

        String scrape = metrics.registry().scrape();
        String requests = "quire_http_requests_total{method=\"GET\",route=\"/api/kernels\",status=";
        assertThat(Scrapes.value(scrape, requests + "\"200\"}")).isEqualTo(1);
        assertThat(Scrapes.value(scrape, requests + "\"500\"}")).isEqualTo(1);
        assertThat(Scrapes.value(scrape,
                "quire_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/kernels\",le=\"0.0025\"}"))
                .isEqualTo(1);
        assertThat(Scrapes.value(scrape,
                "quire_http_request_duration_seconds_count{method=\"GET\",route=\"/api/kernels\"}")).isEqualTo(2);
    }
}
