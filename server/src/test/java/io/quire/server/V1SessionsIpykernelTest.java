package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.client.CellStatus;
import io.quire.client.Execution;
import io.quire.client.ExecutionStatus;
import io.quire.client.KernelChannels;
import io.quire.client.KernelExecution;
import io.quire.client.KernelSession;
import io.quire.client.QuireClient;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.testing.Await;
import io.quire.testing.Engines;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** v1 sessions and executions on a real ipykernel, through the SDK, against a real {@link QuireServer}. */
class V1SessionsIpykernelTest {
    private static final String TOKEN = "v1-ipykernel-token";
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;
    private QuireServer server;
    private TestNotebooks notebooks;
    private QuireClient quire;

    @BeforeEach
    void start() throws Exception {
        Engines.requireIpykernel();
        Path root = Files.createDirectories(dir.resolve("root"));
        ServerConfig config = ServerConfig.defaults().with("port", "0", "test").with("root", root.toString(), "test")
                .with("token", TOKEN, "test").with("default-kernel", "python3", "test");
        server = QuireServer.start(config, KernelSpecRegistry.create(), "test");
        notebooks = new TestNotebooks(root.toRealPath());
        quire = client();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private QuireClient client() {
        return QuireClient.builder().baseUrl(URI.create(server.url())).token(TOKEN).requestTimeout(WAIT)
                .pollIntervals(Duration.ofMillis(20), Duration.ofMillis(200)).build();
    }

    @Test
    void stateCarriesOverBetweenExecutions_outputsAreSavedWithoutAClient_andTheWebSocketSharesTheKernel()
            throws Exception {
        String fileId = quire.fileByPath(notebooks.write("state.ipynb", TestNotebooks.notebook("python3",
                TestNotebooks.code("c1", "x = 1"), TestNotebooks.code("c2", "x + 1"),
                TestNotebooks.code("c3", "import time\ntime.sleep(1.5)\nprint('slept', x)")))).id();
        KernelSession session = quire.createSession(fileId);
        assertThat(session.kernelSpec()).isEqualTo("python3");

        Execution first = quire.awaitExecution(quire.execute(session.id(), "c1").id(), WAIT);
        Execution second = quire.awaitExecution(quire.execute(session.id(), "c2").id(), WAIT);

        assertThat(first.status()).as("%s", first).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(second.status()).as("%s", second).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(second.cells().getFirst().outputs()).singleElement().satisfies(output ->
                assertThat(output.path("data").path("text/plain").asText()).isEqualTo("2"));

        QuireClient leaving = client();
        Execution all = leaving.executeAll(session.id());
        // that client goes away; the notebook on disk must still get every output
        Await.until(WAIT, "every output of the run-all in the saved notebook", () -> {
            JsonNode saved = notebooks.read("state.ipynb");
            return saved != null && TestNotebooks.stdout(TestNotebooks.cell(saved, "c3")).equals("slept 1\n");
        });
        JsonNode saved = notebooks.read("state.ipynb");
        assertThat(TestNotebooks.cell(saved, "c2").path("outputs").get(0).path("data").path("text/plain").asText())
                .isEqualTo("2");
        assertThat(TestNotebooks.cell(saved, "c3").path("execution_count").asInt()).isEqualTo(5);
        assertThat(quire.awaitExecution(all.id(), WAIT).status()).isEqualTo(ExecutionStatus.SUCCEEDED);

        try (KernelChannels channels = quire.kernelChannels(session)) {
            KernelExecution sum = channels.execute("1+1", WAIT);
            KernelExecution shared = channels.execute("x * 10", WAIT);
            assertThat(sum.isOk()).isTrue();
            assertThat(sum.resultText()).hasValue("2");
            assertThat(shared.resultText()).as("the session's kernel state, seen over the WebSocket").hasValue("10");
        }
    }

    @Test
    void cancelInterruptsARunningCell_dropsAQueuedOne_andRestartLosesTheState() {
        String fileId = quire.fileByPath(notebooks.write("cancel.ipynb", TestNotebooks.notebook("python3",
                TestNotebooks.code("c1", "y = 5\nimport time\nprint('start', flush=True)\ntime.sleep(60)"),
                TestNotebooks.code("c2", "print(y)")))).id();
        KernelSession session = quire.createSession(fileId);
        Execution running = quire.execute(session.id(), "c1");
        Execution queued = quire.execute(session.id(), "c2");
        Await.until(WAIT, "the long cell to print", () -> quire.execution(running.id()).cells().getFirst()
                .stream("stdout").equals("start\n"));

        assertThat(quire.cancelExecution(queued.id()).status()).isEqualTo(ExecutionStatus.CANCELLED);
        quire.cancelExecution(running.id());
        Execution interrupted = quire.awaitExecution(running.id(), WAIT);

        assertThat(interrupted.status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(interrupted.cells().getFirst().status()).isEqualTo(CellStatus.CANCELLED);
        JsonNode saved = notebooks.read("cancel.ipynb");
        JsonNode cell = TestNotebooks.cell(saved, "c1");
        assertThat(TestNotebooks.stdout(cell)).isEqualTo("start\n");
        assertThat(cell.path("outputs")).anySatisfy(output -> assertThat(output.path("ename").asText())
                .isEqualTo("KeyboardInterrupt"));
        assertThat(TestNotebooks.cell(saved, "c2").path("outputs")).isEmpty();
        Execution after = quire.awaitExecution(quire.execute(session.id(), "c2").id(), WAIT);
        assertThat(after.cells().getFirst().stream("stdout")).as("state kept after a cancel").isEqualTo("5\n");

        quire.restartSession(session.id());
        Execution lost = quire.awaitExecution(quire.execute(session.id(), "c2").id(), WAIT);

        assertThat(lost.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(lost.error().orElseThrow().ename()).hasValue("NameError");
    }
}
