package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.kernel.FakeKernelProvisioner;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cross-origin requests from browsers: off by default, configurable, pre-flights without a token. */
class CorsTest {
    private static final String LAB = "https://lab.example.org";
    private static final String EVIL = "https://evil.example";

    @TempDir
    Path dir;

    private FakeKernelServer start(UnaryOperator<ServerConfig> settings) {
        return FakeKernelServer.start(dir, FakeKernelProvisioner.create(), settings);
    }

    private static HttpResponse<String> get(FakeKernelServer server, String path, String origin) throws Exception {
        return server.fixture.send(server.fixture.request(path).header("Origin", origin).GET().build());
    }

    private static HttpResponse<String> preflight(FakeKernelServer server, String origin, String method,
            String headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.fixture.uri("/api/kernels"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", method);
        if (!headers.isEmpty()) {
            request.header("Access-Control-Request-Headers", headers);
        }
        return server.fixture.send(request.build());
    }

    private static void assertNoCorsHeaders(HttpResponse<String> response) {
        assertThat(response.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("access-control"));
    }

    @Test
    void byDefault_noCorsHeaders_crossOriginRefused_sameOriginAndOriginlessClientsServed() throws Exception {
        try (FakeKernelServer server = start(config -> config)) {
            HttpResponse<String> plain = server.get("/api");
            assertThat(plain.statusCode()).isEqualTo(200);
            assertNoCorsHeaders(plain);

            HttpResponse<String> same = get(server, "/api", "http://127.0.0.1:" + server.fixture.server.port());
            assertThat(same.statusCode()).isEqualTo(200);
            assertNoCorsHeaders(same);

            HttpResponse<String> cross = get(server, "/api", LAB);
            assertThat(FakeKernelServer.assertJsonError(cross, 403).path("message").asText())
                    .contains(LAB, "cors-allowed-origins");
            assertNoCorsHeaders(cross);

            HttpResponse<String> preflight = preflight(server, LAB, "POST", "authorization");
            assertThat(preflight.statusCode()).isEqualTo(403);
            assertNoCorsHeaders(preflight);
        }
    }

    @Test
    void allowedOrigin_getsCorsHeaders_andIsStillAuthenticated() throws Exception {
        try (FakeKernelServer server = start(config -> config.with("cors-allowed-origins", LAB, "test"))) {
            HttpResponse<String> allowed = get(server, "/api", LAB);
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains(LAB);
            assertThat(allowed.headers().firstValue("Vary")).hasValueSatisfying(vary -> assertThat(vary)
                    .contains("Origin"));
            assertThat(allowed.headers().firstValue("Access-Control-Expose-Headers")).contains("X-Request-Id");
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();

            HttpResponse<String> noToken = server.fixture.send(HttpRequest.newBuilder(server.fixture.uri("/api"))
                    .header("Origin", LAB).GET().build());
            FakeKernelServer.assertJsonError(noToken, 401);
            assertThat(noToken.headers().firstValue("Access-Control-Allow-Origin"))
                    .as("the page can read why it was refused").contains(LAB);

            FakeKernelServer.assertJsonError(get(server, "/api", EVIL), 403);
        }
    }

    @Test
    void preflight_fromAnAllowedOrigin_isAnsweredWithoutAToken() throws Exception {
        try (FakeKernelServer server = start(config -> config.with("cors-allowed-origins", LAB + ",http://x.test", "t")
                .with("cors-max-age", "120", "t").with("cors-allow-credentials", "true", "t"))) {
            HttpResponse<String> response = preflight(server, LAB, "POST", "Authorization, Content-Type");

            assertThat(response.statusCode()).isEqualTo(204);
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains(LAB);
            assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(methods ->
                    assertThat(methods).contains("GET", "POST", "PUT", "PATCH", "DELETE"));
            assertThat(response.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(headers ->
                    assertThat(headers).contains("authorization", "content-type"));
            assertThat(response.headers().firstValue("Access-Control-Max-Age")).contains("120");
            assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
        }
    }

    @Test
    void preflight_askingForAMethodOrHeaderNotAllowed_isRefused() throws Exception {
        try (FakeKernelServer server = start(config -> config.with("cors-allowed-origins", LAB, "t")
                .with("cors-allowed-methods", "GET", "t"))) {
            assertThat(FakeKernelServer.assertJsonError(preflight(server, LAB, "DELETE", ""), 403)
                    .path("message").asText()).contains("DELETE", "cors-allowed-methods");
            assertThat(FakeKernelServer.assertJsonError(preflight(server, LAB, "GET", "X-Secret"), 403)
                    .path("message").asText()).contains("x-secret", "cors-allowed-headers");
        }
    }

    @Test
    void optionsThatIsNotAPreflight_needsTheToken() throws Exception {
        try (FakeKernelServer server = start(config -> config.with("cors-allowed-origins", LAB, "t"))) {
            HttpResponse<String> response = server.fixture.send(HttpRequest.newBuilder(server.fixture.uri("/api"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());

            FakeKernelServer.assertJsonError(response, 401);
        }
    }

    @Test
    void wildcard_allowsEveryOriginOverHttp() throws Exception {
        try (FakeKernelServer server = start(config -> config.with("cors-allowed-origins", "*", "t"))) {
            HttpResponse<String> response = get(server, "/api", EVIL);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
            assertThat(preflight(server, EVIL, "PUT", "authorization").statusCode()).isEqualTo(204);
        }
    }

    @Test
    void webSocket_fromAnAllowedOrigin_opens_fromAnyOtherIsRefusedWith403() throws Exception {
        try (FakeKernelServer server = start(config -> config.with("cors-allowed-origins", LAB, "t"))) {
            String kernelId = server.startKernel().path("id").asText();
            URI uri = URI.create(KernelSocket.uri(server.fixture, kernelId) + "?token=" + FakeKernelServer.TOKEN);

            try (KernelSocket socket = KernelSocket.open(server.fixture.http, uri, false,
                    builder -> builder.header("Origin", LAB)).get(KernelSocket.WAIT.toSeconds(), TimeUnit.SECONDS)) {
                String msgId = socket.kernelInfo();
                socket.awaitChild(msgId, "kernel_info_reply");
            }
            assertWebSocketRefused(server, uri, EVIL);
        }
    }

    @Test
    void webSocket_byDefault_refusesOtherOrigins_andTheWildcardDoesNotOpenThem() throws Exception {
        try (FakeKernelServer server = start(config -> config.with("cors-allowed-origins", "*", "t"))) {
            String kernelId = server.startKernel().path("id").asText();
            URI uri = URI.create(KernelSocket.uri(server.fixture, kernelId) + "?token=" + FakeKernelServer.TOKEN);

            assertWebSocketRefused(server, uri, LAB);
            try (KernelSocket same = KernelSocket.open(server.fixture.http, uri, false, builder -> builder.header(
                    "Origin", "http://127.0.0.1:" + server.fixture.server.port()))
                    .get(KernelSocket.WAIT.toSeconds(), TimeUnit.SECONDS)) {
                assertThat(same.isClosed()).isFalse();
            }
        }
    }

    private static void assertWebSocketRefused(FakeKernelServer server, URI uri, String origin) {
        assertThatThrownBy(() -> KernelSocket.open(server.fixture.http, uri, false, builder -> builder.header("Origin",
                origin)).get(KernelSocket.WAIT.toSeconds(), TimeUnit.SECONDS).close())
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class, refused -> {
                    assertThat(refused.getResponse().statusCode()).isEqualTo(403);
                    assertThat(String.valueOf(refused.getResponse().body())).contains("Origin", "cors-allowed-origins");
                });
    }
}
