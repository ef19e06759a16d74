package io.quire.kernel;

import io.quire.kernel.spi.KernelExit;
import io.quire.kernel.spi.KernelProvisioner;
import io.quire.kernel.spi.LaunchRequest;
import io.quire.kernel.spi.ProvisionedKernel;
import io.quire.testing.FakeKernel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A provisioner whose "kernel processes" are {@link FakeKernel}s in this JVM, so the real runner, launcher and
 * ZeroMQ client are driven end to end without Python. Connection info handed in by the launcher (a restart) is
 * honoured; otherwise the fake picks its own ports and key. Interrupts are meant to go over the control channel:
 * the spec written by {@link #registry(Path)} says {@code interrupt_mode: message}; interrupt signals sent by a
 * launcher are counted ({@link #signals()}). Tests can make launches fail ({@link #failNext}), hold them
 * ({@link #pause()}), and set the engine's health ({@link #health(EngineHealth)}); every request is recorded
 * ({@link #requests()}). Shared by the tests of every module (quire-kernel's test jar).
 *
 * <p>{@link #withDetachedKernels()} gives fakes a {@linkplain ProvisionedKernel#locator() locator}, as if they were
 * launched to outlive their server; any fake provisioner in this JVM can then {@link #reattach} them while they run.
 */
public final class FakeKernelProvisioner implements KernelProvisioner {
    /** The spec name of the fake kernel in {@link #registry(Path)}. */
    public static final String KERNEL_NAME = "fake";

    /** Fakes launched detached, by locator: what "outlives the server" means inside one JVM. */
    private static final Map<String, FakeProcess> DETACHED = new ConcurrentHashMap<>();

    private final Consumer<FakeKernel.Builder> configuration;
    private final boolean detached;
    private final List<FakeKernel> launched = new CopyOnWriteArrayList<>();
    private final AtomicInteger signals = new AtomicInteger();
    private final List<LaunchRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private volatile String failureMessage = "";
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    private final AtomicReference<EngineHealth> health = new AtomicReference<>(EngineHealth.healthy("fake engine"));

    private FakeKernelProvisioner(Consumer<FakeKernel.Builder> configuration, boolean detached) {
        this.configuration = configuration;
        this.detached = detached;
    }

    /** @return a provisioner of plain fakes */
    public static FakeKernelProvisioner create() {
        return new FakeKernelProvisioner(builder -> { }, false);
    }

    /** @return a provisioner with the same configuration whose fakes can be reattached (a fresh launch list) */
    public FakeKernelProvisioner withDetachedKernels() {
        return new FakeKernelProvisioner(configuration, true);
    }

    /**
     * @param configuration adjusts each fake before it starts (custom commands)
     * @return a provisioner of configured fakes
     */
    public static FakeKernelProvisioner configured(Consumer<FakeKernel.Builder> configuration) {
        return new FakeKernelProvisioner(configuration, false);
    }

    /**
     * Writes a kernel spec named {@value #KERNEL_NAME} (language python, interrupts by message) under a data dir.
     *
     * @param dataDir an empty directory
     * @return a registry that finds only that spec
     */
    public static KernelSpecRegistry registry(Path dataDir) {
        Path specDir = dataDir.resolve("kernels").resolve(KERNEL_NAME);
        try {
            Files.createDirectories(specDir);
            Files.writeString(specDir.resolve("kernel.json"), """
                    {"argv": ["fake-kernel", "-f", "{connection_file}"], "display_name": "Fake", "language": "python",
                     "interrupt_mode": "message"}
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return KernelSpecRegistry.of(List.of(dataDir));
    }

    /** @return every fake launched so far, in order */
    public List<FakeKernel> launched() {
        return List.copyOf(launched);
    }

    /** @return how many interrupt signals launchers sent to the fakes */
    public int signals() {
        return signals.get();
    }

    /** @return the fake launched last */
    public FakeKernel current() {
        return launched.getLast();
    }

    /** @return the one fake launched so far */
    public FakeKernel only() {
        if (launched.size() != 1) {
            throw new AssertionError("expected exactly one launched fake kernel but there are " + launched.size());
        }
        return launched.getFirst();
    }

    /** @return every launch request received, in order (including failed and held ones) */
    public List<LaunchRequest> requests() {
        return List.copyOf(requests);
    }

    /**
     * Makes the next launches fail, as an engine refusing to start a container would.
     *
     * @param count   how many launches fail
     * @param message the message of their {@link KernelLaunchException}
     */
    public void failNext(int count, String message) {
        failureMessage = message;
        failures.set(count);
    }

    /** Holds every launch from now on (before anything starts) until {@link #resume()}. */
    public synchronized void pause() {
        if (gate.isDone()) {
            gate = new CompletableFuture<>();
        }
    }

    /** Lets held launches and later ones go on. */
    public synchronized void resume() {
        gate.complete(null);
    }

    /** @return how many launches are being held by {@link #pause()} right now */
    public int held() {
        return held.get();
    }

    /**
     * @param value what {@link #health()} answers from now on
     */
    public void health(EngineHealth value) {
        health.set(value);
    }

    @Override
    public EngineHealth health() {
        return health.get();
    }

    @Override
    public ProvisionedKernel launch(KernelSpec spec, LaunchRequest request) {
        requests.add(request);
        CompletableFuture<Void> current = gate;
        if (!current.isDone()) {
            held.incrementAndGet();
            try {
                current.join();
            } finally {
                held.decrementAndGet();
            }
        }
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new KernelLaunchException(failureMessage);
        }
        FakeKernel.Builder builder = FakeKernel.builder();
        request.connectionInfo().ifPresent(info -> builder.key(info.key())
                .ports(info.shellPort(), info.iopubPort(), info.stdinPort(), info.controlPort(), info.hbPort()));
        configuration.accept(builder);
        FakeKernel fake = builder.start();
        launched.add(fake);
        Optional<String> locator = detached ? Optional.of("fake-kernel:" + UUID.randomUUID()) : Optional.empty();
        FakeProcess process = new FakeProcess(fake, ConnectionInfo.parse(fake.connectionFileJson())
                .withKernelName(spec.name()), locator);
        locator.ifPresent(key -> DETACHED.put(key, process));
        return process;
    }

    @Override
    public Optional<ProvisionedKernel> reattach(ConnectionInfo info, String locator) {
        if (!locator.startsWith("fake-kernel:")) {
            throw new IllegalArgumentException("not a fake kernel locator: " + locator);
        }
        FakeProcess process = DETACHED.get(locator);
        if (process == null || !process.isAlive()) {
            DETACHED.remove(locator);
            return Optional.empty();
        }
        return Optional.of(process);
    }

    /** The provisioner's view of one fake: alive until it stops; an exit is "requested" after terminate. */
    private final class FakeProcess implements ProvisionedKernel {
        private final FakeKernel fake;
        private final ConnectionInfo info;
        private final CompletableFuture<KernelExit> exit;
        private final Optional<String> locator;
        private volatile boolean terminateCalled;

        FakeProcess(FakeKernel fake, ConnectionInfo info, Optional<String> locator) {
            this.fake = fake;
            this.info = info;
            this.locator = locator;
            this.exit = fake.terminated().thenApply(ignored -> new KernelExit(OptionalInt.empty(),
                    terminateCalled || fake.shutdownRequest().isDone(), "fake kernel stopped"));
        }

        @Override
        public ConnectionInfo connectionInfo() {
            return info;
        }

        @Override
        public boolean isAlive() {
            return fake.isAlive();
        }

        @Override
        public CompletableFuture<KernelExit> exit() {
            return exit.copy();
        }

        @Override
        public void sendInterruptSignal() {
            signals.incrementAndGet();
        }

        @Override
        public void terminate(Duration grace) {
            terminateCalled = true;
            fake.close();
            exit.join();
            locator.ifPresent(DETACHED::remove);
        }

        @Override
        public Optional<String> locator() {
            return locator;
        }
    }
}
