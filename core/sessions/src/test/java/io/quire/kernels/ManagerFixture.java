package io.quire.kernels;

import io.quire.kernel.FakeKernelProvisioner;
import io.quire.kernel.KernelClientOptions;
import io.quire.kernel.KernelLauncher;
import io.quire.kernel.KernelOwner;
import io.quire.testing.FakeKernel;
import io.quire.testing.MutableClock;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A kernel manager over {@link FakeKernelProvisioner} with a {@link MutableClock}, for the tests of pools, quotas and
 * culling; {@link #close()} shuts everything down.
 */
final class ManagerFixture implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final String SPEC = FakeKernelProvisioner.KERNEL_NAME;
    static final KernelOwner ADA = new KernelOwner("ada", "acme");
    static final KernelOwner BOB = new KernelOwner("bob", "acme");
    static final KernelOwner CAROL = new KernelOwner("carol", "acme");
    static final KernelOwner EVE = new KernelOwner("eve", "umbrella");

    final MutableClock clock = new MutableClock(T0);
    final FakeKernelProvisioner provisioner = FakeKernelProvisioner.create();
    private final Path dataDir;
    private KernelManager manager;

    ManagerFixture(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Builds the manager with test defaults, then the given settings. */
    KernelManager manager(Consumer<KernelManager.Builder> settings) {
        KernelLauncher launcher = KernelLauncher.create(provisioner, FakeKernelProvisioner.registry(dataDir),
                KernelClientOptions.defaults().withRequestTimeout(TIMEOUT));
        KernelManager.Builder builder = KernelManager.builder(launcher).clock(clock).startTimeout(TIMEOUT)
                .shutdownGrace(Duration.ofSeconds(2)).defaultKernelName(SPEC);
        settings.accept(builder);
        manager = builder.build();
        return manager;
    }

    static KernelRequest request(KernelOwner owner) {
        return KernelRequest.of(SPEC).withOwner(owner);
    }

    /** Runs a start on a virtual thread (for starts that wait). */
    static <T> CompletableFuture<T> async(Supplier<T> start) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(start.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** @return the fake behind a managed kernel (by its shell port) */
    FakeKernel fakeOf(String kernelId) {
        int port = manager.running(kernelId).connectionInfo().shellPort();
        return provisioner.launched().stream().filter(f -> f.shellPort() == port).findFirst()
                .orElseThrow(() -> new AssertionError("no fake listens on shell port " + port));
    }

    List<Integer> shellPorts() {
        return provisioner.launched().stream().map(FakeKernel::shellPort).toList();
    }

    @Override
    public void close() {
        provisioner.resume();
        if (manager != null) {
            manager.shutdownAll();
        }
        provisioner.launched().forEach(FakeKernel::close);
    }
}
