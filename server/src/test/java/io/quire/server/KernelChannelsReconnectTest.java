package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.server.jupyter.ChannelsOptions;
import io.quire.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Buffering for a client that reconnects with the same {@code session_id}: what was meant for the session while it had
 * no connection is replayed in order, replies to its earlier requests reach it, other sessions never get them, and
 * the buffer is bounded and expires.
 */
class KernelChannelsReconnectTest {
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

    private static KernelSocket connect(String kernelId, String sessionId) throws Exception {
        return KernelSocket.connectSession(server.fixture.http, server.fixture.server.port(), FakeKernelServer.TOKEN,
                kernelId, sessionId, false);
    }

    private static String newKernel() throws Exception {
        return server.startKernel().path("id").asText();
    }

    /** Runs a print on a socket and waits for its reply: everything dispatched before has reached this socket. */
    private static void roundTrip(KernelSocket socket) {
        String msgId = socket.execute("print:ping");
        socket.awaitChild(msgId, "execute_reply");
        socket.awaitStatus(msgId, "idle");
    }

    @Test
    void reconnectWithTheSameSession_getsTheOutputAndTheReplyOfARequestOfItsPredecessor() throws Exception {
        String kernelId = newKernel();
        try (KernelSocket other = connect(kernelId, "s2")) {
            String msgId;
            try (KernelSocket first = connect(kernelId, "s1")) {
                msgId = first.execute("sleep:500\nprint:after");
            }
            other.awaitStatus(msgId, "idle");

            try (KernelSocket again = connect(kernelId, "s1")) {
                again.await("the stream printed while away", message -> KernelSocket.isChild(message, msgId, "stream")
                        && KernelSocket.streamText(message).orElse("").equals("after\n"));
                assertThat(again.awaitChild(msgId, "execute_reply").path("content").path("status").asText())
                        .isEqualTo("ok");
            }

            roundTrip(other);
            assertThat(other.children(msgId)).as("session s2 sees s1's IOPub, never its reply")
                    .noneMatch(message -> message.path("channel").asText().equals("shell"));
        }
    }

