package io.quire.kernels;

import io.quire.kernel.KernelLauncher;
import io.quire.kernel.RunningKernel;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Runs many kernels, each known by a UUID, and reports them with Jupyter Server's kernel model
 * ({@link ManagedKernelInfo}). Thread-safe; every method may be called from any thread, including virtual
 * threads. Where kernels run (local processes, Docker, Kubernetes) is decided by the provisioner inside the
 * {@link KernelLauncher} given at construction.
 *
 * <p>Methods taking an id throw {@link KernelNotFoundException} for ids that are unknown (never started,
 * shut down, or whose start failed); {@link #get(String)} returns empty instead.
 */
public interface KernelManager {

    /**
     * A manager with default settings (60 s start and restart timeout, 5 s shutdown grace, random UUIDs,
     * default kernel {@code python3}).
     *
     * @param launcher starts kernels with the configured provisioner
     * @param clock    the time of {@code last_activity}
     * @return the manager
     */
    static KernelManager create(KernelLauncher launcher, Clock clock) {
        return builder(launcher).clock(clock).build();
    }

    /**
     * @param launcher starts kernels with the configured provisioner
     * @return a builder of a manager
     */
    static Builder builder(KernelLauncher launcher) {
        return new Builder(launcher);
    }

    /** @return the spec name used when a caller does not name one (Jupyter's {@code default_kernel_name}) */
    String defaultKernelName();

    /**
     * Starts a kernel and waits until it is ready. While it starts, it is listed with state
     * {@link ExecutionState#STARTING}. The launch runs on its own virtual thread; no lock is held meanwhile.
     *
     * @param specName the kernel spec name
     * @param cwd      the kernel's working directory, or empty for the provisioner's default
     * @return the model of the ready kernel
     * @throws io.quire.kernel.KernelSpecException   when there is no such spec (nothing is registered)
     * @throws io.quire.kernel.KernelLaunchException when the kernel cannot start or is not ready in time
     *                                               (it is then not registered any more)
     */
    default ManagedKernelInfo start(String specName, Optional<Path> cwd) {
        return start(specName, cwd, Map.of());
    }

    /**
     * As {@link #start(String, Optional)}, with extra environment variables for the kernel (e.g.
     * {@code JPY_SESSION_NAME}).
     *
     * @param specName the kernel spec name
     * @param cwd      the kernel's working directory, or empty for the provisioner's default
     * @param env      extra environment variables
     * @return the model of the ready kernel
     * @throws io.quire.kernel.KernelSpecException   when there is no such spec
     * @throws io.quire.kernel.KernelLaunchException when the kernel cannot start or is not ready in time
     */
    ManagedKernelInfo start(String specName, Optional<Path> cwd, Map<String, String> env);

    /**
     * Manages a kernel that is already running under a given id, e.g. one a previous server process left running and
     * {@link io.quire.kernel.KernelLauncher#reattach reattached}: it is listed, watched and shut down like a kernel
     * this manager started. Its state starts as {@link ExecutionState#BUSY} when the kernel is busy, else
     * {@link ExecutionState#IDLE}.
     *
     * @param id     the id to manage it under (its id in the previous process)
     * @param kernel the running kernel
     * @return its model
     * @throws IllegalArgumentException when the id is blank or already in use
     */
    ManagedKernelInfo adopt(String id, RunningKernel kernel);

    /** @return the models of all kernels (starting, running or dead), in the order they were started */
    List<ManagedKernelInfo> list();

    /**
     * @param id a kernel id
     * @return its model, or empty when there is no such kernel
     */
    Optional<ManagedKernelInfo> get(String id);

    /**
     * The running kernel behind an id, for a channel bridge that talks to it directly
     * ({@link RunningKernel#client()}). Waits while the kernel is still starting. After a restart the client
     * is usually the same object; fetch it again after a restart to be safe.
     *
     * @param id a kernel id
     * @return the running kernel (possibly dead: check {@link #get(String)})
     * @throws KernelNotFoundException               for an unknown id
     * @throws io.quire.kernel.KernelLaunchException when its start fails while waiting
     */
    RunningKernel running(String id);

    /**
     * Interrupts the kernel's current execution (signal or {@code interrupt_request}, per its spec).
     *
     * @param id a kernel id
     * @throws KernelNotFoundException               for an unknown id
     * @throws io.quire.kernel.KernelDiedException  when the kernel is dead
     */
    void interrupt(String id);

    /**
     * Restarts the kernel and waits until it is ready again; it is {@link ExecutionState#RESTARTING}
     * meanwhile. Also revives a dead kernel. A failed restart leaves it {@link ExecutionState#DEAD} with the
     * failure as reason.
     *
     * @param id a kernel id
     * @return the model after the restart
     * @throws KernelNotFoundException               for an unknown id
     * @throws io.quire.kernel.KernelLaunchException when the restarted kernel does not become ready
     */
    ManagedKernelInfo restart(String id);

    /**
     * Shuts the kernel down and forgets it (the id is unknown afterwards). A kernel still starting is shut
     * down once its start finished.
     *
     * @param id a kernel id
     * @throws KernelNotFoundException for an unknown id
     */
    void shutdown(String id);

    /** Shuts down every kernel, in parallel, and waits for all. */
    void shutdownAll();

    /**
     * Counts one more connection to the kernel until the returned handle is closed (Jupyter's
     * {@code notify_connect}/{@code notify_disconnect}).
     *
     * @param id a kernel id
     * @return the connection handle
     * @throws KernelNotFoundException for an unknown id
     */
    KernelConnection attach(String id);

    /** Settings of a {@link KernelManager}; every setting has a default. */
    final class Builder {
        private final KernelLauncher launcher;
        private Clock clock = Clock.systemUTC();
        private Supplier<String> ids = () -> UUID.randomUUID().toString();
        private Duration startTimeout = Duration.ofSeconds(60);
        private Duration shutdownGrace = Duration.ofSeconds(5);
        private Executor startExecutor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("quire-kernel-start-", 0).factory());
        private String defaultKernelName = "python3";

        private Builder(KernelLauncher launcher) {
            this.launcher = Objects.requireNonNull(launcher, "launcher");
        }

        /**
         * @param value the time of {@code last_activity}
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * @param value makes kernel ids; must return unique non-blank strings
         * @return this builder
         */
        public Builder ids(Supplier<String> value) {
            this.ids = Objects.requireNonNull(value, "ids");
            return this;
        }

        /**
         * @param value how long a start or restart may take until the kernel is ready
         * @return this builder
         */
        public Builder startTimeout(Duration value) {
            this.startTimeout = positive("startTimeout", value);
            return this;
        }

        /**
         * @param value how long a kernel may take to exit after {@code shutdown_request} before it is killed
         * @return this builder
         */
        public Builder shutdownGrace(Duration value) {
            this.shutdownGrace = positive("shutdownGrace", value);
            return this;
        }

        /**
         * @param value runs kernel launches; the default starts a virtual thread per launch
         * @return this builder
         */
        public Builder startExecutor(Executor value) {
            this.startExecutor = Objects.requireNonNull(value, "startExecutor");
            return this;
        }

        /**
         * @param value the spec name used when a caller does not name one
         * @return this builder
         */
        public Builder defaultKernelName(String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("defaultKernelName must not be blank but was '" + value + "'");
            }
            this.defaultKernelName = value;
            return this;
        }

        /** @return the manager */
        public KernelManager build() {
            return new KernelManagerImpl(launcher::start, launcher::spec, clock, ids, startTimeout, shutdownGrace,
                    startExecutor, defaultKernelName);
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive but was " + value);
            }
            return value;
        }
    }
}
