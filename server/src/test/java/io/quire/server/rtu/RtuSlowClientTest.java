package io.quire.server.rtu;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.collab.Delta;
import io.quire.collab.DeltaHeader;
import io.quire.collab.TextOperation;
import io.quire.collab.rtu.RtuCodec;
import io.quire.collab.rtu.RtuEvent;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.server.QuireServer;
import io.quire.server.ServerConfig;
import io.quire.server.kernels.KernelBackend;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that stops reading (its TCP window closes) overflows its bounded queue and is told to resync, while the
 * author and another subscriber keep getting every delta and ack.
 */
class RtuSlowClientTest {
    @TempDir
    static Path dir;
    static QuireServer server;

    @BeforeAll
    static void start() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        ServerConfig config = ServerConfig.defaults().with("port", "0", "test").with("root", root.toString(), "test")
                .with("token", RtuEndpointTest.TOKEN, "test").with("state-dir", dir.resolve("state").toString(), "test")
                .with("default-kernel", FakeKernelProvisioner.KERNEL_NAME, "test")
                .with("rtu-queue-max-events", "64", "test").with("rtu-queue-max-bytes", "262144", "test");
        server = QuireServer.start(config, KernelBackend.of(FakeKernelProvisioner.registry(
                Files.createDirectories(dir.resolve("data"))), FakeKernelProvisioner.create()), "test");
        Files.writeString(root.resolve("slow.ipynb"), RtuEndpointTest.NOTEBOOK);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aClientThatStopsReading_isToldToResync_andNobodyElseWaits() throws Exception {
        String file = io.quire.server.v1.FileIds.of("slow.ipynb");
        try (Socket slow = stalledSubscriber(file);
             RtuSocket author = RtuSocket.connect(server.port(), RtuEndpointTest.TOKEN);
             RtuSocket reader = RtuSocket.connect(server.port(), RtuEndpointTest.TOKEN)) {
            author.send(new RtuEvent.Subscribe(file, OptionalLong.of(0)));
            RtuEvent.Subscribed subscribed = author.next(RtuEvent.Subscribed.class);
            reader.send(new RtuEvent.Subscribe(file, OptionalLong.of(0)));
            reader.next(RtuEvent.Subscribed.class);
            String big = "x".repeat(60_000);
            int rounds = 200;
            for (int i = 0; i < rounds; i++) {
                int length = 5; // the source is "x = 1" between rounds
                TextOperation op = i % 2 == 0 ? TextOperation.builder().insert(big).retain(length).build()
                        : TextOperation.builder().delete(big.length()).retain(length).build();
                Delta delta = new Delta.EditSource(new DeltaHeader(UUID.randomUUID(), subscribed.logId(), "local", i),
                        "c1", op);
                author.send(new RtuEvent.SendDelta(file, delta));
                assertThat(author.next(RtuEvent.DeltaEvent.class).delta().seq()).isEqualTo(i + 1);
                assertThat(author.next(RtuEvent.Ack.class).seq()).isEqualTo(i + 1);
            }
            for (int i = 0; i < rounds; i++) {
                assertThat(reader.next(RtuEvent.DeltaEvent.class).delta().seq()).isEqualTo(i + 1);
            }
            assertThat(server.rtu().subscriptions()).as("the stalled client was unsubscribed").isEqualTo(2);
            assertThat(readUntilResync(slow.getInputStream())).isEqualTo(file);
        }
    }

    /** Upgrades by hand with a tiny receive buffer, subscribes, and then never reads. */
    private static Socket stalledSubscriber(String file) throws IOException {
        Socket socket = RawRtuSocket.connect(server.port(), RtuEndpointTest.TOKEN, 4096);
        RawRtuSocket.send(socket, new RtuEvent.Subscribe(file, OptionalLong.of(0)));
        return socket;
    }

    /** Reads server frames (unmasked) until a resync event; returns its file id. */
    private static String readUntilResync(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = in.readNBytes((int) length);
            int opcode = first & 0x0f;
            if (opcode == 0x8) {
                throw new AssertionError("closed before a resync");
            }
            message.write(payload);
            if ((first & 0x80) != 0 && (opcode == 0x1 || opcode == 0x0)) {
                RtuEvent.Server event = RtuCodec.readServer(message.toString(StandardCharsets.UTF_8));
                message.reset();
                if (event instanceof RtuEvent.Resync resync) {
                    return resync.fileId();
                }
            }
        }
    }
}
