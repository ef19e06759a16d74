package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.kernel.FakeKernelProvisioner;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping the server while a client is saving a big notebook: the save finishes within the shutdown grace, and a
 * save cut off by the end of the grace leaves the previous file as it was, never a torn one.
 */
class GracefulShutdownTest {
    private static final String PATH = "/api/contents/big.ipynb";

    @TempDir
    Path dir;

    /** A PUT body saving a notebook whose one code cell holds the marker and about {@code bytes} of source. */
    private static byte[] notebook(String marker, int bytes) {
        ObjectNode body = ServerFixture.JSON.createObjectNode();
        body.put("type", "notebook");
        body.put("format", "json");
        ObjectNode content = body.putObject("content");
        content.put("nbformat", 4);
        content.put("nbformat_minor", 5);
        content.putObject("metadata");
        ArrayNode cells = content.putArray("cells");
        ObjectNode cell = cells.addObject();
        cell.put("cell_type", "code");
        cell.put("id", "cell-1");
        cell.putObject("metadata");
        cell.put("source", "# " + marker + "\n" + "x = 1\n".repeat(bytes / 6));
        cell.putArray("outputs");
        cell.putNull("execution_count");
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A client that uploads slowly: {@code chunk} bytes per {@code pause}; {@code started} opens after the first. */
    private static InputStream slowly(byte[] body, int chunk, Duration pause, CountDownLatch started) {
        return new InputStream() {
            private int position;

            @Override
            public int read() {
                throw new UnsupportedOperationException("read in chunks");
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (position >= body.length) {
                    return -1;
                }
                if (position > 0) {
                    try {
                        Thread.sleep(pause); // simulates a slow network, not a wait for a condition
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    }
                }
                int count = Math.min(Math.min(chunk, length), body.length - position);
                System.arraycopy(body, position, buffer, offset, count);
                position += count;
                started.countDown();
                return count;
            }
        };
    }

    /**
     * Starts a slow PUT. With {@code Expect: 100-continue} the client sends the body only once the server's handler
     * asks for it, so when {@code started} opens the request is in the server's hands, not in transit.
     */
    private static CompletableFuture<HttpResponse<String>> slowPut(FakeKernelServer server, byte[] body, int chunk,
            Duration pause, CountDownLatch started) {
        HttpRequest request = server.fixture.request(PATH).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .expectContinue(true)
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> slowly(body, chunk, pause, started)), body.length))
                .build();
        return server.fixture.http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String marker(Path file) throws IOException {
        JsonNode notebook = ServerFixture.JSON.readTree(Files.readString(file));
        return notebook.path("cells").get(0).path("source").asText().lines().findFirst().orElseThrow();
    }

    @Test
    void slowSaveOfABigNotebook_inFlightWhenTheServerStops_completes() throws Exception {
        FakeKernelServer server = FakeKernelServer.start(dir, FakeKernelProvisioner.create(),
                config -> config.with("shutdown-grace", "30", "test"));
        Path file = server.root.resolve("big.ipynb");
        try {
            assertThat(server.put(PATH, new String(notebook("old", 100), StandardCharsets.UTF_8)).statusCode())
                    .isEqualTo(201);
            byte[] body = notebook("new", 4 * 1024 * 1024);
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<HttpResponse<String>> put = slowPut(server, body, 256 * 1024, Duration.ofMillis(10),
                    started);
            assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
            URI api = server.fixture.uri("/api");

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);

            HttpResponse<String> saved = put.get(60, TimeUnit.SECONDS);
            stopping.get(60, TimeUnit.SECONDS);
            assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
            assertThat(marker(file)).isEqualTo("# new");
            assertThat(Files.size(file)).isGreaterThan(4_000_000);
            assertThatThrownBy(() -> server.fixture.send(HttpRequest.newBuilder(api).build()))
                    .as("no longer accepting").isInstanceOf(ConnectException.class);
        } finally {
            server.close();
        }
    }

    @Test
    void saveCutOffAtTheEndOfTheGrace_leavesThePreviousNotebookIntact() throws Exception {
        FakeKernelServer server = FakeKernelServer.start(dir, FakeKernelProvisioner.create(),
                config -> config.with("shutdown-grace", "0.3", "test"));
        Path file = server.root.resolve("big.ipynb");
        try {
            assertThat(server.put(PATH, new String(notebook("old", 100), StandardCharsets.UTF_8)).statusCode())
                    .isEqualTo(201);
            byte[] before = Files.readAllBytes(file);
            byte[] body = notebook("new", 2 * 1024 * 1024);
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<HttpResponse<String>> put = slowPut(server, body, 32 * 1024, Duration.ofMillis(100),
                    started);
            assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();

            server.close();

            assertThat(put).as("the cut-off save failed").failsWithin(Duration.ofSeconds(30));
            assertThat(Files.readAllBytes(file)).as("the previous notebook, byte for byte").isEqualTo(before);
            assertThat(marker(file)).isEqualTo("# old");
            try (Stream<Path> files = Files.list(server.root)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .as("no half-written file next to it").allMatch(name -> name.equals("big.ipynb")
                                || name.equals(".ipynb_checkpoints"));
            }
        } finally {
            server.close();
        }
    }
}
