package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.server.runtime.KernelHandover;
import io.quire.testing.Await;
import io.quire.testing.Engines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: a server process with {@code shutdown-kernels: false} is stopped with SIGTERM, as Ctrl-C stops
 * {@code quire server}; its ipykernel survives the JVM (its own session, no parent watch, no exit hook), and a new
 * server process with the same state dir takes it over with its variables, even while it runs a cell.
 */
class KernelReattachIpykernelTest {
    private static final String TOKEN = "reattach-token";
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final List<Long> kernelPids = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void cleanUp() {
        children.forEach(Process::destroyForcibly);
        kernelPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        // kernels whose pid the test did not learn (it failed earlier): their connection file is in this test's dir
        String runtime = dir.resolve("runtime").toString();
        ProcessHandle.allProcesses().filter(process -> process.info().commandLine().orElse("").contains(runtime))
                .forEach(ProcessHandle::destroyForcibly);
    }

    /** Starts a server JVM and returns its port. */
    private int startServer(boolean shutdownKernels) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ReattachChildServer.class.getName()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("QUIRE_PORT", "0");
        env.put("QUIRE_ROOT", Files.createDirectories(dir.resolve("root")).toString());
        env.put("QUIRE_TOKEN", TOKEN);
        env.put("QUIRE_SHUTDOWN_KERNELS", Boolean.toString(shutdownKernels));
        env.put("QUIRE_STATE_DIR", dir.resolve("state").toString());
        env.put("XDG_RUNTIME_DIR", Files.createDirectories(dir.resolve("runtime")).toString());
        Process process = builder.start();
        children.add(process);
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    System.out.println("[server " + process.pid() + "] " + line); // in the test's report
                    output.add(line);
                    if (line.startsWith(ReattachChildServer.PORT_LINE)) {
                        port.complete(Integer.parseInt(line.substring(ReattachChildServer.PORT_LINE.length())));
                    }
                }
                port.completeExceptionally(new IOException("the server process ended without listening"));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        });
        return port.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(WAIT)
                .header("Authorization", "token " + TOKEN).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What a cell printed: the streams before its idle (the reply travels on another socket and may come first). */
    private static String printed(KernelSocket socket, String msgId) {
        socket.awaitChild(msgId, "execute_reply");
        socket.awaitStatus(msgId, "idle");
        return socket.children(msgId).stream().map(KernelSocket::streamText).flatMap(java.util.Optional::stream)
                .reduce("", String::concat);
    }

    private static String pythonString(Path path) {
        return "'" + path.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private void stop(Process server) throws Exception {
        server.toHandle().destroy(); // SIGTERM, as systemd stops it (Process.destroy would also close its output)
        assertThat(server.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the server process ended").isTrue();
    }

    @Test
    void ipykernel_outlivesTheServerProcess_andTheNextServerTakesItOverWithItsState() throws Exception {
        Engines.requireIpykernel();
        Path flag = dir.resolve("cell-may-end");
        int firstPort = startServer(false);
        HttpResponse<String> created = send(firstPort, "POST", "/api/kernels", "{\"name\": \"python3\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String kernelId = ServerFixture.json(created).path("id").asText();
        try (KernelSocket socket = KernelSocket.connectSession(http, firstPort, TOKEN, kernelId, "s1", false)) {
            assertThat(printed(socket, socket.execute("x = 41\nprint('set')"))).isEqualTo("set\n");
            // still running when the server stops, and while the next one takes the kernel over
            socket.execute("import os, time\nwhile not os.path.exists(" + pythonString(flag) + "):\n"
                    + "    time.sleep(0.05)\ny = 1");
        }
        stop(children.getFirst());
        Await.until(WAIT, "the stop's log line", () -> output.stream().anyMatch(line -> line.contains(
                "left 1 kernel(s) running for the next start")));

        JsonNode state = ServerFixture.JSON.readTree(dir.resolve("state").resolve(KernelHandover.FILE_NAME).toFile());
        assertThat(state.path("kernels")).hasSize(1);
        long pid = ServerFixture.JSON.readTree(state.path("kernels").get(0).path("locator").asText()).path("pid")
                .asLong();
        kernelPids.add(pid);
        assertThat(ProcessHandle.of(pid)).as("the kernel outlived its server").hasValueSatisfying(kernel ->
                assertThat(kernel.isAlive()).isTrue());

        int secondPort = startServer(true);
        JsonNode listed = ServerFixture.json(send(secondPort, "GET", "/api/kernels", ""));
        assertThat(listed).extracting(kernel -> kernel.path("id").asText()).containsExactly(kernelId);
        assertThat(listed.get(0).path("execution_state").asText()).as("taken over while running a cell")
                .isEqualTo("busy");
        Files.writeString(flag, "go");
        try (KernelSocket socket = KernelSocket.connectSession(http, secondPort, TOKEN, kernelId, "s2", false)) {
            String msgId = socket.execute("print(x + y)");
            assertThat(printed(socket, msgId)).as("variables survived, the running cell finished").isEqualTo("42\n");
        }
        stop(children.getLast());

        Await.until(WAIT, "the kernel shut down with the second server", () -> ProcessHandle.of(pid)
                .map(ProcessHandle::isAlive).orElse(false) == false);
        assertThat(dir.resolve("state").resolve(KernelHandover.FILE_NAME)).doesNotExist();
    }
}
