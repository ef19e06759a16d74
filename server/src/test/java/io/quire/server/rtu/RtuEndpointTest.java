package io.quire.server.rtu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.collab.Delta;
import io.quire.collab.DeltaHeader;
import io.quire.collab.ExecuteTarget;
import io.quire.collab.TextOperation;
import io.quire.collab.rtu.RtuCodec;
import io.quire.collab.rtu.RtuEvent;
import io.quire.testing.Await;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.server.QuireServer;
import io.quire.server.ServerConfig;
import io.quire.server.kernels.KernelBackend;
import io.quire.server.v1.FileIds;
import java.io.IOException;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rtu WebSocket in single-user mode, driven by raw JSON events. */
class RtuEndpointTest {
    static final String TOKEN = "rtu-test-token";
    static final String NOTEBOOK = """
            {"cells": [{"cell_type": "code", "id": "c1", "metadata": {}, "source": "x = 1", "outputs": [],
             "execution_count": null}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""";

    @TempDir
    static Path dir;
    static QuireServer server;

    @BeforeAll
    static void start() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        ServerConfig config = ServerConfig.defaults().with("port", "0", "test").with("root", root.toString(), "test")
                .with("token", TOKEN, "test").with("state-dir", dir.resolve("state").toString(), "test")
                .with("default-kernel", FakeKernelProvisioner.KERNEL_NAME, "test")
                .with("rtu-max-catch-up", "3", "test");
        server = QuireServer.start(config, KernelBackend.of(FakeKernelProvisioner.registry(
                Files.createDirectories(dir.resolve("data"))), FakeKernelProvisioner.create()), "test");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String notebook(String name) throws IOException {
        Files.writeString(dir.resolve("root").resolve(name), NOTEBOOK, StandardCharsets.UTF_8);
        return FileIds.of(name);
    }

    static Delta edit(RtuEvent.Subscribed subscribed, long base, int retain, String text) {
        return new Delta.EditSource(new DeltaHeader(UUID.randomUUID(), subscribed.logId(), subscribed.user(), base),
                "c1", TextOperation.builder().retain(retain).insert(text).build());
    }

