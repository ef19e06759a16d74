package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.kernel.KernelSpecRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuireServerTest {
    @TempDir
    static Path dir;
    static ServerFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        Path specDir = Files.createDirectories(dir.resolve("data/kernels/echo"));
        Files.writeString(specDir.resolve("kernel.json"), """
                {"argv": ["echo-kernel", "-f", "{connection_file}"], "display_name": "Echo", "language": "text",
                 "env": {"A": "1"}, "metadata": {"debugger": false}}
                """);
        Files.write(specDir.resolve("logo-64x64.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Path root = Files.createDirectories(dir.resolve("root"));
        ServerConfig config = ServerConfig.defaults().with("port", "0", "test").with("root", root.toString(), "test")
                .with("token", "secret-token", "test").with("max-body-bytes", "1000", "test")
                .with("default-kernel", "echo", "test");
        fixture = new ServerFixture(QuireServer.start(config, KernelSpecRegistry.of(List.of(dir.resolve("data"))), "9.9"),
                "secret-token");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void api_withoutTokenIs401WithJsonError() throws Exception {
        HttpResponse<String> response = fixture.send(HttpRequest.newBuilder(fixture.uri("/api")).GET().build());
        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode body = ServerFixture.json(response);
        assertThat(body.path("code").asText()).isEqualTo("unauthorized");
        assertThat(body.path("message").asText()).contains("token");
        assertThat(body.path("reason").asText()).isEqualTo("Unauthorized");
    }

    @Test
    void api_withWrongTokenIs403() throws Exception {
        HttpResponse<String> response = fixture.send(HttpRequest.newBuilder(fixture.uri("/api"))
                .header("Authorization", "token wrong").GET().build());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(ServerFixture.json(response).path("code").asText()).isEqualTo("forbidden");
    }

    @Test
    void api_acceptsTokenHeaderBearerAndQueryParameter() throws Exception {
        assertThat(fixture.get("/api").statusCode()).isEqualTo(200);
        assertThat(fixture.send(HttpRequest.newBuilder(fixture.uri("/api"))
                .header("Authorization", "Bearer secret-token").GET().build()).statusCode()).isEqualTo(200);
        HttpResponse<String> query = fixture.send(HttpRequest.newBuilder(fixture.uri("/api?token=secret-token")).GET().build());
        assertThat(query.statusCode()).isEqualTo(200);
        assertThat(ServerFixture.json(query).path("version").asText()).isNotEmpty();
        assertThat(ServerFixture.json(query).path("quire_version").asText()).isEqualTo("9.9");
    }

    @Test
    void health_needsNoToken() throws Exception {
        HttpResponse<String> live = fixture.send(HttpRequest.newBuilder(fixture.uri("/health/live")).GET().build());
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(ServerFixture.json(live).path("status").asText()).isEqualTo("UP");
    }

    @Test
    void everyResponseCarriesARequestIdAndKeepsASaneOne() throws Exception {
        assertThat(fixture.get("/api").headers().firstValue("X-Request-Id")).isPresent();
        HttpResponse<String> response = fixture.send(fixture.request("/api").header("X-Request-Id", "abc-123").GET().build());
        assertThat(response.headers().firstValue("X-Request-Id")).contains("abc-123");
        HttpResponse<String> insane = fixture.send(fixture.request("/api").header("X-Request-Id", "bad id with spaces").GET().build());
        assertThat(insane.headers().firstValue("X-Request-Id")).isPresent().get().asString().doesNotContain(" ");
    }

    @Test
    void unknownRouteIs404WithJsonError() throws Exception {
        HttpResponse<String> response = fixture.get("/api/no/such/thing");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(ServerFixture.json(response).path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void bodyOverTheLimitIs413WithJsonError() throws Exception {
        HttpResponse<String> response = fixture.send(fixture.request("/api/kernelspecs")
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(5000))).build());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(ServerFixture.json(response).path("code").asText()).isEqualTo("payload_too_large");
    }

    @Test
    void kernelspecs_listsSpecsInJupyterShapeWithResourceUrls() throws Exception {
        HttpResponse<String> response = fixture.get("/api/kernelspecs");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = ServerFixture.json(response);
        assertThat(body.path("default").asText()).isEqualTo("echo");
        JsonNode echo = body.path("kernelspecs").path("echo");
        assertThat(echo.path("name").asText()).isEqualTo("echo");
        assertThat(echo.path("spec").path("display_name").asText()).isEqualTo("Echo");
        assertThat(echo.path("spec").path("language").asText()).isEqualTo("text");
        assertThat(echo.path("spec").path("env").path("A").asText()).isEqualTo("1");
        assertThat(echo.path("spec").path("interrupt_mode").asText()).isEqualTo("signal");
        assertThat(echo.path("resources").path("logo-64x64").asText()).isEqualTo("/kernelspecs/echo/logo-64x64.png");
    }

    @Test
    void kernelspecResource_servesTheLogoAndRefusesUnknownFiles() throws Exception {
        HttpResponse<byte[]> logo = fixture.http.send(fixture.request("/kernelspecs/echo/logo-64x64.png").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(logo.statusCode()).isEqualTo(200);
        assertThat(logo.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(logo.body()).startsWith((byte) 0x89, (byte) 'P');
        assertThat(fixture.get("/kernelspecs/echo/kernel.json.bak").statusCode()).isEqualTo(404);
        assertThat(fixture.get("/kernelspecs/echo/..%2F..%2Fetc%2Fpasswd").statusCode()).isEqualTo(404);
        assertThat(fixture.get("/api/kernelspecs/nope").statusCode()).isEqualTo(404);
    }
}
