package io.quire.kernel;

import io.quire.kernel.spi.KernelProvisioner;
import io.quire.kernel.spi.LaunchRequest;
import io.quire.testing.FakeKernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A kernel left running by one "process" (launcher) and taken over by another, with in-JVM fake kernels. */
class ReleaseAndReattachTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;

    private final FakeKernelProvisioner provisioner = FakeKernelProvisioner.create().withDetachedKernels();
    private final List<RunningKernel> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(RunningKernel::close);
        provisioner.launched().forEach(FakeKernel::close);
    }

    private KernelLauncher launcher(FakeKernelProvisioner using) {
        return KernelLauncher.create(using, FakeKernelProvisioner.registry(dataDir),
                KernelClientOptions.defaults().withRequestTimeout(TIMEOUT));
    }

    private RunningKernel start(FakeKernelProvisioner using) {
        RunningKernel kernel = launcher(using).start(FakeKernelProvisioner.KERNEL_NAME,
                LaunchRequest.defaults().withCwd(dataDir).withEnv(Map.of("JPY_SESSION_NAME", "a.ipynb")), TIMEOUT);
        started.add(kernel);
        return kernel;
    }

    private static int executionCount(RunningKernel kernel) {
        return kernel.execute(ExecuteRequest.of("print:x"), ExecutionListener.IGNORE).await(TIMEOUT).executionCount()
                .orElseThrow();
    }

    @Test
    void release_leavesTheKernelRunning_andAnotherLauncherTakesItOverWithItsState() {
        RunningKernel first = start(provisioner);
        assertThat(executionCount(first)).isEqualTo(1);

        ReleasedKernel released = first.release();
        first.shutdown(Duration.ofSeconds(1)); // a no-op after release

        assertThat(first.state()).isEqualTo(KernelState.SHUTDOWN);
        assertThat(provisioner.only().isAlive()).isTrue();
        assertThat(released.specName()).isEqualTo(FakeKernelProvisioner.KERNEL_NAME);
        assertThat(released.cwd()).contains(dataDir);
        assertThat(released.env()).containsEntry("JPY_SESSION_NAME", "a.ipynb");
        assertThat(released.info().implementation()).isEqualTo("fake");

        RunningKernel second = launcher(FakeKernelProvisioner.create()).reattach(released, TIMEOUT).orElseThrow();
        started.add(second);

        assertThat(second.state()).isEqualTo(KernelState.IDLE);
        assertThat(second.connectionInfo()).isEqualTo(released.connectionInfo());
        assertThat(executionCount(second)).as("the same kernel: its execution count goes on").isEqualTo(2);
        second.shutdown(Duration.ofSeconds(2));
        assertThat(provisioner.only().isAlive()).isFalse();
    }

    @Test
    void reattach_ofAKernelThatEnded_isEmpty() {
        ReleasedKernel released = start(provisioner).release();
        provisioner.only().close();

        assertThat(launcher(FakeKernelProvisioner.create()).reattach(released, TIMEOUT)).isEmpty();
    }

    @Test
    void release_ofAKernelNotLaunchedToOutliveThisProcess_failsAndLeavesItWorking() {
        FakeKernelProvisioner attached = FakeKernelProvisioner.create();
        RunningKernel kernel = start(attached);
        try {
            assertThatThrownBy(kernel::release).isInstanceOf(KernelException.class)
                    .hasMessageContaining("not launched to outlive this process");
            assertThat(executionCount(kernel)).isEqualTo(1);
        } finally {
            kernel.close();
            attached.launched().forEach(FakeKernel::close);
        }
    }

    @Test
    void reattach_whenTheSpecIsGone_stopsTheKernelAndSaysWhy() {
        ReleasedKernel released = start(provisioner).release();
        ReleasedKernel renamed = new ReleasedKernel("vanished", released.connectionInfo(), released.locator(),
                released.cwd(), released.env(), released.info());

        assertThatThrownBy(() -> launcher(FakeKernelProvisioner.create()).reattach(renamed, TIMEOUT))
                .isInstanceOf(KernelSpecException.class).hasMessageContaining("'vanished'", "was stopped");
        assertThat(provisioner.only().isAlive()).isFalse();
    }

    @Test
    void releasedKernel_roundTripsThroughJson() {
        ReleasedKernel released = start(provisioner).release();

        ReleasedKernel read = ReleasedKernel.fromJson(released.toJson());

        assertThat(read.specName()).isEqualTo(released.specName());
        assertThat(read.connectionInfo()).isEqualTo(released.connectionInfo());
        assertThat(read.locator()).isEqualTo(released.locator());
        assertThat(read.cwd()).isEqualTo(released.cwd());
        assertThat(read.env()).isEqualTo(released.env());
        assertThat(read.info().raw()).isEqualTo(released.info().raw());
    }

    @Test
    void releasedKernel_fromJson_namesTheBadField() {
        var json = start(provisioner).release().toJson();
        json.remove("locator");

        assertThatThrownBy(() -> ReleasedKernel.fromJson(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'locator'");
        assertThatThrownBy(() -> ReleasedKernel.fromJson(Json.object().put("spec", "x").put("connection", 3)))
                .hasMessageContaining("'connection' must be an object");
    }

    @Test
    void reattach_onAProvisionerThatCannot_isRefused() {
        ReleasedKernel released = start(provisioner).release();
        KernelProvisioner launchOnly = (spec, request) -> {
            throw new KernelLaunchException("not used");
        };
        KernelLauncher other = KernelLauncher.create(launchOnly, FakeKernelProvisioner.registry(dataDir),
                KernelClientOptions.defaults());

        assertThatThrownBy(() -> other.reattach(released, TIMEOUT)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("cannot reattach");
        assertThat(provisioner.only().isAlive()).isTrue();
    }
}
