package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.client.KernelChannels;
import io.quire.client.KernelExecution;
import io.quire.client.QuireClient;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.kernels.KernelQuotaExceededException;
import io.quire.server.http.ApiException;
import io.quire.server.kernels.KernelBackend;
import io.quire.server.kernels.KernelsConfig;
import io.quire.testing.Await;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The kernels: configuration on a running server: culling with a notice, engine health, Docker warm pools, quotas. */
@Timeout(120)
class KernelManagementServerTest {
    @TempDir
    Path dir;

    private ServerFixture start(KernelBackend backend) {
        String token = ServerConfig.randomToken();
        ServerConfig config = ServerConfig.defaults().with("port", "0", "test").with("root", dir.toString(), "test")
                .with("token", token, "test").with("default-kernel", backend.registry().discover().specs().keySet()
                        .iterator().next(), "test");
        return new ServerFixture(QuireServer.start(config, backend, "test"), token);
    }

    @Test
    void anIdleKernel_isCulled_afterAWarningToItsConnectedClients() throws Exception {
        KernelsConfig config = KernelsConfig.parse(Map.of("culling", Map.of("idle-timeout", "2s", "interval", "100ms",
                "warning", "1s", "cull-connected", true)), Map.of());
        FakeKernelProvisioner provisioner = FakeKernelProvisioner.create();
        try (ServerFixture server = start(KernelBackend.of(FakeKernelProvisioner.registry(dir.resolve("data")),
                provisioner, config))) {
            String id = ServerFixture.json(server.send(server.request("/api/kernels")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build())).path("id").asText();
            try (KernelSocket socket = KernelSocket.connect(server, id, false)) {
                JsonNode notice = socket.await("the cull notice", message ->
                        message.path("metadata").path("quire").path("notice").asText().equals("cull"));
                assertThat(notice.path("msg_type").asText()).isEqualTo("stream");
                assertThat(notice.path("content").path("text").asText()).contains("shut this idle kernel down");

                socket.await("status dead", message -> message.path("msg_type").asText().equals("status")
                        && message.path("content").path("execution_state").asText().equals("dead"));
                assertThat(socket.awaitClosedByServer()).isEqualTo(1000);
            }
            assertThat(server.get("/api/kernels/" + id).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aConnectedKernel_isSpared_whileAnUnconnectedOneIsCulled() throws Exception {
        KernelsConfig config = KernelsConfig.parse(Map.of("culling", Map.of("idle-timeout", "1500ms",
                "interval", "100ms", "warning", "500ms")), Map.of());
        try (ServerFixture server = start(KernelBackend.of(FakeKernelProvisioner.registry(dir.resolve("data")),
                FakeKernelProvisioner.create(), config))) {
            String connected = startKernel(server);
            String alone = startKernel(server);
            try (KernelSocket socket = KernelSocket.connect(server, connected, false)) {
                // the culler has passed both kernels' idle timeout once it culled the one without a connection
                Await.until(Duration.ofSeconds(30), "the unconnected kernel is culled",
                        () -> status(server, "/api/kernels/" + alone) == 404);
                // connected kernels are spared by default (cull-connected: false)
                assertThat(server.get("/api/kernels/" + connected).statusCode()).isEqualTo(200);
                assertThat(socket.isClosed()).isFalse();
            }
        }
    }

    private static String startKernel(ServerFixture server) throws Exception {
        return ServerFixture.json(server.send(server.request("/api/kernels")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build())).path("id").asText();
    }

    private static int status(ServerFixture server, String path) {
        try {
            return server.get(path).statusCode();
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        }
    }

    @Test
    void anUnreachableDockerEngine_makesReadinessFail_withTheReason() throws Exception {
        KernelsConfig config = KernelsConfig.parse(Map.of("docker", Map.of("host", "unix://" + dir.resolve("no.sock"),
                "scope", "health-test")), Map.of());
        try (ServerFixture server = start(KernelBackend.create(config, FakeKernelProvisioner.registry(dir.resolve("d"))))) {
            HttpResponse<String> ready = server.get("/health/ready");

            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
            JsonNode engine = null;
            for (JsonNode check : ServerFixture.json(ready).path("checks")) {
                if (check.path("name").asText().equals("kernel-engine")) {
                    engine = check;
                }
            }
            assertThat(engine).as("the kernel-engine check in %s", ready.body()).isNotNull();
            assertThat(engine.path("status").asText()).isEqualTo("DOWN");
            assertThat(engine.path("details").asText()).contains("no.sock").contains("does not answer");
        }
    }

    @Test
    void aQuotaRefusal_isA429WithItsOwnCode() {
        ApiException error = QuireServer.toApiError(new KernelQuotaExceededException(
                KernelQuotaExceededException.Scope.USER, "ada", 2, 2));

        assertThat(error.status()).isEqualTo(429);
        assertThat(error.code()).isEqualTo("kernel_quota_exceeded");
        assertThat(error.getMessage()).contains("ada").contains("2");
    }

    @Test
    void aDockerWarmPool_handsASessionAReadyKernel_thatRunsCode() throws Exception {
        DockerKernels.requireImage(DockerKernels.IMAGE);
        KernelsConfig config = KernelsConfig.parse(Map.of("local-specs", false,
                "docker", Map.of("scope", "pool-test-" + ProcessHandle.current().pid()),
                "sizes", Map.of("small", Map.of("cpus", 1, "memory", "512MiB", "pids", 256)),
                "images", List.of(Map.of("name", "python3-docker", "image", DockerKernels.IMAGE)),
                "pools", List.of(Map.of("spec", "python3-docker", "min-idle", 1, "max-idle", 1))), Map.of());
        try (ServerFixture server = start(KernelBackend.create(config, FakeKernelProvisioner.registry(dir.resolve("d"))))) {
            Await.until(Duration.ofSeconds(60), "the pool holds a ready kernel",
                    () -> metric(server, "quire_kernel_pool_kernels{spec=\"python3-docker\",size=\"\",state=\"idle\"}") == 1);

            long started = System.nanoTime();
            HttpResponse<String> created = server.send(server.request("/api/sessions").POST(HttpRequest.BodyPublishers
                    .ofString("{\"path\": \"a.ipynb\", \"type\": \"notebook\", \"kernel\": {\"name\": \"python3-docker\"}}"))
                    .build());
            long millis = (System.nanoTime() - started) / 1_000_000;

            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(millis).as("a pooled kernel is handed out without a launch").isLessThan(1000);
            assertThat(metric(server, "quire_kernel_pool_handed_out_total{spec=\"python3-docker\",size=\"\"}")).isEqualTo(1);
            String kernelId = ServerFixture.json(created).path("kernel").path("id").asText();
            QuireClient client = QuireClient.builder().baseUrl(URI.create(server.server.url())).token(server.token).build();
            try (KernelChannels channels = client.kernelChannels(kernelId)) {
                KernelExecution result = channels.execute("1+1", Duration.ofSeconds(60));
                assertThat(result.isOk()).as("%s", result).isTrue();
                assertThat(result.resultText()).contains("2");
            }
        }
    }

    private static double metric(ServerFixture server, String series) {
        String body;
        try {
            body = server.get("/metrics").body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("cannot scrape /metrics", e);
        }
        for (String line : body.lines().toList()) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).strip());
            }
        }
        return -1;
    }
}
