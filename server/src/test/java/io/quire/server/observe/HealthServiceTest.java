package io.quire.server.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quire.testing.Await;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static ObserveServer start(HealthService health) {
        ServerMetrics metrics = ServerMetrics.create(List::of);
        return ObserveServer.start(metrics, AccessLog.create(), HttpMetricsFilter.create(metrics), List.of("/health/"),
                routing -> routing.register(HealthService.PATH, health));
    }

    @Test
    void live_isUpWithoutToken() throws Exception {
        try (ObserveServer server = start(HealthService.builder().build())) {
            HttpResponse<String> response = server.send(server.request("/health/live").GET().build());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).path("status").asText()).isEqualTo("UP");
        }
    }

    @Test
    void ready_is200WithEveryCheckWhenAllAreUp() throws Exception {
        HealthService health = HealthService.builder()
                .check("contents", HealthChecks.contentsRoot(dir))
                .check("kernels", HealthChecks.kernels(() -> List.of("k1", "k2")))
                .build();
        try (ObserveServer server = start(health)) {
            HttpResponse<String> response = server.send(server.request("/health/ready").GET().build());

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.path("status").asText()).isEqualTo("UP");
            assertThat(body.has("code")).isFalse();
            assertThat(body.path("checks")).hasSize(2);
            assertThat(body.path("checks").get(0).path("name").asText()).isEqualTo("contents");
            assertThat(body.path("checks").get(0).path("status").asText()).isEqualTo("UP");
            assertThat(body.path("checks").get(1).path("name").asText()).isEqualTo("kernels");
            assertThat(body.path("checks").get(1).path("details").asText()).contains("2 kernels");
        }
    }

    @Test
    void ready_is503WithTheErrorShapeWhenACheckIsDown() throws Exception {
        HealthService health = HealthService.builder()
                .check("contents", HealthChecks.contentsRoot(dir))
                .check("docker", () -> HealthCheck.Result.down("the engine does not answer"))
                .build();
        try (ObserveServer server = start(health)) {
            HttpResponse<String> response = server.send(server.request("/health/ready").GET().build());

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.path("status").asText()).isEqualTo("DOWN");
            assertThat(body.path("code").asText()).isEqualTo("unavailable");
            assertThat(body.path("reason").asText()).isEqualTo("Service Unavailable");
            assertThat(body.path("message").asText()).contains("docker is DOWN (the engine does not answer)");
            assertThat(body.path("checks").get(0).path("status").asText()).isEqualTo("UP");
            assertThat(body.path("checks").get(1).path("name").asText()).isEqualTo("docker");
            assertThat(body.path("checks").get(1).path("status").asText()).isEqualTo("DOWN");
            assertThat(body.path("checks").get(1).path("details").asText()).isEqualTo("the engine does not answer");
        }
    }

    @Test
    void readiness_reportsAThrowingCheckDownByExceptionTypeOnly() {
        HealthService health = HealthService.builder()
                .check("kernels", HealthChecks.kernels(() -> {
                    throw new IllegalStateException("secret /home/someone/path");
                }))
                .build();

        HealthService.NamedResult result = health.readiness().checks().getFirst();
        assertThat(result.state()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.details()).isEqualTo("failed with IllegalStateException");
    }

    @Test
    void readiness_reportsACheckThatMissesTheDeadlineDownAndDoesNotStartItAgainWhileItHangs() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        HealthService health = HealthService.builder()
                .timeout(Duration.ofMillis(50))
                .check("kernels", HealthChecks.kernels(() -> {
                    calls.incrementAndGet();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return List.of();
                }))
                .build();
        try {
            HealthService.Readiness first = health.readiness();
            HealthService.Readiness second = health.readiness();

            assertThat(first.state()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(first.checks().getFirst().details()).isEqualTo("did not answer within 50 ms");
            assertThat(second.state()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(calls).hasValue(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void readiness_isUpAgainOnceAHungCheckAnswers() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        HealthService health = HealthService.builder()
                .timeout(Duration.ofMillis(50))
                .check("slow", () -> {
                    if (calls.incrementAndGet() == 1) {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return HealthCheck.Result.up("answered");
                })
                .build();
        try {
            assertThat(health.readiness().state()).isEqualTo(HealthCheck.State.DOWN);
        } finally {
            release.countDown();
        }

        Await.until(Duration.ofSeconds(10), "the check to be UP again",
                () -> health.readiness().state() == HealthCheck.State.UP);
    }

    @Test
    void contentsRoot_isDownWhenTheRootIsGone() throws Exception {
        Path root = Files.createDirectory(dir.resolve("root"));
        HealthCheck check = HealthChecks.contentsRoot(root);
        assertThat(check.check().state()).isEqualTo(HealthCheck.State.UP);

        Files.delete(root);

        HealthCheck.Result result = check.check();
        assertThat(result.state()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.details()).doesNotContain(root.toString());
    }

    @Test
    void contentsRoot_isDownWhenTheRootIsNotWritable() throws Exception {
        Path root = Files.createDirectory(dir.resolve("readonly"));

        HealthCheck.Result result = HealthChecks.contentsRoot(root, path -> false).check();

        assertThat(result.state()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.details()).isEqualTo("the contents root is not writable");
    }

    @Test
    void builder_rejectsDuplicateNamesAndNonPositiveDeadlines() {
        HealthService.Builder builder = HealthService.builder().check("a", () -> HealthCheck.Result.up("ok"));

        assertThatThrownBy(() -> builder.check("a", () -> HealthCheck.Result.up("ok")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a'");
        assertThatThrownBy(() -> builder.timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    }
}
