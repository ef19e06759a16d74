package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.kernel.FakeKernelProvisioner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A server over in-JVM fake kernels (spec {@code fake}, also the default) serving a fresh root folder, plus the JSON
 * requests and error assertions the API tests share.
 */
final class FakeKernelServer implements AutoCloseable {
    static final String TOKEN = "test-token";

    final ServerFixture fixture;
    final FakeKernelProvisioner provisioner;
    final Path root;

    private FakeKernelServer(ServerFixture fixture, FakeKernelProvisioner provisioner, Path root) {
        this.fixture = fixture;
        this.provisioner = provisioner;
        this.root = root;
    }

    /**
     * Starts a server whose kernel specs live in {@code dir/data} and whose contents root is {@code dir/root}.
     *
     * @param dir          an empty folder
     * @param maxBodyBytes the request body limit
     * @return the running server
     */
    static FakeKernelServer start(Path dir, long maxBodyBytes) {
        return start(dir, FakeKernelProvisioner.create(), config -> config.with("max-body-bytes",
                Long.toString(maxBodyBytes), "test"));
    }

    /**
     * Starts a server over fakes made by a given provisioner (e.g. one with custom commands).
     *
     * @param dir          an empty folder
     * @param maxBodyBytes the request body limit
     * @param provisioner  makes the fake kernels
     * @return the running server
     */
    static FakeKernelServer start(Path dir, long maxBodyBytes, FakeKernelProvisioner provisioner) {
        return start(dir, provisioner, config -> config.with("max-body-bytes", Long.toString(maxBodyBytes), "test"));
    }

    /**
     * Starts a server as {@link #start(Path, long)} does, with more settings.
     *
     * @param dir         a folder: empty, or the one of a previous server (same root, state dir and kernel specs)
     * @param provisioner launches the fake kernels
     * @param settings    adjusts the configuration (its state dir is {@code dir/state})
     * @return the running server
     */
    static FakeKernelServer start(Path dir, FakeKernelProvisioner provisioner, UnaryOperator<ServerConfig> settings) {
        try {
            Path root = Files.createDirectories(dir.resolve("root"));
            ServerConfig config = settings.apply(ServerConfig.defaults()
                    .with("port", "0", "test")
                    .with("root", root.toString(), "test")
                    .with("token", TOKEN, "test")
                    .with("state-dir", dir.resolve("state").toString(), "test")
                    .with("default-kernel", FakeKernelProvisioner.KERNEL_NAME, "test"));
            QuireServer server = QuireServer.start(config, FakeKernelProvisioner.registry(
                    Files.createDirectories(dir.resolve("data"))), provisioner, "test");
            return new FakeKernelServer(new ServerFixture(server, TOKEN), provisioner, root.toRealPath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static FakeKernelServer start(Path dir) {
        return start(dir, ServerConfig.DEFAULT_MAX_BODY_BYTES);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return fixture.get(path);
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send("POST", path, body);
    }

    HttpResponse<String> put(String path, String body) throws IOException, InterruptedException {
        return send("PUT", path, body);
    }

    HttpResponse<String> patch(String path, String body) throws IOException, InterruptedException {
        return send("PATCH", path, body);
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return fixture.send(fixture.request(path).DELETE().build());
    }

    HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return fixture.send(fixture.request(path).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /**
     * Starts a kernel of the default spec over REST.
     *
     * @return the kernel model
     */
    JsonNode startKernel() throws IOException, InterruptedException {
        HttpResponse<String> response = post("/api/kernels", "{}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return ServerFixture.json(response);
    }

    /**
     * Asserts a response is an error in Quire's one JSON shape.
     *
     * @param response the response
     * @param status   the expected status
     * @return the error body
     */
    static JsonNode assertJsonError(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).as("status of %s; body %s", response.request().uri(), response.body())
                .isEqualTo(status);
        return assertJsonErrorShape(response);
    }

    /**
     * Asserts a response is an error in Quire's one JSON shape, whatever its status.
     *
     * @param response the response
     * @return the error body
     */
    static JsonNode assertJsonErrorShape(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as("status of %s; body %s", response.request().uri(), response.body())
                .isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = ServerFixture.json(response);
        assertThat(body.path("code").asText()).as("code in %s", response.body()).isNotEmpty();
        assertThat(body.path("message").asText()).as("message in %s", response.body()).isNotEmpty();
        assertThat(body.path("reason").asText()).as("reason in %s", response.body()).isNotEmpty();
        return body;
    }

    @Override
    public void close() {
        fixture.close();
    }
}
