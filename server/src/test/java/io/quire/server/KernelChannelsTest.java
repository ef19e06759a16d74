package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.testing.Await;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kernel channels WebSocket over fake kernels, driven by the JDK WebSocket client: token checks on the upgrade,
 * both wire protocols, routing between clients, invalid frames, stdin, interrupt and restart.
 */
class KernelChannelsTest {
    @TempDir
    static Path dir;
    static FakeKernelServer server;

    @BeforeAll
    static void start() {
        server = FakeKernelServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String newKernel() throws Exception {
        return server.startKernel().path("id").asText();
    }

    private static KernelSocket connect(String kernelId) throws Exception {
        return KernelSocket.connect(server.fixture, kernelId, false);
    }

    private static KernelSocket connectV1(String kernelId) throws Exception {
        return KernelSocket.connect(server.fixture, kernelId, true);
    }

    private static void assertUpgradeRefused(URI uri, Consumer<java.net.http.WebSocket.Builder> configure) {
        assertThatThrownBy(() -> KernelSocket.open(server.fixture.http, uri, false, configure)
                .get(KernelSocket.WAIT.toSeconds(), TimeUnit.SECONDS).close())
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        refused -> assertThat(refused.getResponse().statusCode()).isBetween(400, 499));
    }

    /** Runs {@code print:TEXT} and waits for its whole round trip. */
    private static void assertPrintRoundTrip(KernelSocket socket, String text) {
        String msgId = socket.execute("print:" + text);
        assertThat(socket.awaitChild(msgId, "execute_reply").path("content").path("status").asText()).isEqualTo("ok");
        socket.await("stream " + text, message -> KernelSocket.isChild(message, msgId, "stream")
                && KernelSocket.streamText(message).orElse("").equals(text + "\n"));
    }

    // ------------------------------------------------------------------ upgrade

    @Test
    void upgrade_withoutToken_isRefused() throws Exception {
        String kernelId = newKernel();

        assertUpgradeRefused(KernelSocket.uri(server.fixture, kernelId), builder -> { });
    }

    @Test
    void upgrade_withWrongTokenInQuery_isRefused() throws Exception {
        String kernelId = newKernel();

        assertUpgradeRefused(URI.create(KernelSocket.uri(server.fixture, kernelId) + "?token=wrong"), builder -> { });
    }

    @Test
    void upgrade_withWrongTokenInHeader_isRefused() throws Exception {
        String kernelId = newKernel();

        assertUpgradeRefused(KernelSocket.uri(server.fixture, kernelId),
                builder -> builder.header("Authorization", "token wrong"));
    }

    @Test
    void upgrade_withTokenQueryParameter_succeeds() throws Exception {
        String kernelId = newKernel();

        try (KernelSocket socket = KernelSocket.open(server.fixture.http,
                URI.create(KernelSocket.uri(server.fixture, kernelId) + "?session_id=abc&token=" + FakeKernelServer.TOKEN), false,
                builder -> { }).get(KernelSocket.WAIT.toSeconds(), TimeUnit.SECONDS)) {
            assertPrintRoundTrip(socket, "query");
        }
    }

    @Test
    void upgrade_withAuthorizationHeader_succeeds() throws Exception {
        String kernelId = newKernel();

        try (KernelSocket socket = KernelSocket.open(server.fixture.http, KernelSocket.uri(server.fixture, kernelId),
                false, builder -> builder.header("Authorization", "token " + FakeKernelServer.TOKEN))
                .get(KernelSocket.WAIT.toSeconds(), TimeUnit.SECONDS)) {
            assertPrintRoundTrip(socket, "header");
        }
    }

    @Test
    void upgrade_toUnknownKernel_isRefused() {
        assertUpgradeRefused(URI.create(KernelSocket.uri(server.fixture, "00000000-0000-0000-0000-000000000000")
                + "?token=" + FakeKernelServer.TOKEN), builder -> { });
    }

