package io.quire.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One load client for any Jupyter-compatible server, so Quire and Jupyter Server are measured by the same client:
 * (a) GET and PUT of a notebook at a concurrency, (b) the {@code 1+1} execute round trip over the kernel WebSocket
 * (JSON protocol), (c) kernel start to ready. Talks only to the URL given (loopback in the benchmark script).
 *
 * <p>Run: {@code java -cp core/benchmarks/target/quire-benchmarks.jar io.quire.benchmarks.ServerBench BASE_URL TOKEN
 * NOTEBOOK_PATH [SECONDS] [CONCURRENCY] [EXECUTES] [STARTS]}; see {@code scripts/server-vs-jupyter-server.sh}.
 */
public final class ServerBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String token;
    private final HttpClient http;

    private ServerBench(String base, String token) {
        this.base = base.endsWith("/") ? base : base + "/";
        this.token = token;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * Entry point.
     *
     * @param args base URL, token, notebook path on the server, then optional seconds (0 skips the HTTP load),
     *             concurrency, executes, starts
     * @throws Exception on any failure (the benchmark stops)
     */
    public static void main(String[] args) throws Exception {
        String path = args[2];
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        int concurrency = args.length > 4 ? Integer.parseInt(args[4]) : 16;
        int executes = args.length > 5 ? Integer.parseInt(args[5]) : 300;
        int starts = args.length > 6 ? Integer.parseInt(args[6]) : 5;
        ServerBench bench = new ServerBench(args[0], args[1]);
        byte[] notebook = bench.send(bench.request("api/contents/" + path).GET().build()).body();
        JsonNode model = JSON.readTree(notebook);
        ObjectNode put = JSON.createObjectNode();
        put.put("type", "notebook");
        put.put("format", "json");
        put.set("content", model.get("content"));
        byte[] putBody = JSON.writeValueAsBytes(put);
        System.out.printf("notebook %s: %d bytes as a contents model%n", path, notebook.length);

        if (seconds > 0) { // 0: the HTTP load is measured elsewhere (wrk), only the kernel parts run
            bench.load("GET", seconds, concurrency, () -> bench.request("api/contents/" + path).GET().build());
            bench.load("PUT", seconds, concurrency, () -> bench.request("api/contents/" + path)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(putBody)).header("Content-Type", "application/json")
                    .build());
        }
        bench.executeRoundTrips(executes);
        bench.kernelStarts(starts);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "token " + token);
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " -> " + response.statusCode()
                    + ": " + new String(response.body()));
        }
        return response;
    }

    private void load(String name, int seconds, int concurrency, java.util.function.Supplier<HttpRequest> requests)
            throws Exception {
        for (int i = 0; i < concurrency; i++) { // warm-up: one round per connection
            send(requests.get());
        }
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long started = System.nanoTime();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                workers.submit(() -> {
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        try {
                            send(requests.get());
                            latencies.add(System.nanoTime() - t0);
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        System.out.printf("%s x%d: %d requests in %.1f s = %.1f req/s, p50 %.1f ms, p99 %.1f ms, errors %d%n", name,
                concurrency, latencies.size(), elapsed, latencies.size() / elapsed, percentile(latencies, 50),
                percentile(latencies, 99), errors.get());
    }

    private String startKernel() throws Exception {
        JsonNode kernel = JSON.readTree(send(request("api/kernels").POST(HttpRequest.BodyPublishers.ofString(
                "{\"name\": \"python3\"}")).header("Content-Type", "application/json").build()).body());
        return kernel.get("id").asText();
    }

    private void deleteKernel(String id) throws Exception {
        send(request("api/kernels/" + id).DELETE().build());
    }

    /** A kernel WebSocket that collects incoming JSON messages. */
    private final class Channels implements WebSocket.Listener {
        final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        final String session = UUID.randomUUID().toString();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        Channels open(String kernelId) throws Exception {
            socket = http.newWebSocketBuilder().header("Authorization", "token " + token)
                    .buildAsync(URI.create(base.replaceFirst("^http", "ws") + "api/kernels/" + kernelId
                            + "/channels?session_id=" + session), this).get(30, TimeUnit.SECONDS);
            return this;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        String send(String channel, String msgType, ObjectNode content) throws Exception {
            String msgId = UUID.randomUUID().toString();
            ObjectNode message = JSON.createObjectNode();
            ObjectNode header = message.putObject("header");
            header.put("msg_id", msgId);
            header.put("msg_type", msgType);
            header.put("session", session);
            header.put("username", "bench");
            header.put("date", Instant.now().toString());
            header.put("version", "5.3");
            message.putObject("parent_header");
            message.putObject("metadata");
            message.set("content", content);
            message.put("channel", channel);
            message.putArray("buffers");
            socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
            return msgId;
        }

        JsonNode await(Predicate<JsonNode> match, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                JsonNode message = messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (message == null) {
                    throw new IllegalStateException("no matching message within " + timeout);
                }
                if (match.test(message)) {
                    return message;
                }
            }
        }

        /** Waits for two messages that may arrive in either order (reply on shell, idle on IOPub). */
        void awaitBoth(Predicate<JsonNode> first, Predicate<JsonNode> second, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean seenFirst = false;
            boolean seenSecond = false;
            while (!(seenFirst && seenSecond)) {
                JsonNode message = messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (message == null) {
                    throw new IllegalStateException("no matching messages within " + timeout);
                }
                seenFirst |= first.test(message);
                seenSecond |= second.test(message);
            }
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
    }

    private static Predicate<JsonNode> replyTo(String msgId, String type) {
        return m -> m.path("parent_header").path("msg_id").asText().equals(msgId)
                && m.path("header").path("msg_type").asText().equals(type);
    }

    private static Predicate<JsonNode> idleAfter(String msgId) {
        return m -> m.path("parent_header").path("msg_id").asText().equals(msgId)
                && m.path("header").path("msg_type").asText().equals("status")
                && m.path("content").path("execution_state").asText().equals("idle");
    }

    private void executeRoundTrips(int count) throws Exception {
        String kernel = startKernel();
        try {
            Channels channels = new Channels().open(kernel);
            ready(channels);
            List<Long> latencies = new ArrayList<>();
            for (int i = 0; i < count + 20; i++) {
                ObjectNode content = JSON.createObjectNode();
                content.put("code", "1+1");
                content.put("silent", false);
                content.put("store_history", true);
                content.putObject("user_expressions");
                content.put("allow_stdin", false);
                content.put("stop_on_error", true);
                long t0 = System.nanoTime();
                String msgId = channels.send("shell", "execute_request", content);
                channels.awaitBoth(replyTo(msgId, "execute_reply"), idleAfter(msgId), Duration.ofSeconds(30));
                if (i >= 20) { // the first 20 warm both ends up
                    latencies.add(System.nanoTime() - t0);
                }
                channels.messages.clear();
            }
            channels.close();
            System.out.printf("execute 1+1 over WebSocket: %d round trips, p50 %.2f ms, p99 %.2f ms, mean %.2f ms%n",
                    latencies.size(), percentile(latencies, 50), percentile(latencies, 99),
                    latencies.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6);
        } finally {
            deleteKernel(kernel);
        }
    }

    /** Sends kernel_info until it is answered: the kernel is ready and IOPub is live. */
    private static void ready(Channels channels) throws Exception {
        for (int attempt = 0; attempt < 60; attempt++) {
            String msgId = channels.send("shell", "kernel_info_request", JSON.createObjectNode());
            try {
                channels.await(replyTo(msgId, "kernel_info_reply"), Duration.ofSeconds(1));
                return;
            } catch (IllegalStateException notYet) {
                // not ready yet; ask again
            }
        }
        throw new IllegalStateException("kernel never answered kernel_info");
    }

    private void kernelStarts(int count) throws Exception {
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            String kernel = startKernel();
            Channels channels = new Channels().open(kernel);
            ready(channels);
            latencies.add(System.nanoTime() - t0);
            channels.close();
            deleteKernel(kernel);
        }
        System.out.printf("kernel start to ready (POST /api/kernels, WebSocket, kernel_info_reply): %d starts, "
                        + "p50 %.0f ms, max %.0f ms%n", latencies.size(), percentile(latencies, 50),
                latencies.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6);
    }

    private static double percentile(List<Long> nanos, int percentile) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))) / 1e6;
    }
}
