package io.quire.server.rtu;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.collab.rtu.RtuEvent;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.server.QuireServer;
import io.quire.server.ServerConfig;
import io.quire.server.kernels.KernelBackend;
import io.quire.server.v1.FileIds;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server pings silent connections and drops those that do not answer within {@code rtu-idle-timeout}: a client
 * that vanished (here a raw socket that never answers pings) loses its subscription and its presence, while a client
 * whose WebSocket answers pings (the JDK's does) stays.
 */
class RtuIdleTimeoutTest {
    @TempDir
    static Path dir;
    static QuireServer server;

    @BeforeAll
    static void start() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        ServerConfig config = ServerConfig.defaults().with("port", "0", "test").with("root", root.toString(), "test")
                .with("token", RtuEndpointTest.TOKEN, "test").with("state-dir", dir.resolve("state").toString(), "test")
                .with("default-kernel", FakeKernelProvisioner.KERNEL_NAME, "test")
                .with("rtu-idle-timeout", "0.9", "test");
        server = QuireServer.start(config, KernelBackend.of(FakeKernelProvisioner.registry(
                Files.createDirectories(dir.resolve("data"))), FakeKernelProvisioner.create()), "test");
        Files.writeString(root.resolve("idle.ipynb"), RtuEndpointTest.NOTEBOOK);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aClientThatNeverAnswersPings_isDropped_withItsPresence_whileAnAnsweringClientStays() throws Exception {
        String file = FileIds.of("idle.ipynb");
        try (RtuSocket watcher = RtuSocket.connect(server.port(), RtuEndpointTest.TOKEN)) {
            watcher.send(new RtuEvent.Subscribe(file, OptionalLong.of(0)));
            watcher.next(RtuEvent.Subscribed.class);
            long start = System.nanoTime();
            Socket mute = muteSubscriber(file);
            try {
                RtuEvent.Presence presence = watcher.next(RtuEvent.Presence.class);
                assertThat(presence.cellId()).contains("c1");
                assertThat(server.rtu().subscriptions()).isEqualTo(2);

                RtuEvent.PresenceLeft left = watcher.next(RtuEvent.PresenceLeft.class);

                double seconds = (System.nanoTime() - start) / 1e9;
                assertThat(left.clientId()).isEqualTo(presence.clientId());
                assertThat(seconds).as("dropped after the timeout, not before").isGreaterThan(0.8).isLessThan(8);
                assertThat(server.rtu().subscriptions()).isEqualTo(1);
            } finally {
                mute.close();
            }
            // the watcher only received and never sent since, but it answers pings: still subscribed
            Thread.sleep(2_500);
            assertThat(server.rtu().subscriptions()).isEqualTo(1);
            watcher.send(new RtuEvent.Ping());
            assertThat(watcher.next()).isInstanceOf(RtuEvent.Pong.class);
        }
    }

    /** Upgrades by hand, subscribes and sends presence, then never reads (so never answers a ping). */
    private static Socket muteSubscriber(String file) throws IOException {
        Socket socket = RawRtuSocket.connect(server.port(), RtuEndpointTest.TOKEN, 0);
        RawRtuSocket.send(socket, new RtuEvent.Subscribe(file, OptionalLong.of(0)));
        RawRtuSocket.send(socket, new RtuEvent.SetPresence(file, Optional.of("c1"), Optional.empty()));
        return socket;
    }
}
