package io.quire.kernel.local;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quire.kernel.ConnectionInfo;
import io.quire.kernel.InterruptMode;
import io.quire.kernel.KernelSpec;
import io.quire.kernel.spi.KernelExit;
import io.quire.kernel.spi.LaunchRequest;
import io.quire.kernel.spi.ProvisionedKernel;
import io.quire.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LocalProcessProvisionerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    private KernelSpec shell(String script, Map<String, String> env) {
        return new KernelSpec("sh", "Shell", "sh", List.of("/bin/sh", "-c", script, "sh", "{connection_file}"), env,
                InterruptMode.SIGNAL, JsonNodeFactory.instance.objectNode(), temp, Map.of());
    }

    @Test
    void launch_writesPrivateConnectionFileAndTerminateKillsTheWholeTree() throws Exception {
        Path runtime = temp.resolve("runtime");
        LocalProcessProvisioner provisioner = LocalProcessProvisioner.create(runtime);
        ProvisionedKernel kernel = provisioner.launch(shell("cp \"$1\" \"$1.seen\"; sleep 300 & sleep 300 & wait", Map.of()),
                LaunchRequest.defaults());
        LocalProcessKernel local = (LocalProcessKernel) kernel;
        ProcessHandle handle = ProcessHandle.of(local.pid()).orElseThrow();
        Await.until(TIMEOUT, "two child processes", () -> handle.descendants().count() == 2);
        List<ProcessHandle> tree = handle.descendants().toList();

        Path file;
        try (var files = Files.list(runtime)) {
            file = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runtime))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        ConnectionInfo info = ConnectionInfo.read(file);
        assertThat(info).isEqualTo(kernel.connectionInfo());
        assertThat(info.kernelName()).isEqualTo("sh");
        assertThat(info.key()).matches("[0-9a-f]{64}");
        assertThat(List.of(info.shellPort(), info.iopubPort(), info.stdinPort(), info.controlPort(), info.hbPort()))
                .doesNotHaveDuplicates();
        Await.until(TIMEOUT, "argv substituted", () -> Files.exists(Path.of(file + ".seen")));
        assertThat(kernel.isAlive()).isTrue();

        kernel.terminate(Duration.ofSeconds(2));

        assertThat(kernel.isAlive()).isFalse();
        assertThat(tree).noneMatch(ProcessHandle::isAlive);
        assertThat(file).doesNotExist();
        assertThat(kernel.exit()).isCompleted();
        assertThat(kernel.exit().join().requested()).isTrue();
    }

    @Test
    void exit_reportsUnexpectedDeathWithCodeAndStderr() {
        ProvisionedKernel kernel = LocalProcessProvisioner.create(temp.resolve("rt"))
                .launch(shell("echo 'Address already in use' >&2; exit 3", Map.of()), LaunchRequest.defaults());

        KernelExit exit = kernel.exit().orTimeout(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();

        assertThat(exit.requested()).isFalse();
        assertThat(exit.exitCode()).hasValue(3);
        assertThat(exit.reason()).contains("Address already in use").contains("code 3");
        try (var files = Files.list(temp.resolve("rt"))) {
            assertThat(files).isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void launch_mergesSpecAndRequestEnvAndUsesTheWorkingDirectory() throws Exception {
        Path cwd = Files.createDirectories(temp.resolve("work"));
        ProvisionedKernel kernel = LocalProcessProvisioner.create(temp.resolve("rt")).launch(
                shell("echo \"$FROM_SPEC $FROM_REQUEST $SHARED $JPY_PARENT_PID\" > out.txt", Map.of("FROM_SPEC", "s", "SHARED", "spec")),
                LaunchRequest.defaults().withCwd(cwd).withEnv(Map.of("FROM_REQUEST", "r", "SHARED", "request")));

        kernel.exit().orTimeout(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();

        assertThat(Files.readString(cwd.resolve("out.txt")).strip())
                .isEqualTo("s r request " + ProcessHandle.current().pid());
    }

    @Test
    void sendInterruptSignal_deliversSigint() throws Exception {
        Path marker = temp.resolve("got-int");
        ProvisionedKernel kernel = LocalProcessProvisioner.create(temp.resolve("rt")).launch(
                shell("trap 'touch " + marker + "; exit 0' INT; touch " + marker + ".ready; while :; do sleep 0.05; done", Map.of()),
                LaunchRequest.defaults());
        try {
            Await.until(TIMEOUT, "trap installed", () -> Files.exists(Path.of(marker + ".ready")));

            kernel.sendInterruptSignal();

            Await.until(TIMEOUT, "SIGINT handled", () -> Files.exists(marker));
        } finally {
            kernel.terminate(Duration.ofSeconds(1));
        }
    }
}
