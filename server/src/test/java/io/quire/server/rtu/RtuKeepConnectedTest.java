package io.quire.server.rtu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quire.client.rtu.CollabSession;
import io.quire.client.rtu.RtuClient;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.server.QuireServer;
import io.quire.server.ServerConfig;
import io.quire.server.kernels.KernelBackend;
import io.quire.server.v1.FileIds;
import io.quire.testing.Await;
import io.quire.testing.CuttableProxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CollabSession#keepConnected}: a session whose connection is cut (a proxy between it and the server drops
 * every TCP connection, then refuses new ones for a while) reconnects by itself, sends what was edited meanwhile and
 * catches up with what others did; after a deliberate disconnect it stays disconnected.
 */
class RtuKeepConnectedTest {
    static final String TOKEN = "rtu-keep-token";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NOTEBOOK = """
            {"cells": [{"cell_type": "markdown", "id": "m1", "metadata": {}, "source": "# Title"}],
             "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""";

    @TempDir
    static Path dir;
    static QuireServer server;

    @BeforeAll
    static void start() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        ServerConfig config = ServerConfig.defaults().with("port", "0", "test").with("root", root.toString(), "test")
                .with("token", TOKEN, "test").with("state-dir", dir.resolve("state").toString(), "test")
                .with("default-kernel", FakeKernelProvisioner.KERNEL_NAME, "test");
        server = QuireServer.start(config, KernelBackend.of(FakeKernelProvisioner.registry(
                Files.createDirectories(dir.resolve("data"))), FakeKernelProvisioner.create()), "test");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static CollabSession open(int port, String name) {
        return RtuClient.create(URI.create("http://127.0.0.1:" + port), TOKEN).open(FileIds.of(name), WAIT);
    }

    static com.fasterxml.jackson.databind.JsonNode markdown(String id, String text) throws Exception {
        return JSON.readTree("{\"cell_type\": \"markdown\", \"id\": \"" + id + "\", \"metadata\": {}, \"source\": \""
                + text + "\"}");
    }

    @Test
    void aCutConnection_isRestoredByItself_withTheEditsMadeMeanwhile_andOthersEdits() throws Exception {
        Files.writeString(dir.resolve("root").resolve("cut.ipynb"), NOTEBOOK, StandardCharsets.UTF_8);
        List<Boolean> told = new CopyOnWriteArrayList<>();
        try (CuttableProxy proxy = new CuttableProxy(server.port());
                CollabSession kept = open(proxy.port(), "cut.ipynb");
                CollabSession other = open(server.port(), "cut.ipynb")) {
            kept.keepConnected(Duration.ofMillis(500), Duration.ofMillis(300), told::add);

            proxy.refuse(true);
            proxy.cut();
            Await.until(WAIT, "the session to see its connection lost", () -> told.equals(List.of(false)));
            assertThat(kept.isConnected()).isFalse();

            kept.insertCell(1, markdown("k1", "typed while cut off"));
            other.insertCell(0, markdown("o1", "added by someone else"));
            other.awaitQuiet(WAIT);
            Await.until(WAIT, "two more tries, refused", () -> proxy.refused() >= 2);
            assertThat(told).as("still trying").containsExactly(false);

            proxy.refuse(false);
            Await.until(WAIT, "the session to be connected again", () -> told.equals(List.of(false, true)));
            kept.awaitQuiet(WAIT);
            other.awaitSeq(kept.seq(), WAIT);
            assertThat(kept.cellIds()).containsExactly("o1", "m1", "k1");
            assertThat(other.document()).isEqualTo(kept.document());
        }
    }

    @Test
    void aQuietHealthyConnection_isKept_theServerAnswersItsPings() throws Exception {
        Files.writeString(dir.resolve("root").resolve("quiet.ipynb"), NOTEBOOK, StandardCharsets.UTF_8);
        List<Boolean> told = new CopyOnWriteArrayList<>();
        try (CuttableProxy proxy = new CuttableProxy(server.port());
                CollabSession kept = open(proxy.port(), "quiet.ipynb")) {
            long before = proxy.bytesToClients();
            kept.keepConnected(Duration.ofMillis(200), Duration.ofMillis(100), told::add);
            // nothing else goes to the client: the server's pongs (2 bytes each) are what comes; fifteen of them
            // span five times the silence that would count as lost
            Await.until(WAIT, "fifteen pongs", () -> proxy.bytesToClients() - before >= 30);
            assertThat(told).as("never taken for lost").isEmpty();
            assertThat(proxy.accepted()).as("the one connection").isEqualTo(1);
            assertThat(kept.isConnected()).isTrue();
        }
    }

    @Test
    void aSilentConnection_isTakenForLost_andReplaced() throws Exception {
        Files.writeString(dir.resolve("root").resolve("silent.ipynb"), NOTEBOOK, StandardCharsets.UTF_8);
        List<Boolean> told = new CopyOnWriteArrayList<>();
        try (CuttableProxy proxy = new CuttableProxy(server.port());
                CollabSession kept = open(proxy.port(), "silent.ipynb")) {
            kept.keepConnected(Duration.ofMillis(200), Duration.ofMillis(100), told::add);
            proxy.stall(true); // the connection stays open, but nothing goes through: pings go unanswered
            Await.until(WAIT, "the silent connection to be taken for lost", () -> !told.isEmpty());
            proxy.stall(false);
            Await.until(WAIT, "a new connection", () -> told.equals(List.of(false, true)));
            kept.insertCell(1, markdown("s1", "after the silence"));
            kept.awaitQuiet(WAIT);
        }
    }

    @Test
    void afterADeliberateDisconnect_itStaysDisconnected() throws Exception {
        Files.writeString(dir.resolve("root").resolve("quit.ipynb"), NOTEBOOK, StandardCharsets.UTF_8);
        List<Boolean> told = new CopyOnWriteArrayList<>();
        List<Boolean> control = new CopyOnWriteArrayList<>();
        try (CuttableProxy proxy = new CuttableProxy(server.port());
                CuttableProxy other = new CuttableProxy(server.port());
                CollabSession kept = open(proxy.port(), "quit.ipynb");
                CollabSession lost = open(other.port(), "quit.ipynb")) {
            kept.keepConnected(Duration.ofMillis(200), told::add);
            lost.keepConnected(Duration.ofMillis(200), Duration.ofMillis(100), control::add);
            kept.disconnect();
            other.cut();
            // a session that lost its connection at the same moment is back: the disconnected one did not even try
            Await.until(WAIT, "the other session to be back", () -> control.equals(List.of(false, true)));
            assertThat(kept.isConnected()).isFalse();
            assertThat(told).isEmpty();
            assertThat(proxy.accepted()).as("no new connection").isEqualTo(1);
        }
    }
}
