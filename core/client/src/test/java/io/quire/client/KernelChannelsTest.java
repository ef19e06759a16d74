package io.quire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kernel channels client against a WebSocket server whose frames the test writes byte by byte. */
class KernelChannelsTest {
    private ScriptedWebSocketServer server;
    private KernelChannels channels;

    @BeforeEach
    void connect() throws Exception {
        server = new ScriptedWebSocketServer();
        QuireClient quire = QuireClient.builder().baseUrl(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .token("secret").requestTimeout(Duration.ofSeconds(10)).build();
        channels = quire.kernelChannels("k-1", "session-1");
    }

    @AfterEach
    void stop() {
        channels.close();
        server.close();
    }

    @Test
    void connect_sendsTheTokenHeader_andTheSessionIdOnTheChannelsPath() throws Exception {
        assertThat(server.handshake().get("")).startsWith("GET /api/kernels/k-1/channels?session_id=session-1 ");
        assertThat(server.handshake().get("authorization")).isEqualTo("token secret");
        assertThat(channels.kernelId()).isEqualTo("k-1");
        assertThat(channels.sessionId()).isEqualTo("session-1");
    }

    @Test
    void execute_joinsFragmentedTextAndBinaryMessages_andCompletesOnIdleAndReply() throws Exception {
        List<KernelMessage> seen = new CopyOnWriteArrayList<>();
        channels.onMessage(seen::add);

        CompletableFuture<KernelExecution> result = channels.execute("1+1");
        JsonNode request = Wire.JSON.readTree(server.nextText());
        String msgId = request.path("header").path("msg_id").asText();
        assertThat(request.path("channel").asText()).isEqualTo("shell");
        assertThat(request.path("header").path("msg_type").asText()).isEqualTo("execute_request");
        assertThat(request.path("header").path("session").asText()).isEqualTo("session-1");
        assertThat(request.path("content").path("code").asText()).isEqualTo("1+1");

        server.fragmentedText(message("iopub", "status", msgId, "{\"execution_state\":\"busy\"}"));
        String resultMessage = message("iopub", "execute_result", msgId,
                "{\"execution_count\":1,\"data\":{\"text/plain\":\"2\"},\"metadata\":{}}");
        server.fragmentedText(resultMessage, 10, 40);
        byte[] binary = legacyBinary(message("iopub", "stream", msgId, "{\"name\":\"stdout\",\"text\":\"hi\\n\"}"),
                "BUF".getBytes(StandardCharsets.UTF_8));
        server.frame(false, 0x2, java.util.Arrays.copyOfRange(binary, 0, 7));
        server.frame(true, 0x0, java.util.Arrays.copyOfRange(binary, 7, binary.length));
        server.fragmentedText(message("iopub", "status", msgId, "{\"execution_state\":\"idle\"}"), 5);
        assertThat(result).as("not complete before the execute_reply").isNotDone();
        server.fragmentedText(message("shell", "execute_reply", msgId, "{\"status\":\"ok\",\"execution_count\":1}"),
                1, 2, 3);

        KernelExecution done = result.get(10, TimeUnit.SECONDS);
        assertThat(done.msgId()).isEqualTo(msgId);
        assertThat(done.isOk()).isTrue();
        assertThat(done.executionCount()).hasValue(1);
        assertThat(done.resultText()).hasValue("2");
        assertThat(done.stream("stdout")).isEqualTo("hi\n");
        assertThat(seen).extracting(KernelMessage::msgType)
                .containsExactly("status", "execute_result", "stream", "status", "execute_reply");
        KernelMessage stream = seen.get(2);
        assertThat(stream.parentMsgId()).hasValue(msgId);
        assertThat(stream.buffers()).singleElement().satisfies(buffer ->
                assertThat(StandardCharsets.UTF_8.decode(buffer).toString()).isEqualTo("BUF"));
    }

    @Test
    void clearOutput_withWait_clearsBeforeTheNextOutput() throws Exception {
        CompletableFuture<KernelExecution> result = channels.execute("x");
        String msgId = Wire.JSON.readTree(server.nextText()).path("header").path("msg_id").asText();

        server.fragmentedText(message("iopub", "stream", msgId, "{\"name\":\"stdout\",\"text\":\"old\"}"));
        server.fragmentedText(message("iopub", "clear_output", msgId, "{\"wait\":true}"));
        server.fragmentedText(message("iopub", "stream", msgId, "{\"name\":\"stdout\",\"text\":\"new\"}"));
        server.fragmentedText(message("shell", "execute_reply", msgId, "{\"status\":\"error\",\"ename\":\"E\"}"));
        server.fragmentedText(message("iopub", "status", msgId, "{\"execution_state\":\"idle\"}"));

        KernelExecution done = result.get(10, TimeUnit.SECONDS);
        assertThat(done.stream("stdout")).isEqualTo("new");
        assertThat(done.isOk()).isFalse();
        assertThat(done.status()).isEqualTo("error");
    }

    @Test
    void aCloseFromTheServer_completesClosed_withItsCode_andFailsPendingExecutions() throws Exception {
        CompletableFuture<KernelExecution> pending = channels.execute("sleep");
        server.nextText();

        server.close(4001, "kernel gone");

        KernelChannels.CloseStatus status = channels.closed().get(10, TimeUnit.SECONDS);
        assertThat(status).isEqualTo(new KernelChannels.CloseStatus(4001, "kernel gone"));
        assertThat(channels.isOpen()).isFalse();
        assertThat(pending).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .havingCause().isInstanceOf(QuireTransportException.class).withMessageContaining("code 4001");
        assertThatThrownBy(() -> channels.send("shell", "kernel_info_request", Wire.JSON.createObjectNode()))
                .isInstanceOf(QuireTransportException.class).hasMessageContaining("kernel gone");
    }

    @Test
    void send_withAChosenMsgId_usesItInTheHeader() throws Exception {
        ObjectNode content = Wire.JSON.createObjectNode();
        content.put("code", "pri");
        content.put("cursor_pos", 3);
        channels.send("shell", "complete_request", "my-id-1", content);

        JsonNode sent = Wire.JSON.readTree(server.nextText());
        assertThat(sent.path("header").path("msg_id").asText()).isEqualTo("my-id-1");
        assertThat(sent.path("header").path("msg_type").asText()).isEqualTo("complete_request");
        assertThat(sent.path("channel").asText()).isEqualTo("shell");
        assertThat(sent.path("content").path("cursor_pos").asInt()).isEqualTo(3);
        assertThatThrownBy(() -> channels.send("shell", "complete_request", "", content))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void close_sendsANormalClose() throws Exception {
        channels.close();

        assertThat(server.clientCloseCode()).isEqualTo(1000);
        assertThat(channels.isOpen()).isFalse();
    }

    @Test
    void aFrameThatIsNotAKernelMessage_isIgnored_andTheConnectionGoesOn() throws Exception {
        List<KernelMessage> seen = new CopyOnWriteArrayList<>();
        channels.onMessage(seen::add);

        server.fragmentedText("not json");
        server.fragmentedText("{\"header\": 3}");
        server.fragmentedText(message("iopub", "status", "p", "{\"execution_state\":\"idle\"}"));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (seen.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(seen).extracting(KernelMessage::msgType).containsExactly("status");
        assertThat(channels.isOpen()).isTrue();
    }

    private static String message(String channel, String type, String parent, String content) {
        ObjectNode message = Wire.JSON.createObjectNode();
        message.putObject("header").put("msg_id", java.util.UUID.randomUUID().toString()).put("msg_type", type)
                .put("session", "kernel").put("username", "k").put("date", "2026-11-26T10:00:00Z")
                .put("version", "5.3");
        message.putObject("parent_header").put("msg_id", parent);
        message.putObject("metadata");
        try {
            message.set("content", Wire.JSON.readTree(content));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        message.put("channel", channel);
        return message.toString();
    }

    /** Jupyter's binary framing of the JSON protocol: u32 part count, u32 offsets, the message, the buffers. */
    private static byte[] legacyBinary(String json, byte[] buffer) {
        byte[] message = json.getBytes(StandardCharsets.UTF_8);
        int headerSize = 4 * 3;
        ByteBuffer frame = ByteBuffer.allocate(headerSize + message.length + buffer.length);
        frame.putInt(2).putInt(headerSize).putInt(headerSize + message.length).put(message).put(buffer);
        return frame.array();
    }
}
