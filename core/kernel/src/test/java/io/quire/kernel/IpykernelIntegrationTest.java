package io.quire.kernel;

import io.quire.kernel.local.LocalProcessProvisioner;
import io.quire.kernel.spi.LaunchRequest;
import io.quire.testing.Await;
import io.quire.testing.Engines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against a real ipykernel (Debian's python3-ipykernel). One kernel serves the whole class: the tests
 * run in order and the last two restart and shut it down. Skipped when ipykernel is missing, except on
 * CI (CI=true) where that fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IpykernelIntegrationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path workDir;

    private RunningKernel kernel;

    @BeforeAll
    void startKernel() {
        Engines.requireIpykernel();
        KernelLauncher launcher = KernelLauncher.create(LocalProcessProvisioner.create(workDir.resolve("runtime")),
                KernelSpecRegistry.create(), KernelClientOptions.defaults().withRequestTimeout(TIMEOUT));
        kernel = launcher.start("python3", LaunchRequest.defaults().withCwd(workDir).withEnv(Map.of("QUIRE_TEST", "yes")),
                Duration.ofSeconds(60));
    }

    @AfterAll
    void stopKernel() {
        if (kernel != null) {
            kernel.shutdown(Duration.ofSeconds(5));
        }
    }

    private String realWorkDir() {
        try {
            return workDir.toRealPath().toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private ExecuteReply run(String code, RecordingListener listener) {
        return kernel.execute(ExecuteRequest.of(code), listener).await(TIMEOUT);
    }

    @Test
    @Order(1)
    void kernelInfo_describesPython() {
        assertThat(kernel.info().protocolVersion()).startsWith("5.");
        assertThat(kernel.info().languageInfo().name()).isEqualTo("python");
        assertThat(kernel.info().languageInfo().fileExtension()).isEqualTo(".py");
        assertThat(kernel.info().implementation()).isEqualTo("ipython");
        assertThat(kernel.state()).isIn(KernelState.IDLE, KernelState.BUSY);
    }

    @Test
    @Order(2)
    void execute_expressionGivesExecuteResult() {
        RecordingListener listener = new RecordingListener();

        ExecuteReply reply = run("1+1", listener);

        assertThat(reply.status()).isEqualTo(ExecuteReply.Status.OK);
        IopubEvent.ExecuteResult result = listener.of(IopubEvent.ExecuteResult.class).getFirst();
        assertThat(result.data().path("text/plain").asText()).isEqualTo("2");
        assertThat(result.executionCount()).isEqualTo(reply.executionCount().orElseThrow());
    }

    @Test
    @Order(3)
    void execute_printStreamsStdoutAndSeesCwdAndEnv() {
        RecordingListener listener = new RecordingListener();

        run("import os\nprint('hello')\nprint(os.getcwd())\nprint(os.environ['QUIRE_TEST'])", listener);

        assertThat(listener.stdout()).isEqualTo("hello\n" + realWorkDir() + "\nyes\n");
    }

    @Test
    @Order(4)
    void execute_exceptionGivesErrorWithTraceback() {
        RecordingListener listener = new RecordingListener();

        ExecuteReply reply = run("1/0", listener);

        assertThat(reply.status()).isEqualTo(ExecuteReply.Status.ERROR);
        assertThat(reply.ename()).contains("ZeroDivisionError");
        IopubEvent.Error error = listener.of(IopubEvent.Error.class).getFirst();
        assertThat(error.ename()).isEqualTo("ZeroDivisionError");
        assertThat(error.traceback()).isNotEmpty();
    }

    @Test
    @Order(5)
    void input_roundTripsOverStdin() {
        RecordingListener listener = new RecordingListener(request -> "Ada");

        ExecuteReply reply = run("name = input('Name: ')\nprint('hi ' + name)", listener);

        assertThat(reply.status()).as("reply %s; events %s", reply, listener.events)
                .isEqualTo(ExecuteReply.Status.OK);
        assertThat(listener.inputs).containsExactly(new InputRequest("Name: ", false));
        assertThat(listener.stdout()).isEqualTo("hi Ada\n");
    }

    @Test
    @Order(6)
    void interrupt_stopsSleepWithKeyboardInterrupt() {
        RecordingListener listener = new RecordingListener();
        PendingExecution pending = kernel.execute(
                ExecuteRequest.of("import time\nprint('sleeping', flush=True)\ntime.sleep(30)"), listener);
        Await.until(TIMEOUT, "sleep started", () -> listener.stdout().contains("sleeping"));
        long start = System.nanoTime();

        kernel.interrupt();
        ExecuteReply reply = pending.await(Duration.ofSeconds(10));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(reply.status()).isEqualTo(ExecuteReply.Status.ERROR);
        assertThat(reply.ename()).contains("KeyboardInterrupt");
    }

    @Test
    @Order(7)
    void completeInspectAndIsComplete() {
        KernelClient client = kernel.client();
        String code = "import os\nos.pa";

        CompleteReply completion = client.complete(code, code.length());
        assertThat(completion.matches()).anyMatch(m -> m.endsWith("path"));
        assertThat(completion.cursorEnd()).isEqualTo(code.length());

        InspectReply inspection = client.inspect("len", 3, 0);
        assertThat(inspection.found()).isTrue();
        assertThat(inspection.data().path("text/plain").asText()).isNotBlank();

        assertThat(client.isComplete("1+1").status()).isEqualTo(IsCompleteReply.Status.COMPLETE);
        assertThat(client.isComplete("for i in range(3):").status()).isEqualTo(IsCompleteReply.Status.INCOMPLETE);
        assertThat(client.history(HistoryRequest.tail(5)).entries()).isNotEmpty();
    }

    @Test
    @Order(8)
    void restart_clearsState() {
        run("a = 5", new RecordingListener());

        kernel.restart(Duration.ofSeconds(60));

        RecordingListener listener = new RecordingListener();
        ExecuteReply reply = run("a", listener);
        assertThat(reply.ename()).contains("NameError");
        assertThat(kernel.state()).isIn(KernelState.IDLE, KernelState.BUSY);
    }

    @Test
    @Order(9)
    void shutdown_leavesNoProcessBehind() throws Exception {
        String connectionFileName;
        List<ProcessHandle> kernelProcesses = ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains("ipykernel_launcher"))
                .flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants()))
                .toList();
        assertThat(kernelProcesses).isNotEmpty();
        try (var files = Files.list(workDir.resolve("runtime"))) {
            connectionFileName = files.map(Path::toString).filter(n -> n.endsWith(".json")).findFirst().orElseThrow();
        }

        kernel.shutdown(Duration.ofSeconds(5));

        assertThat(kernelProcesses).noneMatch(ProcessHandle::isAlive);
        assertThat(Path.of(connectionFileName)).doesNotExist();
        assertThat(kernel.state()).isEqualTo(KernelState.SHUTDOWN);
    }
}
