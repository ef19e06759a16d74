package io.quire.kernel;

import io.quire.testing.Await;
import io.quire.testing.FakeKernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KernelClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    private FakeKernel fake(FakeKernel.Builder builder) {
        FakeKernel fake = builder.start();
        toClose.add(fake);
        return fake;
    }

    private KernelClient connect(FakeKernel fake, KernelClientOptions options) {
        KernelClient client = KernelClient.connect(ConnectionInfo.parse(fake.connectionFileJson()), options);
        toClose.add(client);
        return client;
    }

    private KernelClient readyClient(FakeKernel fake) {
        KernelClient client = connect(fake, KernelClientOptions.defaults().withRequestTimeout(TIMEOUT));
        client.kernelInfo(TIMEOUT);
        return client;
    }

    private KernelClient readyClient() {
        return readyClient(fake(FakeKernel.builder()));
    }

    @Test
    void kernelInfo_returnsTypedInfoOnceIopubIsLive() {
        FakeKernel fake = fake(FakeKernel.builder());
        KernelClient client = connect(fake, KernelClientOptions.defaults());

        KernelInfo info = client.kernelInfo(TIMEOUT);

        assertThat(info.protocolVersion()).isEqualTo("5.3");
        assertThat(info.implementation()).isEqualTo("fake");
        assertThat(info.languageInfo().name()).isEqualTo("fake");
        assertThat(info.languageInfo().fileExtension()).isEqualTo(".fake");
        assertThat(info.languageInfo().pygmentsLexer()).contains("text");
        assertThat(info.languageInfo().codemirrorMode()).map(n -> n.asText()).contains("text");
        assertThat(info.banner()).contains("fake");
        assertThat(info.helpLinks().get(0).path("url").asText()).startsWith("https://");
        assertThat(client.metrics().messagesReceived()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void kernelInfo_timesOutWhenNothingListens() {
        FakeKernel fake = fake(FakeKernel.builder());
        ConnectionInfo info = ConnectionInfo.parse(fake.connectionFileJson());
        fake.close();
        KernelClient client = KernelClient.connect(info, KernelClientOptions.defaults());
        toClose.add(client);

        assertThatThrownBy(() -> client.kernelInfo(Duration.ofMillis(700)))
                .isInstanceOf(KernelTimeoutException.class);
    }

    @Test
    void execute_deliversEveryOutputTypeInOrderBeforeTheReplyCompletes() {
        KernelClient client = readyClient();
        RecordingListener listener = new RecordingListener();
        String code = String.join("\n", "print:hello", "stderr:warn", "display:text/plain:x",
                "display-id:d1:text/html:<b>1</b>", "update:d1:text/html:<b>2</b>", "clear:wait",
                "display:application/json:{\"a\":1}", "comm-open:jupyter.widget", "result:42");

        ExecuteReply reply = client.execute(ExecuteRequest.of(code), listener).await(TIMEOUT);

        assertThat(reply.status()).isEqualTo(ExecuteReply.Status.OK);
        assertThat(reply.executionCount()).contains(1);
        assertThat(listener.events.getFirst()).isEqualTo(new IopubEvent.Status(IopubEvent.ExecutionState.BUSY));
        assertThat(listener.events.getLast()).isEqualTo(new IopubEvent.Status(IopubEvent.ExecutionState.IDLE));
        assertThat(listener.events.get(1)).isEqualTo(new IopubEvent.ExecuteInput(code, 1));
        assertThat(listener.events.subList(2, listener.events.size() - 1)).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("Stream", "Stream", "DisplayData", "DisplayData", "UpdateDisplayData", "ClearOutput",
                        "DisplayData", "CommOpen", "ExecuteResult");
        assertThat(listener.stdout()).isEqualTo("hello\n");
        List<IopubEvent.DisplayData> displays = listener.of(IopubEvent.DisplayData.class);
        assertThat(displays.get(0).data().path("text/plain").asText()).isEqualTo("x");
        assertThat(displays.get(1).displayId()).contains("d1");
        assertThat(displays.get(2).data().path("application/json").path("a").asInt()).isEqualTo(1);
        assertThat(listener.of(IopubEvent.UpdateDisplayData.class).getFirst().displayId()).contains("d1");
        assertThat(listener.of(IopubEvent.ClearOutput.class).getFirst().waitForNext()).isTrue();
        assertThat(listener.of(IopubEvent.CommOpen.class).getFirst().targetName()).isEqualTo("jupyter.widget");
        IopubEvent.ExecuteResult result = listener.of(IopubEvent.ExecuteResult.class).getFirst();
        assertThat(result.executionCount()).isEqualTo(1);
        assertThat(result.data().path("text/plain").asText()).isEqualTo("42");
    }

    @Test
    void execute_errorGivesErrorEventAndErrorReply() {
        KernelClient client = readyClient();
        RecordingListener listener = new RecordingListener();

        ExecuteReply reply = client.execute(ExecuteRequest.of("print:before\nerror:NameError:name 'x' is not defined\nprint:after"),
                listener).await(TIMEOUT);

        assertThat(reply.status()).isEqualTo(ExecuteReply.Status.ERROR);
        assertThat(reply.ename()).contains("NameError");
        assertThat(reply.evalue()).contains("name 'x' is not defined");
        assertThat(reply.traceback()).isNotEmpty();
        IopubEvent.Error error = listener.of(IopubEvent.Error.class).getFirst();
        assertThat(error.ename()).isEqualTo("NameError");
        assertThat(error.traceback()).last().asString().contains("NameError");
        assertThat(listener.stdout()).isEqualTo("before\n");
    }

    @Test
    void execute_userExpressionsAreReturned() {
        KernelClient client = readyClient();

        ExecuteReply reply = client.execute(ExecuteRequest.of("").withUserExpressions(java.util.Map.of("a", "1+1")),
                ExecutionListener.IGNORE).await(TIMEOUT);

        assertThat(reply.userExpressions().path("a").path("data").path("text/plain").asText()).isEqualTo("1+1");
    }

    @Test
    void stdin_inputRequestIsAnsweredByTheListener() {
        KernelClient client = readyClient();
        RecordingListener listener = new RecordingListener(request -> request.password() ? "s3cret" : "Ada");

        ExecuteReply reply = client.execute(ExecuteRequest.of("input:Name? \npassword:Pass? "), listener).await(TIMEOUT);

        assertThat(reply.status()).isEqualTo(ExecuteReply.Status.OK);
        assertThat(listener.inputs).containsExactly(new InputRequest("Name? ", false), new InputRequest("Pass? ", true));
        assertThat(listener.stdout()).isEqualTo("Ada\ns3cret\n");
    }

    @Test
    void interruptRequest_stopsARunningCellWithKeyboardInterrupt() {
        FakeKernel fake = fake(FakeKernel.builder());
        KernelClient client = readyClient(fake);
        RecordingListener listener = new RecordingListener();
        PendingExecution pending = client.execute(ExecuteRequest.of("print:start\nsleep:60000\nprint:never"), listener);
        Await.until(TIMEOUT, "cell started", () -> listener.stdout().equals("start\n"));

        client.interruptRequest();
        ExecuteReply reply = pending.await(TIMEOUT);

        assertThat(fake.interruptsReceived()).isEqualTo(1);
        assertThat(reply.status()).isEqualTo(ExecuteReply.Status.ERROR);
        assertThat(reply.ename()).contains("KeyboardInterrupt");
        assertThat(listener.stdout()).isEqualTo("start\n");
    }

    @Test
    void badSignature_isDroppedCountedAndNeverDelivered() {
        FakeKernel fake = fake(FakeKernel.builder());
        KernelClient client = readyClient(fake);
        RecordingListener listener = new RecordingListener();

        client.execute(ExecuteRequest.of("print:one\nbadsig:forged\nprint:two"), listener).await(TIMEOUT);
        fake.publishWithBadSignature("unparented forgery");

        assertThat(listener.stdout()).isEqualTo("one\ntwo\n");
        Await.until(TIMEOUT, "two bad signatures counted", () -> client.metrics().badSignatures() == 2);
        assertThat(fake.badSignaturesReceived()).isZero();
    }

    @Test
    void wrongKey_messagesAreRejectedByTheKernel() {
        FakeKernel fake = fake(FakeKernel.builder().key("right"));
        ConnectionInfo wrong = ConnectionInfo.parse(fake.connectionFileJson().replace("\"right\"", "\"wrong\""));
        KernelClient client = KernelClient.connect(wrong, KernelClientOptions.defaults());
        toClose.add(client);

        assertThatThrownBy(() -> client.kernelInfo(Duration.ofSeconds(1))).isInstanceOf(KernelTimeoutException.class);
        assertThat(fake.badSignaturesReceived()).isPositive();
    }

    @Test
    void emptyKey_worksWithoutSigning() {
        KernelClient client = readyClient(fake(FakeKernel.builder().key("")));

        assertThat(client.execute(ExecuteRequest.of("result:1"), ExecutionListener.IGNORE).await(TIMEOUT).status())
                .isEqualTo(ExecuteReply.Status.OK);
    }

    @Test
    void unparentedIopub_suchAsIopubWelcome_reachesGlobalListenersOnly() {
        FakeKernel fake = fake(FakeKernel.builder());
        KernelClient client = readyClient(fake);
        List<IopubEvent> seen = new CopyOnWriteArrayList<>();
        client.onIopub((message, event) -> seen.add(event));

        fake.publishUnparented("iopub_welcome", Json.object().put("subscription", ""));

        Await.until(TIMEOUT, "welcome seen", () -> seen.contains(new IopubEvent.Unknown("iopub_welcome",
                Json.object().put("subscription", ""))));
        assertThat(client.execute(ExecuteRequest.of("result:ok"), ExecutionListener.IGNORE).await(TIMEOUT).status())
                .isEqualTo(ExecuteReply.Status.OK);
    }

    @Test
    void comms_openMessageWithBinaryBuffersEchoInfoAndClose() {
        FakeKernel fake = fake(FakeKernel.builder());
        KernelClient client = readyClient(fake);
        List<IopubEvent.CommMsg> echoes = new CopyOnWriteArrayList<>();
        client.onIopub((message, event) -> {
            if (event instanceof IopubEvent.CommMsg msg) {
                echoes.add(msg);
            }
        });

        client.openComm("c1", "my.target", Json.object().put("hello", 1), List.of());
        client.sendCommMessage("c1", Json.object().put("x", "y"), List.of(new byte[] {0, 1, 2, (byte) 255}, new byte[0]));

        IopubEvent.CommMsg echo = Await.untilPresent(TIMEOUT, () -> "comm echo", () -> echoes.isEmpty() ? null : echoes.getFirst());
        assertThat(echo.commId()).isEqualTo("c1");
        assertThat(echo.data().path("echo").path("x").asText()).isEqualTo("y");
        assertThat(echo.buffers()).hasSize(2);
        assertThat(echo.buffers().get(0)).containsExactly(0, 1, 2, 255);
        assertThat(fake.lastReceived("comm_msg").orElseThrow().buffers().get(0)).containsExactly(0, 1, 2, 255);
        assertThat(client.commInfo(Optional.empty()).comms()).containsEntry("c1", "my.target");
        assertThat(client.commInfo(Optional.of("other")).comms()).isEmpty();

        client.closeComm("c1", Json.object());
        Await.until(TIMEOUT, "comm closed", () -> client.commInfo(Optional.empty()).comms().isEmpty());
    }

    @Test
    void completeInspectIsCompleteAndHistory() {
        KernelClient client = readyClient();
        client.execute(ExecuteRequest.of("print:a"), ExecutionListener.IGNORE).await(TIMEOUT);

        CompleteReply completion = client.complete("pri", 3);
        assertThat(completion.matches()).containsExactly("print");
        assertThat(completion.cursorStart()).isZero();
        assertThat(completion.cursorEnd()).isEqualTo(3);

        InspectReply inspection = client.inspect("sleep:10", 2, 1);
        assertThat(inspection.found()).isTrue();
        assertThat(inspection.data().path("text/plain").asText()).contains("sleep").contains("detail 1");

        assertThat(client.isComplete("print:a").status()).isEqualTo(IsCompleteReply.Status.COMPLETE);
        IsCompleteReply incomplete = client.isComplete("print:a\\");
        assertThat(incomplete.status()).isEqualTo(IsCompleteReply.Status.INCOMPLETE);
        assertThat(incomplete.indent()).contains("  ");
        assertThat(client.isComplete("frobnicate").status()).isEqualTo(IsCompleteReply.Status.INVALID);

        assertThat(client.history(HistoryRequest.tail(10)).entries())
                .extracting(HistoryReply.Entry::input).containsExactly("print:a");
    }

    @Test
    void customCommandHandler_canPublishAndFail() {
        FakeKernel fake = fake(FakeKernel.builder().command("shout", (argument, context) -> {
            context.stream("stdout", argument.toUpperCase() + "\n");
            if (argument.isEmpty()) {
                context.fail("ValueError", "nothing to shout");
            }
        }));
        KernelClient client = readyClient(fake);
        RecordingListener listener = new RecordingListener();

        assertThat(client.execute(ExecuteRequest.of("shout:hi"), listener).await(TIMEOUT).status()).isEqualTo(ExecuteReply.Status.OK);
        assertThat(listener.stdout()).isEqualTo("HI\n");
        assertThat(client.execute(ExecuteRequest.of("shout"), listener).await(TIMEOUT).ename()).contains("ValueError");
    }

    @Test
    void stopOnError_abortsExecutionsQueuedBehindAFailure() {
        KernelClient client = readyClient();
        PendingExecution slowFailure = client.execute(ExecuteRequest.of("sleep:300\nerror:E:boom"), ExecutionListener.IGNORE);
        PendingExecution queued = client.execute(ExecuteRequest.of("print:never"), ExecutionListener.IGNORE);

        assertThat(slowFailure.await(TIMEOUT).status()).isEqualTo(ExecuteReply.Status.ERROR);
        assertThat(queued.await(TIMEOUT).status()).isEqualTo(ExecuteReply.Status.ABORTED);
    }

    @Test
    void kernelDeath_isDetectedByHeartbeatAndFailsPendingAndNewExecutionsPromptly() {
        FakeKernel fake = fake(FakeKernel.builder());
        KernelClient client = connect(fake, KernelClientOptions.defaults().withHeartbeat(Duration.ofMillis(100), 3));
        client.kernelInfo(TIMEOUT);
        Await.until(TIMEOUT, "first heartbeat", () -> client.metrics().messagesReceived() > 0);
        List<ClientState> states = new CopyOnWriteArrayList<>();
        client.onStateChange(states::add);
        RecordingListener listener = new RecordingListener();
        PendingExecution pending = client.execute(ExecuteRequest.of("print:last words\nsleep:100\ndie"), listener);

        assertThatThrownBy(() -> pending.await(Duration.ofSeconds(5)))
                .isInstanceOf(KernelDiedException.class)
                .hasMessageContaining("heartbeat");
        assertThat(client.state()).isEqualTo(ClientState.UNRESPONSIVE);
        Await.until(TIMEOUT, "state listener told", () -> states.contains(ClientState.UNRESPONSIVE));
        assertThat(client.metrics().heartbeatFailures()).isEqualTo(1);
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.execute(ExecuteRequest.of("print:x"), listener).await(TIMEOUT))
                .isInstanceOf(KernelDiedException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThatThrownBy(() -> client.complete("p", 1)).isInstanceOf(KernelDiedException.class);
    }

    @Test
    void hungKernel_notAnsweringHeartbeats_becomesUnresponsive() {
        FakeKernel fake = fake(FakeKernel.builder());
        KernelClient client = connect(fake, KernelClientOptions.defaults().withHeartbeat(Duration.ofMillis(100), 2));
        client.kernelInfo(TIMEOUT);
        // a kernel that never answered a heartbeat counts as starting, not hung: wait for a real answer first
        Await.until(TIMEOUT, "heartbeat answered", () -> fake.heartbeatsAnswered() > 0
                && client.state() == ClientState.CONNECTED);

        fake.stopHeartbeat();

        Await.until(TIMEOUT, "unresponsive", () -> client.state() == ClientState.UNRESPONSIVE);
    }

    @Test
    void close_failsPendingExecutionsAndLaterCalls() {
        KernelClient client = readyClient();
        PendingExecution pending = client.execute(ExecuteRequest.of("sleep:60000"), ExecutionListener.IGNORE);

        client.close();

        assertThatThrownBy(() -> pending.await(TIMEOUT)).isInstanceOf(KernelException.class);
        assertThat(client.state()).isEqualTo(ClientState.CLOSED);
        assertThatThrownBy(() -> client.complete("p", 1)).isInstanceOf(KernelException.class).hasMessageContaining("closed");
    }

    @Test
    void concurrency_manyVirtualThreadsExecuteAndEachGetsItsOwnOutputs() throws Exception {
        KernelClient client = readyClient();
        int n = 64;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                results.add(threads.submit(() -> {
                    RecordingListener listener = new RecordingListener();
                    ExecuteReply reply = client.execute(ExecuteRequest.of("print:out-" + id + "\nresult:" + id), listener)
                            .await(Duration.ofSeconds(30));
                    assertThat(reply.status()).isEqualTo(ExecuteReply.Status.OK);
                    return listener.stdout() + listener.of(IopubEvent.ExecuteResult.class).getFirst().data().path("text/plain").asText();
                }));
            }
            for (int i = 0; i < n; i++) {
                assertThat(results.get(i).get()).isEqualTo("out-" + i + "\n" + i);
            }
        }
        assertThat(client.metrics().badSignatures()).isZero();
    }
}
