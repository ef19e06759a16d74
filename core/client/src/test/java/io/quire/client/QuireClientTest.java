package io.quire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SDK against a scripted JDK HTTP server; time is a fake clock advanced by the injected sleeper. */
class QuireClientTest {
    private HttpServer http;
    private final AtomicInteger polls = new AtomicInteger();
    private final List<Duration> sleeps = new ArrayList<>();
    private Instant now = Instant.parse("2026-11-26T10:00:00Z");

    @AfterEach
    void stop() {
        if (http != null) {
            http.stop(0);
        }
    }

    private QuireClient serve(int finishedAfterPolls) throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/api/v1/runs/", exchange -> {
            String status = polls.incrementAndGet() > finishedAfterPolls ? "succeeded" : "running";
            byte[] body = ("{\"id\":\"r1\",\"file_id\":\"f_x\",\"status\":\"" + status + "\",\"kernel\":\"fake\","
                    + "\"created_at\":\"2026-11-26T10:00:00Z\",\"started_at\":null,\"finished_at\":null,"
                    + "\"cells_done\":0,\"cells_total\":3,\"future_field\":true}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.createContext("/api/v1/files/", exchange -> {
            byte[] body = "{\"code\":\"not_found\",\"message\":\"no file with id 'f_x'\",\"reason\":\"Not Found\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        return QuireClient.builder().baseUrl(URI.create("http://127.0.0.1:" + http.getAddress().getPort()))
                .token("t").clock(clock).sleeper(duration -> {
                    sleeps.add(duration);
                    now = now.plus(duration);
                }).pollIntervals(Duration.ofMillis(100), Duration.ofMillis(300)).build();
    }

    @Test
    void createNotebook_refusesAPathThatIsNotANotebook_beforeAnyRequest() throws IOException {
        QuireClient quire = serve(0);
        var notebook = Wire.JSON.createObjectNode();
        assertThatThrownBy(() -> quire.createNotebook("notes.txt", notebook))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".ipynb");
        assertThatThrownBy(() -> quire.createNotebook("/", notebook)).isInstanceOf(IllegalArgumentException.class);
        assertThat(polls).hasValue(0);
    }

    @Test
    void awaitRun_pollsWithDoublingBackoffUpToTheMaximum() throws IOException {
        QuireClient client = serve(4);

        Run run = client.awaitRun("r1", Duration.ofMinutes(1));

        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300),
                Duration.ofMillis(300));
    }

    @Test
    void awaitRun_givesUpAtTheDeadline_withTheLastSeenRun() throws IOException {
        QuireClient client = serve(Integer.MAX_VALUE);

        assertThatThrownBy(() -> client.awaitRun("r1", Duration.ofMillis(450)))
                .isInstanceOfSatisfying(QuireTimeoutException.class, e -> {
                    assertThat(e.run()).hasValueSatisfying(run -> assertThat(run.status()).isEqualTo(RunStatus.RUNNING));
                    assertThat(e.getMessage()).contains("r1");
                });
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(150));
    }

    @Test
    void errorResponse_becomesQuireApiException_withTheServersCodeAndMessage() throws IOException {
        QuireClient client = serve(0);

        assertThatThrownBy(() -> client.file("f_x")).isInstanceOfSatisfying(QuireApiException.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.code()).isEqualTo("not_found");
            assertThat(e.error().message()).isEqualTo("no file with id 'f_x'");
        });
    }
}
