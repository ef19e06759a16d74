package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.server.jupyter.ChannelsOptions;
import io.quire.testing.Await;
import io.quire.testing.FakeKernel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that stops reading must not hold up the kernel or the other clients: its bounded outbound queue overflows
 * and the server closes it with 1008.
 */
class KernelChannelsBackpressureTest {
    /** {@code flood:COUNT:SIZE[:PAUSE]} prints COUNT lines of SIZE bytes, pausing PAUSE ms after each. */
    static final FakeKernel.CommandHandler FLOOD = (argument, context) -> {
        String[] parts = argument.split(":");
        int count = Integer.parseInt(parts[0]);
        String line = "x".repeat(Integer.parseInt(parts[1]) - 1) + "\n";
        Duration pause = Duration.ofMillis(parts.length > 2 ? Long.parseLong(parts[2]) : 0);
        for (int i = 0; i < count; i++) {
            context.stream("stdout", line);
            if (!pause.isZero() && !context.sleep(pause)) {
                return;
            }
        }
    };

    /** A flood a reading client keeps up with (about 20 MB/s) but that overflows a stalled one. */
    private static final String FLOOD_CODE = "flood:1500:20000:1";

    /** Waits for the idle status of a request, describing the wait briefly (the messages are large). */
    static void awaitIdle(KernelSocket socket, String msgId) {
        Await.until(KernelSocket.WAIT, "idle for " + msgId, () -> socket.received().stream().anyMatch(message
                        -> KernelSocket.isChild(message, msgId, "status")
                        && message.path("content").path("execution_state").asText().equals("idle")));
    }

    @TempDir
    Path dir;

    private ChannelsServer start() {
        ChannelsOptions options = ChannelsOptions.defaults()
                .withQueue(500, 64L * 1024 * 1024, Duration.ofSeconds(30))
                .withRateLimits(0, 0, Duration.ofSeconds(3));
        return ChannelsServer.start(dir, options, builder -> builder.command("flood", FLOOD));
    }

    @Test
    void stalledClient_isDisconnectedWhileAReadingClientGetsEverything() throws Exception {
        try (ChannelsServer server = start()) {
            floodWithAStalledClient(server, FLOOD_CODE, 1500);
        }
    }

    /**
     * Runs a flood with a reading and a stalled client on one kernel: the reader gets every line, the stalled client
     * nothing, and the stalled client is dropped while the reader stays connected.
     */
    private static void floodWithAStalledClient(ChannelsServer server, String code, int lines) throws Exception {
        String kernelId = server.startKernel();
        try (KernelSocket reader = server.connect(kernelId, "reader");
             KernelSocket stalled = server.connectStalled(kernelId, "stalled")) {
            Await.until(KernelSocket.WAIT, "two connections", () -> server.channels.connections() == 2);

            String msgId = reader.execute(code);

            awaitIdle(reader, msgId);
            assertThat(reader.children(msgId).stream().filter(m -> KernelSocket.isChild(m, msgId, "stream")))
                    .hasSize(lines);
            Await.until(KernelSocket.WAIT, "the stalled client to be dropped",
                    () -> server.channels.connections() == 1);
            assertThat(reader.isClosed()).isFalse();
            assertThat(stalled.received()).as("it read nothing").isEmpty();
        }
    }

    @Test
    void stalledClient_getsClose1008OnceItReadsAgain() throws Exception {
        try (ChannelsServer server = start()) {
            String kernelId = server.startKernel();
            try (KernelSocket reader = server.connect(kernelId, "reader");
                 KernelSocket stalled = server.connectStalled(kernelId, "stalled")) {
                String msgId = reader.execute(FLOOD_CODE);
                awaitIdle(reader, msgId);
                Await.until(KernelSocket.WAIT, "the stalled client to be dropped",
                        () -> server.channels.connections() == 1);

                stalled.resume();

                assertThat(stalled.awaitClosedByServer()).isEqualTo(1008);
            }
        }
    }

    @Test
    void stalledClient_aDirectWriteThatBlocks_isAbortedAndTheOthersGetEverything() throws Exception {
        // every message may go directly, and the queue never overflows: only the stall limit can drop the client
        ChannelsOptions options = ChannelsOptions.defaults()
                .withQueue(100_000, 1L << 30, Duration.ofSeconds(30))
                .withRateLimits(0, 0, Duration.ofSeconds(3))
                .withDirectWrites(1L << 40, Duration.ofMillis(300));
        try (ChannelsServer server = ChannelsServer.start(dir, options, builder -> builder.command("flood", FLOOD))) {
            floodWithAStalledClient(server, "flood:4000:4000", 4000);
        }
    }

    @Test
    void stalledClient_doesNotHoldUpTheKernel() throws Exception {
        try (ChannelsServer server = start()) {
            String kernelId = server.startKernel();
            try (KernelSocket stalled = server.connectStalled(kernelId, "stalled")) {
                try (KernelSocket first = server.connect(kernelId, "first")) {
                    awaitIdle(first, first.execute(FLOOD_CODE));
                }

                try (KernelSocket later = server.connect(kernelId, "later")) {
                    String msgId = later.execute("print:still serving");
                    later.await("the print", message -> KernelSocket.isChild(message, msgId, "stream")
                            && KernelSocket.streamText(message).orElse("").equals("still serving\n"));
                    assertThat(later.awaitChild(msgId, "execute_reply").path("content").path("status").asText())
                            .isEqualTo("ok");
                }
                assertThat(stalled.received()).as("it read nothing").isEmpty();
            }
        }
    }
}
