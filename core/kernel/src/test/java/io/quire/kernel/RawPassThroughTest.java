package io.quire.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.testing.Await;
import io.quire.testing.FakeKernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RawPassThroughTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The session id a remote (WebSocket) client would put in its headers. */
    private static final String REMOTE_SESSION = "remote-" + UUID.randomUUID();

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    private KernelClient readyClient() {
        FakeKernel fake = FakeKernel.builder().start();
        toClose.add(fake);
        KernelClient client = KernelClient.connect(ConnectionInfo.parse(fake.connectionFileJson()),
                KernelClientOptions.defaults().withRequestTimeout(TIMEOUT));
        toClose.add(client);
        client.kernelInfo(TIMEOUT);
        return client;
    }

    /** Seen by an onAnyMessage listener. */
    private record Seen(Channel channel, RawMessage message) {
    }

    private static List<Seen> record(KernelClient client) {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        client.onAnyMessage((channel, message) -> seen.add(new Seen(channel, message)));
        return seen;
    }

    private static RawMessage request(String msgType, ObjectNode content, List<byte[]> buffers) {
        ObjectNode header = Json.object().put("msg_id", UUID.randomUUID().toString()).put("session", REMOTE_SESSION)
                .put("username", "remote").put("date", Clock.systemUTC().instant().toString())
                .put("msg_type", msgType).put("version", "5.3").put("subshell_id", "keep-me");
        return new RawMessage(header, Json.object(), Json.object(), content, buffers);
    }

    private static RawMessage execute(String code, boolean allowStdin) {
        return request("execute_request", Json.object().put("code", code).put("silent", false)
                .put("store_history", true).put("allow_stdin", allowStdin).put("stop_on_error", true), List.of());
    }

    private static List<Seen> parentedTo(List<Seen> seen, RawMessage request) {
        return seen.stream().filter(s -> s.message().parentMsgId().equals(Optional.of(request.msgId()))).toList();
    }

    private static boolean idleSeen(List<Seen> seen, RawMessage request) {
        return parentedTo(seen, request).stream().anyMatch(s -> s.channel() == Channel.IOPUB
                && s.message().msgType().equals("status")
                && s.message().content().path("execution_state").asText().equals("idle"));
    }

    @Test
    void send_executeRequest_repliesAndIopubReachAnyMessageListenersWithTheRemoteParent() {
        KernelClient client = readyClient();
        List<Seen> seen = record(client);
        RawMessage request = execute("print:hello", false);

        client.send(Channel.SHELL, request);

        Await.until(TIMEOUT, "reply and idle", () -> idleSeen(seen, request)
                && parentedTo(seen, request).stream().anyMatch(s -> s.message().msgType().equals("execute_reply")));
        List<Seen> answers = parentedTo(seen, request);
        assertThat(answers).filteredOn(s -> s.message().msgType().equals("execute_reply"))
                .singleElement().satisfies(reply -> {
                    assertThat(reply.channel()).isEqualTo(Channel.SHELL);
                    assertThat(reply.message().parentSession()).contains(REMOTE_SESSION);
                    assertThat(reply.message().parentHeader().path("subshell_id").asText()).isEqualTo("keep-me");
                    assertThat(reply.message().content().path("status").asText()).isEqualTo("ok");
                });
        assertThat(answers).filteredOn(s -> s.channel() == Channel.IOPUB).extracting(s -> s.message().msgType())
                .containsSubsequence("status", "execute_input", "stream", "status");
        assertThat(answers).filteredOn(s -> s.message().msgType().equals("stream")).singleElement()
                .satisfies(s -> assertThat(s.message().content().path("text").asText()).isEqualTo("hello\n"));
    }

    @Test
    void send_inputReplyOnStdin_answersTheKernelsInputRequest() {
        KernelClient client = readyClient();
        List<Seen> seen = record(client);
        RawMessage request = execute("input:name?", true);

        client.send(Channel.SHELL, request);
        Seen inputRequest = Await.untilPresent(TIMEOUT, () -> "input_request", () -> parentedTo(seen, request).stream()
                .filter(s -> s.message().msgType().equals("input_request")).findFirst().orElse(null));
        assertThat(inputRequest.channel()).isEqualTo(Channel.STDIN);
        assertThat(inputRequest.message().content().path("prompt").asText()).isEqualTo("name?");
        RawMessage reply = new RawMessage(request("input_reply", Json.object().put("value", "Ada"), List.of()).header(),
                inputRequest.message().header(), Json.object(), Json.object().put("value", "Ada"), List.of());
        client.send(Channel.STDIN, reply);

        Await.until(TIMEOUT, "idle after input", () -> idleSeen(seen, request));
        assertThat(parentedTo(seen, request)).filteredOn(s -> s.message().msgType().equals("stream"))
                .extracting(s -> s.message().content().path("text").asText()).containsExactly("Ada\n");
    }

    @Test
    void send_interruptRequestOnControl_interruptsTheRunningCell() {
        KernelClient client = readyClient();
        List<Seen> seen = record(client);
        RawMessage cell = execute("sleep:60000", false);
        client.send(Channel.SHELL, cell);
        Await.until(TIMEOUT, "cell busy", () -> parentedTo(seen, cell).stream()
                .anyMatch(s -> s.message().msgType().equals("execute_input")));

        RawMessage interrupt = request("interrupt_request", Json.object(), List.of());
        client.send(Channel.CONTROL, interrupt);

        Await.until(TIMEOUT, "interrupt_reply and cell reply", () -> !parentedTo(seen, interrupt).isEmpty()
                && parentedTo(seen, cell).stream().anyMatch(s -> s.message().msgType().equals("execute_reply")));
        assertThat(parentedTo(seen, interrupt)).singleElement().satisfies(s -> {
            assertThat(s.channel()).isEqualTo(Channel.CONTROL);
            assertThat(s.message().msgType()).isEqualTo("interrupt_reply");
        });
        assertThat(parentedTo(seen, cell)).filteredOn(s -> s.message().msgType().equals("execute_reply"))
                .singleElement().satisfies(s -> assertThat(s.message().content().path("ename").asText())
                        .isEqualTo("KeyboardInterrupt"));
    }

    @Test
    void send_binaryBuffersTravelBothWays() {
        KernelClient client = readyClient();
        List<Seen> seen = record(client);
        byte[] first = {0, 1, 2, (byte) 255};
        byte[] second = "two".getBytes(StandardCharsets.UTF_8);
        RawMessage open = request("comm_open", Json.object().put("comm_id", "c1").put("target_name", "t")
                .set("data", Json.object()), List.of());
        client.send(Channel.SHELL, open);
        RawMessage message = request("comm_msg", (ObjectNode) Json.object().put("comm_id", "c1")
                .set("data", Json.object().put("x", 1)), List.of(first, second));

        client.send(Channel.SHELL, message);

        Seen echo = Await.untilPresent(TIMEOUT, () -> "comm_msg echo", () -> parentedTo(seen, message).stream()
                .filter(s -> s.message().msgType().equals("comm_msg")).findFirst().orElse(null));
        assertThat(echo.channel()).isEqualTo(Channel.IOPUB);
        assertThat(echo.message().buffers()).containsExactly(first, second);
        assertThat(echo.message().content().path("data").path("echo").path("x").asInt()).isEqualTo(1);
    }

    @Test
    void typedExecuteAndRawTraffic_runConcurrentlyAndEachGetsItsAnswers() throws Exception {
        KernelClient client = readyClient();
        List<Seen> seen = record(client);
        List<RawMessage> raw = new ArrayList<>();
        List<PendingExecution> typed = new ArrayList<>();
        List<RecordingListener> listeners = new ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<PendingExecution>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                RawMessage request = execute("print:raw-" + i, false);
                raw.add(request);
                RecordingListener listener = new RecordingListener();
                listeners.add(listener);
                int n = i;
                threads.submit(() -> client.send(Channel.SHELL, request));
                futures.add(threads.submit(() -> client.execute(ExecuteRequest.of("print:typed-" + n), listener)));
            }
            for (var future : futures) {
                typed.add(future.get());
            }
        }

        for (int i = 0; i < typed.size(); i++) {
            assertThat(typed.get(i).await(TIMEOUT).status()).isEqualTo(ExecuteReply.Status.OK);
            assertThat(listeners.get(i).stdout()).isEqualTo("typed-" + i + "\n");
        }
        for (int i = 0; i < raw.size(); i++) {
            RawMessage request = raw.get(i);
            Await.until(TIMEOUT, "idle of raw request " + i, () -> idleSeen(seen, request));
            assertThat(parentedTo(seen, request)).filteredOn(s -> s.message().msgType().equals("stream"))
                    .extracting(s -> s.message().content().path("text").asText()).containsExactly("raw-" + i + "\n");
        }
        assertThat(seen).filteredOn(s -> s.message().parentMsgId().equals(Optional.of(typed.getFirst().msgId())))
                .isNotEmpty();
    }

    @Test
    void onAnyMessage_deliversIopubInArrivalOrderAndStopsAfterClose() {
        KernelClient client = readyClient();
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Registration registration = client.onAnyMessage((channel, message) -> seen.add(new Seen(channel, message)));
        RawMessage request = execute("print:1\nprint:2\nprint:3\nprint:4", false);

        client.send(Channel.SHELL, request);
        // the reply travels on another socket than idle: wait for both, else it may arrive after the close
        Await.until(TIMEOUT, "idle and reply", () -> idleSeen(seen, request) && parentedTo(seen, request).stream()
                .anyMatch(s -> s.message().msgType().equals("execute_reply")));
        registration.close();
        int before = seen.size();
        client.execute(ExecuteRequest.of("print:after"), new RecordingListener()).await(TIMEOUT);

        assertThat(parentedTo(seen, request)).filteredOn(s -> s.message().msgType().equals("stream"))
                .extracting(s -> s.message().content().path("text").asText())
                .containsExactly("1\n", "2\n", "3\n", "4\n");
        assertThat(seen).hasSize(before);
    }

    @Test
    void onAnyMessageDirect_runsOnTheReceivingThreadInOrder_andAFailingOneHarmsNoOtherListener() {
        KernelClient client = readyClient();
        List<Seen> direct = new CopyOnWriteArrayList<>();
        Set<Boolean> virtual = ConcurrentHashMap.newKeySet();
        client.onAnyMessageDirect((channel, message) -> {
            throw new IllegalStateException("a broken direct listener");
        });
        Registration registration = client.onAnyMessageDirect((channel, message) -> {
            virtual.add(Thread.currentThread().isVirtual());
            direct.add(new Seen(channel, message));
        });
        List<Seen> queued = record(client);
        RawMessage request = execute("print:1\nprint:2\nprint:3", false);

        client.send(Channel.SHELL, request);
        Await.until(TIMEOUT, "idle and reply on the queued listener", () -> idleSeen(queued, request)
                && parentedTo(queued, request).stream().anyMatch(s -> s.message().msgType().equals("execute_reply")));
        assertThat(idleSeen(direct, request)).isTrue();
        assertThat(parentedTo(direct, request)).filteredOn(s -> s.message().msgType().equals("stream"))
                .extracting(s -> s.message().content().path("text").asText()).containsExactly("1\n", "2\n", "3\n");
        assertThat(virtual).as("called on the client's own receiving thread").containsExactly(false);
        registration.close();
        int before = direct.size();
        client.execute(ExecuteRequest.of("print:after"), new RecordingListener()).await(TIMEOUT);
        assertThat(direct).hasSize(before);
    }

    @Test
    void send_rejectsIopubAndHeadersWithoutMsgId() {
        KernelClient client = readyClient();
        RawMessage ok = execute("print:x", false);
        RawMessage noId = new RawMessage(ok.header().deepCopy().put("msg_id", ""), Json.object(), Json.object(),
                ok.content(), List.of());

        assertThatThrownBy(() -> client.send(Channel.IOPUB, ok)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IOPUB");
        assertThatThrownBy(() -> client.send(Channel.SHELL, noId)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("msg_id");
    }

    @Test
    void send_failsOnceTheClientIsClosed() {
        KernelClient client = readyClient();
        client.close();

        assertThatThrownBy(() -> client.send(Channel.SHELL, execute("print:x", false)))
                .isInstanceOf(KernelException.class).hasMessageContaining("closed");
    }
}
