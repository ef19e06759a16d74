package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.testing.Await;
import io.quire.testing.Engines;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server end to end with a real ipykernel started as a local process: a session over REST, code over the kernel
 * WebSocket, and the kernel process gone once the session is deleted.
 */
class IpykernelServerTest {
    private static final String TOKEN = "ipykernel-token";
    private static final Duration KERNEL_WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;
    ServerFixture fixture;

    @BeforeEach
    void start() throws Exception {
        Engines.requireIpykernel();
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("nb"));
        ServerConfig config = ServerConfig.defaults().with("port", "0", "test").with("root", root.toString(), "test")
                .with("token", TOKEN, "test").with("default-kernel", "python3", "test");
        fixture = new ServerFixture(QuireServer.start(config, KernelSpecRegistry.create(), "test"), TOKEN);
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static List<ProcessHandle> ipykernels() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().commandLine().orElse("").contains("ipykernel"))
                .toList();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return fixture.send(request.timeout(KERNEL_WAIT).header("Content-Type", "application/json").build());
    }

    @Test
    void session_executesOnePlusOneOverTheWebSocket_andDeletingItEndsTheKernelProcess() throws Exception {
        HttpResponse<String> created = send(fixture.request("/api/sessions").POST(HttpRequest.BodyPublishers.ofString(
                "{\"path\": \"nb/real.ipynb\", \"name\": \"real.ipynb\", \"type\": \"notebook\","
                        + " \"kernel\": {\"name\": \"python3\"}}")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode session = ServerFixture.json(created);
        String kernelId = session.path("kernel").path("id").asText();
        assertThat(ipykernels()).as("ipykernel processes while the session runs").isNotEmpty();

        try (KernelSocket socket = KernelSocket.connect(fixture, kernelId, true)) {
            String msgId = socket.execute("1+1");

            JsonNode result = Await.untilPresent(KERNEL_WAIT, () -> "execute_result of 1+1; got " + socket.received(),
                    () -> socket.received().stream()
                            .filter(message -> KernelSocket.isChild(message, msgId, "execute_result"))
                            .findFirst().orElse(null));
            assertThat(result.path("content").path("data").path("text/plain").asText()).isEqualTo("2");
            assertThat(socket.awaitChild(msgId, "execute_reply").path("content").path("status").asText())
                    .isEqualTo("ok");
        }

        HttpResponse<String> deleted = send(fixture.request("/api/sessions/" + session.path("id").asText()).DELETE());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);

        Await.untilPresent(Duration.ofSeconds(30), () -> "no ipykernel process left; still running: " + ipykernels(),
                () -> ipykernels().isEmpty() ? Boolean.TRUE : null);
        assertThat(fixture.get("/api/kernels/" + kernelId).statusCode()).isEqualTo(404);
    }
}
