package io.quire.kernel.local;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quire.kernel.InterruptMode;
import io.quire.kernel.KernelSpec;
import io.quire.kernel.spi.KernelExit;
import io.quire.kernel.spi.LaunchRequest;
import io.quire.kernel.spi.ProvisionedKernel;
import io.quire.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Local kernels launched to outlive the JVM, and found again from their locator. */
class DetachedKernelTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    private final List<ProvisionedKernel> kernels = new ArrayList<>();

    @AfterEach
    void stop() {
        kernels.forEach(kernel -> kernel.terminate(Duration.ofSeconds(1)));
    }

    private KernelSpec shell(String script) {
        return new KernelSpec("sh", "Shell", "sh", List.of("/bin/sh", "-c", script, "sh", "{connection_file}"),
                Map.of(), InterruptMode.SIGNAL, JsonNodeFactory.instance.objectNode(), temp, Map.of());
    }

    private ProvisionedKernel launch(LocalProcessProvisioner provisioner, String script) {
        ProvisionedKernel kernel = provisioner.launch(shell(script), LaunchRequest.defaults()
                .withEnv(Map.of("JPY_PARENT_PID", "1234")));
        kernels.add(kernel);
        return kernel;
    }

    private static Path only(Path dir, String suffix) throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(suffix)).findFirst().orElseThrow();
        }
    }

    @Test
    void detachedLaunch_hasALocator_noParentPid_ownSession_andOutputInAPrivateLog() throws Exception {
        Path runtime = temp.resolve("runtime");
        ProvisionedKernel kernel = launch(LocalProcessProvisioner.create(runtime).detached(true),
                "echo \"parent=${JPY_PARENT_PID:-none}\"; echo oops >&2; exec sleep 300");

        assertThat(kernel.locator()).isPresent();
        LocalLocator locator = LocalLocator.parse(kernel.locator().get());
        Path log = only(runtime, ".log");
        assertThat(locator.logFile()).isEqualTo(log);
        assertThat(locator.connectionFile()).isEqualTo(only(runtime, ".json"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
        Await.until(TIMEOUT, "the output in the log", () -> readQuietly(log).contains("oops"));
        assertThat(readQuietly(log)).contains("parent=none");
        ProcessHandle process = ProcessHandle.of(locator.pid()).orElseThrow();
        Await.until(TIMEOUT, "the shell to exec sleep", () -> process.info().command().orElse("").endsWith("sleep"));
        if (Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"))) {
            // the kernel leads its own session: setsid(2) made its session id its own pid
            String stat = Files.readString(Path.of("/proc/" + locator.pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            assertThat(fields[3]).as("session id").isEqualTo(Long.toString(locator.pid()));
        }
    }

    @Test
    void attachedLaunch_hasNoLocator_andKeepsTheParentPidWatch() throws Exception {
        Path runtime = temp.resolve("runtime");
        ProvisionedKernel kernel = launch(LocalProcessProvisioner.create(runtime),
                "echo \"parent=$JPY_PARENT_PID\" > \"$1.env\"; exec sleep 300");

        assertThat(kernel.locator()).isEmpty();
        Path env = Path.of(only(runtime, ".json") + ".env");
        Await.until(TIMEOUT, "the env dump", () -> readQuietly(env).contains("parent="));
        assertThat(readQuietly(env).strip()).isEqualTo("parent=" + ProcessHandle.current().pid());
    }

    @Test
    void reattach_findsTheRunningKernel_whichCanBeTerminatedAndCleansUp() throws Exception {
        Path runtime = temp.resolve("runtime");
        ProvisionedKernel launched = launch(LocalProcessProvisioner.create(runtime).detached(true), "exec sleep 300");

        ProvisionedKernel found = LocalProcessProvisioner.create(temp.resolve("elsewhere"))
                .reattach(launched.connectionInfo(), launched.locator().orElseThrow()).orElseThrow();

        assertThat(found.isAlive()).isTrue();
        assertThat(found.connectionInfo()).isEqualTo(launched.connectionInfo());
        assertThat(found.locator()).isEqualTo(launched.locator());
        found.terminate(Duration.ofSeconds(2));
        assertThat(launched.isAlive()).isFalse();
        KernelExit exit = found.exit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(exit.requested()).isTrue();
        try (var files = Files.list(runtime)) {
            assertThat(files).as("connection file and log removed").isEmpty();
        }
    }

    @Test
    void reattach_reportsAnUnexpectedExitWithTheLogTail() throws Exception {
        ProvisionedKernel launched = launch(LocalProcessProvisioner.create(temp.resolve("rt")).detached(true),
                "echo 'last words'; exec sleep 300");
        ProvisionedKernel found = LocalProcessProvisioner.create()
                .reattach(launched.connectionInfo(), launched.locator().orElseThrow()).orElseThrow();
        Await.until(TIMEOUT, "output", () -> readQuietly(LocalLocator.parse(launched.locator().get()).logFile())
                .contains("last words"));

        ProcessHandle.of(LocalLocator.parse(launched.locator().get()).pid()).orElseThrow().destroyForcibly();

        KernelExit exit = found.exit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(exit.requested()).isFalse();
        assertThat(exit.reason()).contains("exited", "last words");
    }

    @Test
    void reattach_ofAnEndedProcess_orOfAReusedPid_isEmpty() throws Exception {
        LocalProcessProvisioner provisioner = LocalProcessProvisioner.create(temp.resolve("rt")).detached(true);
        ProvisionedKernel ended = launch(provisioner, "exit 0");
        ended.exit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(provisioner.reattach(ended.connectionInfo(), ended.locator().orElseThrow())).isEmpty();

        ProvisionedKernel running = launch(provisioner, "exec sleep 300");
        LocalLocator real = LocalLocator.parse(running.locator().orElseThrow());
        LocalLocator otherStart = new LocalLocator(real.pid(), Optional.of(Instant.parse("2001-01-01T00:00:00Z")),
                real.connectionFile(), real.logFile());
        assertThat(provisioner.reattach(running.connectionInfo(), otherStart.format()))
                .as("same pid, another start time: not our kernel").isEmpty();
        assertThat(running.isAlive()).isTrue();
    }

    @Test
    void reattach_refusesALocatorItDidNotWrite() {
        assertThatThrownBy(() -> LocalProcessProvisioner.create().reattach(null, "fake-kernel:1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a local-process kernel locator");
        assertThatThrownBy(() -> LocalProcessProvisioner.create().reattach(null, "{\"kind\":\"local-process\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a local-process kernel locator");
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