    @Test
    void aPing_isAnsweredWithAPongCarryingItsData_asRfc6455Asks() throws Exception {
        String kernelId = newKernel();
        try (KernelSocket socket = connect(kernelId, "pinger")) {
            assertThat(socket.pingAnswered("heartbeat-1".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isTrue();
            assertThat(socket.pingAnswered(new byte[0])).isTrue();
        }
    }

    @Test
    void replay_isInOrderAndBeforeLiveMessages() throws Exception {
        String kernelId = newKernel();
        try (KernelSocket other = connect(kernelId, "other")) {
            connect(kernelId, "away").close();
            String msgId = other.execute("print:one\nprint:two\nprint:three");
            other.awaitStatus(msgId, "idle");

            try (KernelSocket again = connect(kernelId, "away")) {
                String live = again.execute("print:live");
                again.awaitStatus(live, "idle");

                assertThat(again.received().stream().map(KernelSocket::streamText).flatMap(java.util.Optional::stream))
                        .containsExactly("one\n", "two\n", "three\n", "live\n");
            }
        }
    }

    @Test
    void aDifferentSession_getsNoReplay() throws Exception {
        String kernelId = newKernel();
        try (KernelSocket other = connect(kernelId, "other")) {
            connect(kernelId, "away").close();
            String msgId = other.execute("print:while away");
            other.awaitStatus(msgId, "idle");

            try (KernelSocket stranger = connect(kernelId, "stranger")) {
                roundTrip(stranger);

                assertThat(stranger.children(msgId)).isEmpty();
            }
        }
    }

    @Test
    void replayHappensOnce() throws Exception {
        String kernelId = newKernel();
        try (KernelSocket other = connect(kernelId, "other")) {
            connect(kernelId, "away").close();
            String msgId = other.execute("print:once");
            other.awaitStatus(msgId, "idle");
            try (KernelSocket again = connect(kernelId, "away")) {
                again.awaitStatus(msgId, "idle");
            }
            Await.until(KernelSocket.WAIT, "the reconnected socket to be gone",
                    () -> server.fixture.server.port() > 0 && connectionsOf(kernelId) == 1);

            try (KernelSocket third = connect(kernelId, "away")) {
                roundTrip(third);

                assertThat(third.children(msgId)).isEmpty();
            }
        }
    }

    private static int connectionsOf(String kernelId) {
        try {
            return ServerFixture.json(server.get("/api/kernels/" + kernelId)).path("connections").asInt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aClientWithoutSessionId_isNotBuffered() throws Exception {
        String kernelId = newKernel();
        try (KernelSocket socket = KernelSocket.connect(server.fixture, kernelId, false)) {
            roundTrip(socket);
        }
        Await.until(KernelSocket.WAIT, "no connection left", () -> connectionsOf(kernelId) == 0);

        try (KernelSocket socket = connect(kernelId, "")) {
            roundTrip(socket);
            assertThat(socket.received().stream().filter(message -> KernelSocket.streamText(message).isPresent()))
                    .hasSize(1);
        }
    }

    // ------------------------------------------------------------------ limits, on a server with a test clock

    @Test
    void buffer_keepsTheNewestMessages_andTellsHowManyWereDropped(@TempDir Path channelsDir) throws Exception {
        ChannelsOptions options = ChannelsOptions.defaults().withBuffering(Duration.ofSeconds(60), 5, 1 << 20);
        try (ChannelsServer channels = ChannelsServer.start(channelsDir, options, builder -> { })) {
            String kernelId = channels.startKernel();
            try (KernelSocket other = channels.connect(kernelId, "other")) {
                channels.connect(kernelId, "away").close();
                String msgId = other.execute("print:1\nprint:2\nprint:3\nprint:4\nprint:5\nprint:6");
                other.awaitStatus(msgId, "idle");

                try (KernelSocket again = channels.connect(kernelId, "away")) {
                    again.awaitStatus(msgId, "idle");

                    assertThat(again.received().getFirst().path("content").path("text").asText())
                            .contains("dropped", "while this client was disconnected");
                    assertThat(again.received().stream().map(KernelSocket::streamText)
                            .flatMap(java.util.Optional::stream).filter(text -> !text.contains("dropped")))
                            .as("busy, execute_input, 1 and 2 dropped; 3 to 6 and idle kept")
                            .containsExactly("3\n", "4\n", "5\n", "6\n");
                }
            }
        }
    }

    @Test
    void buffer_expiresAfterTheTimeout(@TempDir Path channelsDir) throws Exception {
        ChannelsOptions options = ChannelsOptions.defaults().withBuffering(Duration.ofSeconds(60), 1000, 1 << 20);
        try (ChannelsServer channels = ChannelsServer.start(channelsDir, options, builder -> { })) {
            String kernelId = channels.startKernel();
            try (KernelSocket other = channels.connect(kernelId, "other")) {
                channels.connect(kernelId, "away").close();
                String msgId = other.execute("print:too late");
                other.awaitStatus(msgId, "idle");

                channels.advance(Duration.ofSeconds(60));

                try (KernelSocket again = channels.connect(kernelId, "away")) {
                    roundTrip(again);
                    assertThat(again.children(msgId)).isEmpty();
                }
            }
        }
    }

    @Test
    void buffer_isKeptUntilTheTimeout(@TempDir Path channelsDir) throws Exception {
        ChannelsOptions options = ChannelsOptions.defaults().withBuffering(Duration.ofSeconds(60), 1000, 1 << 20);
        try (ChannelsServer channels = ChannelsServer.start(channelsDir, options, builder -> { })) {
            String kernelId = channels.startKernel();
            try (KernelSocket other = channels.connect(kernelId, "other")) {
                channels.connect(kernelId, "away").close();
                String msgId = other.execute("print:just in time");
                other.awaitStatus(msgId, "idle");

                channels.advance(Duration.ofSeconds(59));

                try (KernelSocket again = channels.connect(kernelId, "away")) {
                    again.awaitStatus(msgId, "idle");
                }
            }
        }
    }
}
