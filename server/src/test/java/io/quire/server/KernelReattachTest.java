package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.server.runtime.KernelHandover;
import io.quire.testing.FakeKernel;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code shutdown-kernels: false}: kernels outlive the server and the next server with the same state dir takes them
 * over under their old ids (fake kernels stand for processes that outlive the JVM).
 */
class KernelReattachTest {
    @TempDir
    Path dir;

    private final FakeKernelProvisioner detached = FakeKernelProvisioner.create().withDetachedKernels();
    private final Logger handoverLog = (Logger) LoggerFactory.getLogger(KernelHandover.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @AfterEach
    void stopFakes() {
        handoverLog.detachAppender(log);
        detached.launched().forEach(FakeKernel::close);
    }

    private FakeKernelServer leavingKernelsRunning() {
        return FakeKernelServer.start(dir, detached, config -> config.with("shutdown-kernels", "false", "test"));
    }

    private static int executionCount(FakeKernelServer server, String kernelId) throws Exception {
        try (KernelSocket socket = KernelSocket.connect(server.fixture, kernelId, false)) {
            String msgId = socket.execute("print:hello");
            return socket.awaitChild(msgId, "execute_reply").path("content").path("execution_count").asInt();
        }
    }

    @Test
    void kernelsLeftRunning_areTakenOverUnderTheirIds_andAGoneOneIsDroppedWithALogLine() throws Exception {
        log.start();
        handoverLog.addAppender(log);
        String kept;
        String lost;
        try (FakeKernelServer first = leavingKernelsRunning()) {
            kept = first.startKernel().path("id").asText();
            lost = first.startKernel().path("id").asText();
            assertThat(executionCount(first, kept)).isEqualTo(1);
        }
        Path stateFile = dir.resolve("state").resolve(KernelHandover.FILE_NAME);
        assertThat(detached.launched()).hasSize(2).allMatch(FakeKernel::isAlive);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateFile.getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.readString(stateFile)).contains(kept, lost);
        detached.launched().get(1).close(); // the second kernel ends while no server runs

        try (FakeKernelServer second = FakeKernelServer.start(dir, FakeKernelProvisioner.create(), config -> config)) {
            JsonNode listed = ServerFixture.json(second.get("/api/kernels"));
            assertThat(listed).extracting(kernel -> kernel.path("id").asText()).containsExactly(kept);
            assertThat(listed.get(0).path("name").asText()).isEqualTo(FakeKernelProvisioner.KERNEL_NAME);
            assertThat(listed.get(0).path("execution_state").asText()).isEqualTo("idle");
            assertThat(stateFile).as("consumed, so no other server takes the same kernels").doesNotExist();
            assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(line -> assertThat(line).contains(lost, "is gone"));

            assertThat(executionCount(second, kept)).as("the same kernel process").isEqualTo(2);
            assertThat(second.post("/api/kernels/" + kept + "/restart", "").statusCode()).isEqualTo(200);
            assertThat(executionCount(second, kept)).as("restartable after the takeover").isEqualTo(1);
        }
        assertThat(detached.launched()).noneMatch(FakeKernel::isAlive);
        assertThat(stateFile).as("kernels were shut down, nothing to take over").doesNotExist();
    }

    @Test
    void aServerThatCannotListen_handsTheKernelsItTookOverOnAgain() throws Exception {
        String id;
        try (FakeKernelServer first = leavingKernelsRunning()) {
            id = first.startKernel().path("id").asText();
        }
        Path stateFile = dir.resolve("state").resolve(KernelHandover.FILE_NAME);

        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> FakeKernelServer.start(dir, FakeKernelProvisioner.create(), config -> config
                    .with("port", Integer.toString(taken.getLocalPort()), "test")
                    .with("shutdown-kernels", "false", "test")).close())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("could not listen on");
        }

        assertThat(detached.only().isAlive()).isTrue();
        assertThat(Files.readString(stateFile)).contains(id);
    }

    @Test
    void sessionsOfKernelsLeftRunning_areCarriedOver_soAClientFindsItsNotebooksKernelAgain() throws Exception {
        String sessionId;
        String kernelId;
        try (FakeKernelServer first = leavingKernelsRunning()) {
            JsonNode session = ServerFixture.json(first.post("/api/sessions",
                    "{\"path\": \"a.ipynb\", \"name\": \"a.ipynb\", \"type\": \"notebook\","
                            + " \"kernel\": {\"name\": \"fake\"}}"));
            sessionId = session.path("id").asText();
            kernelId = session.path("kernel").path("id").asText();
        }

        try (FakeKernelServer second = FakeKernelServer.start(dir, FakeKernelProvisioner.create(), config -> config)) {
            JsonNode sessions = ServerFixture.json(second.get("/api/sessions"));
            assertThat(sessions).hasSize(1);
            assertThat(sessions.get(0).path("id").asText()).isEqualTo(sessionId);
            assertThat(sessions.get(0).path("path").asText()).isEqualTo("a.ipynb");
            assertThat(sessions.get(0).path("kernel").path("id").asText()).isEqualTo(kernelId);
            JsonNode again = ServerFixture.json(second.post("/api/sessions",
                    "{\"path\": \"a.ipynb\", \"type\": \"notebook\", \"kernel\": {\"name\": \"fake\"}}"));
            assertThat(again.path("kernel").path("id").asText()).as("the session's kernel, not a new one")
                    .isEqualTo(kernelId);
        }
    }

    @Test
    void byDefault_kernelsAreShutDownWithTheServer_andNothingIsRecorded() throws Exception {
        try (FakeKernelServer server = FakeKernelServer.start(dir, detached, config -> config)) {
            server.startKernel();
        }

        assertThat(detached.only().isAlive()).isFalse();
        assertThat(dir.resolve("state").resolve(KernelHandover.FILE_NAME)).doesNotExist();
    }

    @Test
    void kernelsThatCannotOutliveTheServer_areShutDownEvenWhenAskedToLeaveThem() throws Exception {
        FakeKernelProvisioner attached = FakeKernelProvisioner.create();
        try (FakeKernelServer server = FakeKernelServer.start(dir, attached,
                config -> config.with("shutdown-kernels", "false", "test"))) {
            server.startKernel();
        }

        assertThat(attached.only().isAlive()).isFalse();
        assertThat(dir.resolve("state").resolve(KernelHandover.FILE_NAME)).doesNotExist();
    }

    @Test
    void anUnreadableStateFile_isMovedAside_andTheServerStarts() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.writeString(state.resolve(KernelHandover.FILE_NAME), "{not json");

        try (FakeKernelServer server = FakeKernelServer.start(dir, detached, config -> config)) {
            assertThat(ServerFixture.json(server.get("/api/kernels"))).isEmpty();
        }
        assertThat(state.resolve(KernelHandover.FILE_NAME + ".unreadable")).hasContent("{not json");
        assertThat(List.of(state.resolve(KernelHandover.FILE_NAME))).noneMatch(Files::exists);
    }
}
