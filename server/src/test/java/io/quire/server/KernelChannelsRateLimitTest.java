package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.server.jupyter.ChannelsOptions;
import io.quire.testing.FakeKernel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IOPub rate limiting on the WebSocket: a kernel that floods output is cut off with a stderr notice, status and
 * replies still arrive, and output resumes (with a notice) when the rate falls or the cell ends.
 */
class KernelChannelsRateLimitTest {
    @TempDir
    Path dir;

    private final CompletableFuture<Void> gate = new CompletableFuture<>();

    /** {@code gate}: publishes a {@code comm_open} (never rate limited) as a marker, then waits for the test. */
    private final FakeKernel.CommandHandler gateCommand = (argument, context) -> {
        ObjectNode content = context.newObject().put("comm_id", "gate").put("target_name", "gate");
        content.putObject("data");
        context.publish("comm_open", content, List.of());
        try {
            gate.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            context.fail("GateError", e.toString());
        }
    };

    private ChannelsServer start() {
        ChannelsOptions options = ChannelsOptions.defaults().withRateLimits(100, 0, Duration.ofSeconds(1));
        return ChannelsServer.start(dir, options, builder -> builder
                .command("flood", KernelChannelsBackpressureTest.FLOOD)
                .command("gate", gateCommand));
    }

    private static List<JsonNode> streams(KernelSocket socket, String msgId, String name) {
        return socket.children(msgId).stream().filter(message -> KernelSocket.isChild(message, msgId, "stream")
                && message.path("content").path("name").asText().equals(name)).map(JsonNode.class::cast).toList();
    }

    private static boolean isNotice(JsonNode message, String words) {
        return message.path("header").path("msg_type").asText().equals("stream")
                && message.path("content").path("name").asText().equals("stderr")
                && message.path("content").path("text").asText().contains(words);
    }

    @Test
    void flood_isCutOffWithANotice_andTheReplyAndStatusStillArrive() throws Exception {
        try (ChannelsServer server = start(); KernelSocket socket = server.connect(server.startKernel(), "s")) {
            String msgId = socket.execute("flood:1000:10");

            KernelChannelsBackpressureTest.awaitIdle(socket, msgId);
            assertThat(socket.awaitChild(msgId, "execute_reply").path("content").path("status").asText())
                    .isEqualTo("ok");

            List<JsonNode> stdout = streams(socket, msgId, "stdout");
            List<JsonNode> stderr = streams(socket, msgId, "stderr");
            assertThat(stdout).as("at most 100 messages/s over 1 s pass").hasSizeLessThanOrEqualTo(100);
            assertThat(stderr).hasSize(2);
            assertThat(stderr.get(0).path("content").path("text").asText())
                    .contains("paused", "100 output messages per second", "iopub-msg-rate-limit");
            assertThat(stderr.get(1).path("content").path("text").asText())
                    .contains("resumed", (1000 - stdout.size()) + " output messages were not shown");
        }
    }

    @Test
    void resumeNotice_comesBeforeTheIdleStatus() throws Exception {
        try (ChannelsServer server = start(); KernelSocket socket = server.connect(server.startKernel(), "s")) {
            String msgId = socket.execute("flood:500:10");
            KernelChannelsBackpressureTest.awaitIdle(socket, msgId);

            List<ObjectNode> children = socket.children(msgId);
            int resumed = indexOf(children, message -> isNotice(message, "resumed"));
            int idle = indexOf(children, message -> message.path("content").path("execution_state").asText()
                    .equals("idle"));
            assertThat(resumed).isNotNegative().isLessThan(idle);
        }
    }

    private static int indexOf(List<ObjectNode> messages, java.util.function.Predicate<JsonNode> matches) {
        for (int i = 0; i < messages.size(); i++) {
            if (matches.test(messages.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void outputResumesWithANotice_whenTheRateFallsDuringTheCell() throws Exception {
        try (ChannelsServer server = start(); KernelSocket socket = server.connect(server.startKernel(), "s")) {
            String msgId = socket.execute("flood:300:10\ngate\nprint:after the pause");
            socket.await("the paused notice", message -> isNotice(message, "paused"));
            socket.awaitChild(msgId, "comm_open");

            server.advance(Duration.ofSeconds(2));
            gate.complete(null);

            ObjectNode after = socket.await("the print after the pause", message -> KernelSocket.streamText(message)
                    .orElse("").equals("after the pause\n"));
            ObjectNode resumed = socket.await("the resumed notice", message -> isNotice(message, "resumed"));
            assertThat(socket.received().indexOf(resumed)).isLessThan(socket.received().indexOf(after));
            assertThat(resumed.path("parent_header").path("msg_id").asText()).isEqualTo(msgId);
        }
    }

    @Test
    void configuredLimits_takeEffectThroughTheWholeServer(@TempDir Path serverDir) throws Exception {
        try (FakeKernelServer server = FakeKernelServer.start(serverDir, FakeKernelProvisioner.create(),
                config -> config.with("iopub-msg-rate-limit", "20", "test").with("rate-limit-window", "1", "test"));
             KernelSocket socket = KernelSocket.connect(server.fixture, server.startKernel().path("id").asText(),
                     false)) {
            String msgId = socket.execute("print:x\n".repeat(200));

            KernelChannelsBackpressureTest.awaitIdle(socket, msgId);

            assertThat(streams(socket, msgId, "stdout")).as("20 messages/s over 1 s").hasSizeLessThanOrEqualTo(20);
            assertThat(streams(socket, msgId, "stderr")).first().satisfies(notice -> assertThat(notice
                    .path("content").path("text").asText())
                    .contains("20 output messages per second (averaged over 1 s)", "iopub-msg-rate-limit"));
        }
    }

    @Test
    void defaultLimits_cutOffAFloodOfPrintsThroughTheWholeServer(@TempDir Path serverDir) throws Exception {
        try (FakeKernelServer server = FakeKernelServer.start(serverDir);
             KernelSocket socket = KernelSocket.connect(server.fixture, server.startKernel().path("id").asText(),
                     false)) {
            String msgId = socket.execute("print:x\n".repeat(3500));

            KernelChannelsBackpressureTest.awaitIdle(socket, msgId);

            assertThat(streams(socket, msgId, "stdout")).as("1000 messages/s over 3 s").hasSizeLessThanOrEqualTo(3000);
            assertThat(streams(socket, msgId, "stderr")).anySatisfy(notice -> assertThat(notice.path("content")
                    .path("text").asText()).contains("1000 output messages per second (averaged over 3 s)"));
        }
    }
}
