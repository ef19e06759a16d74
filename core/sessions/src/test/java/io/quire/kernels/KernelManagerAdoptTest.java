package io.quire.kernels;

import io.quire.kernel.ExecuteRequest;
import io.quire.kernel.ExecutionListener;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.kernel.KernelClientOptions;
import io.quire.kernel.KernelLauncher;
import io.quire.kernel.RunningKernel;
import io.quire.kernel.spi.LaunchRequest;
import io.quire.testing.Await;
import io.quire.testing.FakeKernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link KernelManager#adopt}: kernels that were already running become managed under a given id. */
class KernelManagerAdoptTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;

    private final FakeKernelProvisioner provisioner = FakeKernelProvisioner.create();
    private KernelLauncher launcher;
    private KernelManager manager;

    @BeforeEach
    void setUp() {
        launcher = KernelLauncher.create(provisioner, FakeKernelProvisioner.registry(dataDir),
                KernelClientOptions.defaults().withRequestTimeout(TIMEOUT));
        manager = KernelManager.builder(launcher).startTimeout(TIMEOUT).shutdownGrace(Duration.ofSeconds(2))
                .defaultKernelName(FakeKernelProvisioner.KERNEL_NAME).build();
    }

    @AfterEach
    void tearDown() {
        manager.shutdownAll();
        provisioner.launched().forEach(FakeKernel::close);
    }

    private RunningKernel runningKernel() {
        return launcher.start(FakeKernelProvisioner.KERNEL_NAME, LaunchRequest.defaults(), TIMEOUT);
    }

    @Test
    void adopt_listsTheKernelUnderTheGivenId_andManagesItLikeAStartedOne() {
        RunningKernel kernel = runningKernel();

        ManagedKernelInfo adopted = manager.adopt("kernel-from-before", kernel);

        assertThat(adopted.id()).isEqualTo("kernel-from-before");
        assertThat(adopted.name()).isEqualTo(FakeKernelProvisioner.KERNEL_NAME);
        // adopting asks the kernel for its info, so it may be busy for that moment; it settles to idle
        io.quire.testing.Await.until(TIMEOUT, "the adopted kernel idle", () -> manager.get("kernel-from-before")
                .orElseThrow().executionState() == ExecutionState.IDLE);
        assertThat(manager.list()).extracting(ManagedKernelInfo::id).containsExactly("kernel-from-before");
        assertThat(manager.running("kernel-from-before")).isSameAs(kernel);
        kernel.execute(ExecuteRequest.of("print:x"), ExecutionListener.IGNORE).await(TIMEOUT);
        try (KernelConnection connection = manager.attach("kernel-from-before")) {
            assertThat(connection.kernelId()).isEqualTo("kernel-from-before");
            assertThat(manager.get("kernel-from-before").orElseThrow().connections()).isEqualTo(1);
        }

        manager.shutdown("kernel-from-before");

        assertThat(manager.list()).isEmpty();
        assertThat(provisioner.only().isAlive()).isFalse();
    }

    @Test
    void adopt_ofAKernelThatThenDies_showsItDead() {
        manager.adopt("k", runningKernel());

        provisioner.only().die();

        Await.until(TIMEOUT, "dead", () -> manager.get("k").orElseThrow().executionState() == ExecutionState.DEAD);
    }

    @Test
    void adopt_refusesAnIdInUseOrBlank() {
        String id = manager.start(FakeKernelProvisioner.KERNEL_NAME, Optional.empty()).id();
        RunningKernel other = runningKernel();
        try {
            assertThatThrownBy(() -> manager.adopt(id, other)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + id + "' is already managed");
            assertThatThrownBy(() -> manager.adopt(" ", other)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must not be blank");
        } finally {
            other.close();
        }
    }
}