    @Test
    void openConnection_isCountedInTheKernelModel() throws Exception {
        String kernelId = newKernel();

        try (KernelSocket socket = connect(kernelId)) {
            assertThat(socket.isClosed()).isFalse();
            Await.until(KernelSocket.WAIT, "the kernel model to count one connection", () -> {
                try {
                    return ServerFixture.json(server.get("/api/kernels/" + kernelId)).path("connections").asInt() == 1;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    // ------------------------------------------------------------------ JSON protocol

    @Test
    void json_executeRequest_getsBusyStreamReplyAndIdleParentedToIt() throws Exception {
        try (KernelSocket socket = connect(newKernel())) {
            String msgId = socket.execute("print:hi");

            ObjectNode busy = socket.awaitStatus(msgId, "busy");
            ObjectNode stream = socket.awaitChild(msgId, "stream");
            ObjectNode reply = socket.awaitChild(msgId, "execute_reply");
            ObjectNode idle = socket.awaitStatus(msgId, "idle");

            assertThat(busy.path("channel").asText()).isEqualTo("iopub");
            assertThat(stream.path("channel").asText()).isEqualTo("iopub");
            assertThat(stream.path("content").path("name").asText()).isEqualTo("stdout");
            assertThat(stream.path("content").path("text").asText()).isEqualTo("hi\n");
            assertThat(reply.path("channel").asText()).isEqualTo("shell");
            assertThat(reply.path("parent_header").path("msg_id").asText()).isEqualTo(msgId);
            assertThat(reply.path("content").path("status").asText()).isEqualTo("ok");
            assertThat(idle.path("channel").asText()).isEqualTo("iopub");
            assertThat(socket.binaryFrames()).isZero();
        }
    }

    @Test
    void json_messagesCarryTheTopLevelMsgIdAndMsgType() throws Exception {
        try (KernelSocket socket = connect(newKernel())) {
            String msgId = socket.execute("print:top");

            ObjectNode reply = socket.awaitChild(msgId, "execute_reply");

            assertThat(reply.path("msg_type").asText()).isEqualTo("execute_reply");
            assertThat(reply.path("msg_id").asText()).isEqualTo(reply.path("header").path("msg_id").asText());
        }
    }

    // ------------------------------------------------------------------ v1 protocol

    @Test
    void v1_isNegotiatedWhenOffered() throws Exception {
        try (KernelSocket socket = connectV1(newKernel())) {
            assertThat(socket.subprotocol()).isEqualTo(KernelSocket.V1);
        }
    }

    @Test
    void v1_notOffered_negotiatesNoSubprotocol() throws Exception {
        try (KernelSocket socket = connect(newKernel())) {
            assertThat(socket.subprotocol()).isEmpty();
        }
    }

    @Test
    void v1_executeRequest_roundTripsInBinaryFrames() throws Exception {
        try (KernelSocket socket = connectV1(newKernel())) {
            String msgId = socket.execute("print:hi");

            socket.awaitStatus(msgId, "busy");
            ObjectNode stream = socket.awaitChild(msgId, "stream");
            ObjectNode reply = socket.awaitChild(msgId, "execute_reply");
            socket.awaitStatus(msgId, "idle");

            assertThat(stream.path("channel").asText()).isEqualTo("iopub");
            assertThat(stream.path("content").path("text").asText()).isEqualTo("hi\n");
            assertThat(reply.path("channel").asText()).isEqualTo("shell");
            assertThat(reply.path("parent_header").path("msg_id").asText()).isEqualTo(msgId);
            assertThat(reply.path("content").path("status").asText()).isEqualTo("ok");
            assertThat(socket.textFrames()).isZero();
            assertThat(socket.binaryFrames()).isPositive();
        }
    }

    // ------------------------------------------------------------------ routing between clients

    @Test
    void twoClients_bothSeeIopub_onlyTheRequesterSeesTheReply() throws Exception {
        String kernelId = newKernel();
        try (KernelSocket requester = connect(kernelId); KernelSocket watcher = connectV1(kernelId)) {
            String msgId = requester.execute("print:shared");

            requester.awaitChild(msgId, "execute_reply");
            watcher.await("the shared stream", message -> KernelSocket.isChild(message, msgId, "stream")
                    && KernelSocket.streamText(message).orElse("").equals("shared\n"));
            watcher.awaitStatus(msgId, "idle");
            // a barrier: the kernel answers shell requests in order, so once the watcher has its own later reply,
            // it would also have had the requester's reply if that were routed to it
            watcher.awaitChild(watcher.kernelInfo(), "kernel_info_reply");

            assertThat(watcher.children(msgId)).extracting(message -> message.path("channel").asText())
                    .containsOnly("iopub");
            assertThat(requester.children(msgId)).extracting(message -> message.path("header").path("msg_type").asText())
                    .contains("execute_reply", "stream", "status");
        }
    }

    // ------------------------------------------------------------------ invalid frames

    /** Frames that are not kernel messages. */
    enum Garbage {
        INVALID_JSON_TEXT(false, socket -> socket.sendText("{\"channel\": \"shell\", \"header\": ")),
        JSON_ARRAY(false, socket -> socket.sendText("[1, 2, 3]")),
        JSON_STRING(false, socket -> socket.sendText("\"shell\"")),
        UNKNOWN_CHANNEL(false, socket -> socket.send("nowhere", socket.header("execute_request"),
                ServerFixture.JSON.createObjectNode(), ServerFixture.JSON.createObjectNode())),
        MISSING_MSG_ID(false, socket -> {
            ObjectNode header = socket.header("execute_request");
            header.remove("msg_id");
            socket.send("shell", header, ServerFixture.JSON.createObjectNode(),
                    ServerFixture.JSON.createObjectNode().put("code", "print:x"));
        }),
        HEADER_NOT_AN_OBJECT(false, socket -> socket.sendText(
                "{\"channel\": \"shell\", \"header\": \"nope\", \"parent_header\": {}, \"metadata\": {}, \"content\": {}}")),
        RANDOM_BYTES_ON_JSON(false, socket -> socket.sendBinary(randomBytes(7, 300))),
        RANDOM_BYTES_ON_V1(true, socket -> socket.sendBinary(randomBytes(42, 300))),
        SHORT_BINARY_ON_V1(true, socket -> socket.sendBinary(new byte[] {1, 2, 3})),
        V1_OFFSETS_PAST_THE_END(true, socket -> {
            byte[] frame = KernelSocket.encodeV1("shell", socket.header("execute_request"),
                    ServerFixture.JSON.createObjectNode(), ServerFixture.JSON.createObjectNode(),
                    ServerFixture.JSON.createObjectNode());
            socket.sendBinary(java.util.Arrays.copyOf(frame, frame.length - 10));
        }),
        V1_MISSING_MSG_ID(true, socket -> {
            ObjectNode header = socket.header("execute_request");
            header.remove("msg_id");
            socket.send("shell", header, ServerFixture.JSON.createObjectNode(),
                    ServerFixture.JSON.createObjectNode().put("code", "print:x"));
        }),
        V1_JSON_TEXT_THAT_IS_NOT_JSON(true, socket -> socket.sendBinary(KernelSocket.encodeV1Raw("shell",
                "{not json".getBytes(StandardCharsets.UTF_8))));

        final boolean v1;
        final Consumer<KernelSocket> send;

        Garbage(boolean v1, Consumer<KernelSocket> send) {
            this.v1 = v1;
            this.send = send;
        }
    }

    private static byte[] randomBytes(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest
    @EnumSource(Garbage.class)
    void garbageFrame_closesThatSocketWith1007(Garbage garbage) throws Exception {
        try (KernelSocket socket = KernelSocket.connect(server.fixture, newKernel(), garbage.v1)) {
            garbage.send.accept(socket);

            assertThat(socket.awaitClosedByServer()).isEqualTo(1007);
        }
    }

    @ParameterizedTest
    @EnumSource(Garbage.class)
    void garbageFrame_leavesTheServerAndTheKernelServing(Garbage garbage) throws Exception {
        String kernelId = newKernel();
        try (KernelSocket bystander = connect(kernelId)) {
            try (KernelSocket socket = KernelSocket.connect(server.fixture, kernelId, garbage.v1)) {
                garbage.send.accept(socket);
                socket.awaitClosedByServer();
            }

            try (KernelSocket fresh = KernelSocket.connect(server.fixture, kernelId, garbage.v1)) {
                assertPrintRoundTrip(fresh, "still serving");
            }
            assertPrintRoundTrip(bystander, "bystander");
            assertThat(bystander.isClosed()).isFalse();
            assertThat(server.get("/api").statusCode()).isEqualTo(200);
        }
    }

    // ------------------------------------------------------------------ stdin

    @Test
    void stdin_inputRequestArrivesOnStdinAndTheInputReplyIsUsed() throws Exception {
        try (KernelSocket socket = connect(newKernel())) {
            String msgId = socket.execute("input:name?");

            ObjectNode request = socket.awaitChild(msgId, "input_request");
            assertThat(request.path("channel").asText()).isEqualTo("stdin");
            assertThat(request.path("content").path("prompt").asText()).isEqualTo("name?");
            socket.send("stdin", socket.header("input_reply"), request.path("header"),
                    ServerFixture.JSON.createObjectNode().put("value", "Ada"));

            socket.await("the echoed input", message -> KernelSocket.isChild(message, msgId, "stream")
                    && KernelSocket.streamText(message).orElse("").equals("Ada\n"));
            assertThat(socket.awaitChild(msgId, "execute_reply").path("content").path("status").asText()).isEqualTo("ok");
        }
    }

    @Test
    void stdin_inputRequestGoesOnlyToTheRequester() throws Exception {
        String kernelId = newKernel();
        try (KernelSocket requester = connect(kernelId); KernelSocket watcher = connect(kernelId)) {
            String msgId = requester.execute("input:secret?");
            ObjectNode request = requester.awaitChild(msgId, "input_request");
            requester.send("stdin", requester.header("input_reply"), request.path("header"),
                    ServerFixture.JSON.createObjectNode().put("value", "x"));
            requester.awaitChild(msgId, "execute_reply");
            watcher.awaitStatus(msgId, "idle");

            assertThat(watcher.children(msgId)).noneMatch(message -> message.path("channel").asText().equals("stdin"));
        }
    }

    // ------------------------------------------------------------------ interrupt, restart, shutdown

    @Test
    void interruptOverRest_endsARunningCellWithKeyboardInterrupt() throws Exception {
        String kernelId = newKernel();
        try (KernelSocket socket = connect(kernelId)) {
            String msgId = socket.execute("sleep:30000");
            socket.awaitStatus(msgId, "busy");

            assertThat(server.post("/api/kernels/" + kernelId + "/interrupt", "").statusCode()).isEqualTo(204);

            JsonNode reply = socket.awaitChild(msgId, "execute_reply").path("content");
            assertThat(reply.path("status").asText()).isEqualTo("error");
            assertThat(reply.path("ename").asText()).isEqualTo("KeyboardInterrupt");
        }
    }

    @Test
    void restartOverRest_sendsASynthesizedRestartingStatus() throws Exception {
        String kernelId = newKernel();
        try (KernelSocket json = connect(kernelId); KernelSocket v1 = connectV1(kernelId)) {
            // the client's handshake can complete before the server has registered the connection: a round trip
            // first, as a real client's kernel_info on connect, so that both are attached when the restart starts
            for (KernelSocket socket : List.of(json, v1)) {
                socket.awaitChild(socket.kernelInfo(), "kernel_info_reply");
            }
            assertThat(server.post("/api/kernels/" + kernelId + "/restart", "").statusCode()).isEqualTo(200);

            for (KernelSocket socket : List.of(json, v1)) {
                ObjectNode status = socket.await("status restarting", message -> message.path("header")
                        .path("msg_type").asText().equals("status")
                        && message.path("content").path("execution_state").asText().equals("restarting"));
                assertThat(status.path("channel").asText()).isEqualTo("iopub");
            }
        }
    }

    @Test
    void afterARestart_theSameSocketStillExecutes() throws Exception {
        String kernelId = newKernel();
        try (KernelSocket socket = connect(kernelId)) {
            assertThat(server.post("/api/kernels/" + kernelId + "/restart", "").statusCode()).isEqualTo(200);

            assertPrintRoundTrip(socket, "after restart");
        }
    }

    @Test
    void deleteSession_closesTheSocketsOfItsKernel() throws Exception {
        HttpResponse<String> created = server.post("/api/sessions",
                "{\"path\": \"ws-session.ipynb\", \"type\": \"notebook\", \"kernel\": {\"name\": \"fake\"}}");
        JsonNode session = ServerFixture.json(created);
        try (KernelSocket socket = connect(session.path("kernel").path("id").asText())) {
            assertThat(server.delete("/api/sessions/" + session.path("id").asText()).statusCode()).isEqualTo(204);

            assertThat(socket.awaitClosedByServer()).isEqualTo(1000);
        }
    }

    @Test
    void patchSessionKernel_closesTheSocketsOfTheReplacedKernel() throws Exception {
        HttpResponse<String> created = server.post("/api/sessions",
                "{\"path\": \"ws-switch.ipynb\", \"type\": \"notebook\", \"kernel\": {\"name\": \"fake\"}}");
        JsonNode session = ServerFixture.json(created);
        try (KernelSocket socket = connect(session.path("kernel").path("id").asText())) {
            assertThat(server.patch("/api/sessions/" + session.path("id").asText(),
                    "{\"kernel\": {\"name\": \"fake\"}}").statusCode()).isEqualTo(200);

            assertThat(socket.awaitClosedByServer()).isEqualTo(1000);
        }
    }

    @Test
    void deleteKernel_closesItsSockets() throws Exception {
        String kernelId = newKernel();
        try (KernelSocket socket = connect(kernelId)) {
            assertThat(server.delete("/api/kernels/" + kernelId).statusCode()).isEqualTo(204);

            assertThat(socket.awaitClosedByServer()).isEqualTo(1000);
        }
    }
}