    @Test
    void upgrade_withoutOrWithAWrongToken_isRefused() {
        for (String token : List.of("", "wrong")) {
            assertThatThrownBy(() -> RtuSocket.connect(server.port(), token))
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                            .isBetween(400, 499));
        }
    }

    @Test
    void subscribe_sendsTheDocument_andADeltaReachesEverySubscriberBeforeItsAck() throws Exception {
        String file = notebook("broadcast.ipynb");
        try (RtuSocket author = RtuSocket.connect(server.port(), TOKEN);
             RtuSocket reader = RtuSocket.connect(server.port(), TOKEN)) {
            author.send(new RtuEvent.Subscribe(file, OptionalLong.empty()));
            RtuEvent.Subscribed subscribed = author.next(RtuEvent.Subscribed.class);
            assertThat(subscribed.headSeq()).isZero();
            assertThat(subscribed.role()).isEqualTo("owner");
            assertThat(subscribed.user()).isEqualTo("local");
            assertThat(subscribed.snapshot()).get().extracting(nb -> nb.cell(0).source().text()).isEqualTo("x = 1");
            reader.send(new RtuEvent.Subscribe(file, OptionalLong.of(0)));
            assertThat(reader.next(RtuEvent.Subscribed.class).snapshot()).isEmpty();

            Delta delta = edit(subscribed, 0, 5, "0");
            author.send(new RtuEvent.SendDelta(file, delta));

            RtuEvent.DeltaEvent own = author.next(RtuEvent.DeltaEvent.class);
            assertThat(own.delta().seq()).isEqualTo(1);
            assertThat(own.delta().deltaId()).isEqualTo(delta.deltaId());
            RtuEvent.Ack ack = author.next(RtuEvent.Ack.class);
            assertThat(ack.deltaId()).isEqualTo(delta.deltaId());
            assertThat(ack.seq()).isEqualTo(1);
            assertThat(reader.next(RtuEvent.DeltaEvent.class).delta()).isEqualTo(own.delta());

            // a retry of the same id is acknowledged as before and not applied again
            author.send(new RtuEvent.SendDelta(file, delta));
            assertThat(author.next(RtuEvent.Ack.class).seq()).isEqualTo(1);
            reader.assertNothingWithin(Duration.ofMillis(300));
        }
    }

    @Test
    void subscribe_fromASeq_getsTheDeltasAfterIt_orASnapshotWhenTooFarBehind() throws Exception {
        String file = notebook("catchup.ipynb");
        try (RtuSocket author = RtuSocket.connect(server.port(), TOKEN)) {
            author.send(new RtuEvent.Subscribe(file, OptionalLong.empty()));
            RtuEvent.Subscribed subscribed = author.next(RtuEvent.Subscribed.class);
            for (int i = 0; i < 5; i++) {
                author.send(new RtuEvent.SendDelta(file, edit(subscribed, i, 5 + i, "" + i)));
                author.next(RtuEvent.DeltaEvent.class);
                author.next(RtuEvent.Ack.class);
            }
        }
        try (RtuSocket late = RtuSocket.connect(server.port(), TOKEN)) {
            late.send(new RtuEvent.Subscribe(file, OptionalLong.of(3)));
            RtuEvent.Subscribed subscribed = late.next(RtuEvent.Subscribed.class);
            assertThat(subscribed.headSeq()).isEqualTo(5);
            assertThat(subscribed.snapshot()).isEmpty();
            assertThat(late.next(RtuEvent.DeltaEvent.class).delta().seq()).isEqualTo(4);
            assertThat(late.next(RtuEvent.DeltaEvent.class).delta().seq()).isEqualTo(5);

            late.send(new RtuEvent.Subscribe(file, OptionalLong.of(1))); // 4 behind, the limit is 3
            RtuEvent.Subscribed again = late.next(RtuEvent.Subscribed.class);
            assertThat(again.headSeq()).isEqualTo(5);
            assertThat(again.snapshot()).get().extracting(nb -> nb.cell(0).source().text()).isEqualTo("x = 101234");
            late.assertNothingWithin(Duration.ofMillis(200));
        }
    }

    @Test
    void deltas_areRejectedWithAReason_andNothingIsApplied() throws Exception {
        String file = notebook("rejected.ipynb");
        try (RtuSocket client = RtuSocket.connect(server.port(), TOKEN)) {
            Delta early = edit(new RtuEvent.Subscribed(file, UUID.randomUUID(), 0, "local", "x", "owner",
                    Optional.empty()), 0, 5, "!");
            client.send(new RtuEvent.SendDelta(file, early));
            assertThat(client.next(RtuEvent.Rejected.class).code()).isEqualTo("not_subscribed");

            client.send(new RtuEvent.Subscribe(file, OptionalLong.empty()));
            RtuEvent.Subscribed subscribed = client.next(RtuEvent.Subscribed.class);
            DeltaHeader header = new DeltaHeader(UUID.randomUUID(), subscribed.logId(), "local", 0);
            client.send(new RtuEvent.SendDelta(file, new Delta.DeleteCell(header, "nope")));
            RtuEvent.Rejected missing = client.next(RtuEvent.Rejected.class);
            assertThat(missing.code()).isEqualTo("cell_not_found");
            assertThat(missing.message()).contains("nope");

            client.send(new RtuEvent.SendDelta(file, new Delta.DeleteCell(new DeltaHeader(UUID.randomUUID(),
                    subscribed.logId(), "mallory", 0), "c1")));
            assertThat(client.next(RtuEvent.Rejected.class).code()).isEqualTo("wrong_author");

            client.send(new RtuEvent.SendDelta(file, new Delta.DeleteCell(new DeltaHeader(UUID.randomUUID(),
                    subscribed.logId(), "local", 7), "c1")));
            assertThat(client.next(RtuEvent.Rejected.class).code()).isEqualTo("base_ahead");

            client.send(new RtuEvent.SendDelta(file, new Delta.EditSource(new DeltaHeader(UUID.randomUUID(),
                    subscribed.logId(), "local", 0), "c1", TextOperation.builder().retain(99).build())));
            assertThat(client.next(RtuEvent.Rejected.class).code()).isEqualTo("text_mismatch");

            client.send(new RtuEvent.Subscribe(file, OptionalLong.of(0)));
            assertThat(client.next(RtuEvent.Subscribed.class).headSeq()).isZero();
        }
    }

    @Test
    void garbage_getsAnErrorNamingTheProblem_andTheConnectionStaysUsable() throws Exception {
        try (RtuSocket client = RtuSocket.connect(server.port(), TOKEN)) {
            client.sendText("not json");
            assertThat(client.next(RtuEvent.Error.class).code()).isEqualTo("bad_event");
            client.sendText("[1, 2]");
            assertThat(client.next(RtuEvent.Error.class).message()).contains("JSON object");
            client.sendText("{\"type\": \"dance\"}");
            assertThat(client.next(RtuEvent.Error.class).message()).contains("dance").contains("subscribe");
            client.sendText("{\"type\": \"subscribe\", \"file_id\": \"f_x\", \"colour\": 1}");
            assertThat(client.next(RtuEvent.Error.class).message()).contains("colour");
            client.sendText("{\"type\": \"subscribe\"}");
            assertThat(client.next(RtuEvent.Error.class).message()).contains("file_id");
            client.sendText("{\"type\": \"subscribe\", \"file_id\": \"f_x\", \"from_seq\": -1}");
            assertThat(client.next(RtuEvent.Error.class).message()).contains("from_seq");
            client.sendText("{\"type\": \"delta\", \"file_id\": \"f_x\", \"delta\": {\"type\": \"jump\"}}");
            assertThat(client.next(RtuEvent.Error.class).message()).contains("jump");
            client.sendText("{\"type\": \"ack\", \"file_id\": \"f_x\"}"); // a server event is not a client event
            assertThat(client.next(RtuEvent.Error.class).message()).contains("ack");

            client.send(new RtuEvent.Ping());
            client.next(RtuEvent.Pong.class);
        }
    }

    @Test
    void unknownFiles_andFilesThatAreNotNotebooks_areNotFound() throws Exception {
        Files.writeString(dir.resolve("root").resolve("plain.txt"), "hello");
        try (RtuSocket client = RtuSocket.connect(server.port(), TOKEN)) {
            for (String id : List.of("nonsense", FileIds.of("missing.ipynb"), FileIds.of("plain.txt"))) {
                client.send(new RtuEvent.Subscribe(id, OptionalLong.empty()));
                RtuEvent.Error error = client.next(RtuEvent.Error.class);
                assertThat(error.code()).isEqualTo("not_found");
                assertThat(error.fileId()).contains(id);
            }
        }
    }

    @Test
    void presence_goesToTheOthers_andLeavingIsAnnounced() throws Exception {
        String file = notebook("presence.ipynb");
        RtuSocket first = RtuSocket.connect(server.port(), TOKEN);
        try (RtuSocket second = RtuSocket.connect(server.port(), TOKEN)) {
            first.send(new RtuEvent.Subscribe(file, OptionalLong.empty()));
            RtuEvent.Subscribed one = first.next(RtuEvent.Subscribed.class);
            first.send(new RtuEvent.SetPresence(file, Optional.of("c1"), Optional.of(new RtuEvent.Selection(1, 3))));
            second.send(new RtuEvent.Subscribe(file, OptionalLong.empty()));
            second.next(RtuEvent.Subscribed.class);
            RtuEvent.Presence seen = second.next(RtuEvent.Presence.class);
            assertThat(seen.clientId()).isEqualTo(one.clientId());
            assertThat(seen.cellId()).contains("c1");
            assertThat(seen.cursor()).contains(new RtuEvent.Selection(1, 3));

            second.send(new RtuEvent.SetPresence(file, Optional.empty(), Optional.empty()));
            assertThat(first.next(RtuEvent.Presence.class).cellId()).isEmpty();
            first.closeGracefully();
            assertThat(second.next(RtuEvent.PresenceLeft.class).clientId()).isEqualTo(one.clientId());
        }
    }

    @Test
    void executeDeltas_areSequencedLikeEdits() throws Exception {
        String file = notebook("execute.ipynb");
        try (RtuSocket client = RtuSocket.connect(server.port(), TOKEN)) {
            client.send(new RtuEvent.Subscribe(file, OptionalLong.empty()));
            RtuEvent.Subscribed subscribed = client.next(RtuEvent.Subscribed.class);
            client.send(new RtuEvent.SendDelta(file, new Delta.ExecuteRequest(new DeltaHeader(UUID.randomUUID(),
                    subscribed.logId(), "local", 0), new ExecuteTarget.All())));
            assertThat(client.next(RtuEvent.DeltaEvent.class).delta().delta()).isInstanceOf(Delta.ExecuteRequest.class);
            client.next(RtuEvent.Ack.class);
        }
    }

    @Test
    void publishedExecutionEvents_reachTheSubscribersUnderTheirFileId() throws Exception {
        String file = notebook("published.ipynb");
        try (RtuSocket client = RtuSocket.connect(server.port(), TOKEN)) {
            client.send(new RtuEvent.Subscribe(file, OptionalLong.empty()));
            RtuEvent.Subscribed subscribed = client.next(RtuEvent.Subscribed.class);
            client.executionEvents = true;
            RtuEvent.KernelStatus status = client.next(RtuEvent.KernelStatus.class); // the state at subscribe
            assertThat(status.fileId()).isEqualTo(file);
            assertThat(status.state()).isEqualTo("dead");
            assertThat(status.reason()).hasValue("no kernel is running for this file");
            server.rtu().publish(subscribed.logId(), new RtuEvent.CellState("ignored", 3, "c1", "running",
                    Optional.empty(), OptionalLong.empty()));
            RtuEvent.CellState state = client.next(RtuEvent.CellState.class);
            assertThat(state.fileId()).isEqualTo(file);
            assertThat(state.state()).isEqualTo("running");
        }
    }

    @Test
    void aCellStateBehindOneAlreadyPublished_isNotSentAgain() throws Exception {
        // on a node without the kernel, the holder's relayed 'running' can arrive before this node's own 'queued'
        String file = notebook("stale-state.ipynb");
        try (RtuSocket client = RtuSocket.connect(server.port(), TOKEN)) {
            client.send(new RtuEvent.Subscribe(file, OptionalLong.empty()));
            RtuEvent.Subscribed subscribed = client.next(RtuEvent.Subscribed.class);
            client.executionEvents = true;
            client.next(RtuEvent.KernelStatus.class);
            for (String state : List.of("running", "queued", "running", "done", "running")) {
                server.rtu().publish(subscribed.logId(), new RtuEvent.CellState("-", 4, "c1", state,
                        Optional.empty(), OptionalLong.empty()));
            }
            server.rtu().publish(subscribed.logId(), new RtuEvent.CellState("-", 5, "c1", "queued",
                    Optional.empty(), OptionalLong.empty()));
            List<String> seen = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                RtuEvent.CellState state = client.next(RtuEvent.CellState.class);
                seen.add(state.executeSeq() + ":" + state.state());
            }
            assertThat(seen).containsExactly("4:running", "4:done", "5:queued");
        }
    }

    /** Collects whole text frames of a plain JDK WebSocket. */
    private static final class Frames implements java.net.http.WebSocket.Listener {
        final List<String> texts = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket socket, CharSequence data,
                boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        List<Long> deltaSeqs() {
            return texts.stream().flatMap(text -> RtuCodec.readServerFrame(text).stream())
                    .filter(RtuEvent.DeltaEvent.class::isInstance)
                    .map(event -> ((RtuEvent.DeltaEvent) event).delta().seq()).toList();
        }
    }

    @Test
    void aClientAskingForBatches_getsEveryEventInOrder_andAPlainClientOneEventPerFrame() throws Exception {
        String file = notebook("batches.ipynb");
        Frames batched = new Frames();
        Frames plain = new Frames();
        java.net.URI uri = RtuSocket.uri(server.port());
        java.net.http.WebSocket batchSocket = RtuSocket.HTTP.newWebSocketBuilder()
                .header("Authorization", "token " + TOKEN)
                .buildAsync(java.net.URI.create(uri + "?batch=true"), batched).join();
        java.net.http.WebSocket plainSocket = RtuSocket.HTTP.newWebSocketBuilder()
                .header("Authorization", "token " + TOKEN).buildAsync(uri, plain).join();
        try (RtuSocket author = RtuSocket.connect(server.port(), TOKEN)) {
            String subscribe = RtuCodec.write(new RtuEvent.Subscribe(file, OptionalLong.empty()));
            batchSocket.sendText(subscribe, true).join();
            plainSocket.sendText(subscribe, true).join();
            author.send(new RtuEvent.Subscribe(file, OptionalLong.empty()));
            RtuEvent.Subscribed subscribed = author.next(RtuEvent.Subscribed.class);
            Await.until(RtuSocket.WAIT, "both subscribed", () -> batched.texts.size() >= 1 && plain.texts.size() >= 1);
            for (int i = 0; i < 30; i++) {
                author.send(new RtuEvent.SendDelta(file, edit(subscribed, i, 5 + i, "x")));
            }
            List<Long> expected = java.util.stream.LongStream.rangeClosed(1, 30).boxed().toList();
            Await.until(RtuSocket.WAIT, "30 deltas on both", () -> batched.deltaSeqs().size() >= 30
                    && plain.deltaSeqs().size() >= 30);
            assertThat(batched.deltaSeqs()).containsExactlyElementsOf(expected);
            assertThat(plain.deltaSeqs()).containsExactlyElementsOf(expected);
            assertThat(plain.texts).allMatch(text -> text.startsWith("{"));
        } finally {
            batchSocket.abort();
            plainSocket.abort();
        }
    }
}
