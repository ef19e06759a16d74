package io.quire.kernels;

import io.quire.kernel.EngineHealth;
import io.quire.kernel.KernelLauncher;
import io.quire.kernel.Registration;
import io.quire.kernel.RunningKernel;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
 * <p>Beyond Jupyter Server's manager, and all optional (see {@link Builder}):
 * <ul>
 *   <li><b>owners and sizes</b>: a {@link KernelRequest} names who a kernel is for and its hardware size;</li>
 *   <li><b>warm pools</b> ({@link PoolConfig}) of ready kernels per spec and size, handed out at once to matching
 *       starts, refilled in the background, never shared or taken back ({@link #poolStatus()});</li>
 *   <li><b>quotas</b>: kernels per user and per organisation (a start beyond them throws
 *       {@link KernelQuotaExceededException} before anything is launched), and concurrent launches (starts beyond
 *       the limit wait in {@link KernelPhase#WAITING_FOR_CAPACITY});</li>
 *   <li><b>culling</b> of idle kernels ({@link CullingPolicy}) with a notice to {@link KernelEvents} listeners;</li>
 *   <li><b>one retry</b> of a failed launch, and the engine's health ({@link #health()}).</li>
 * </ul>
 *
 * <p>Methods taking an id throw {@link KernelNotFoundException} for ids that are unknown (never started,
 * shut down, culled, or whose start failed); {@link #get(String)} returns empty instead.
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
     * Starts a kernel for nobody with the default size and waits until it is ready; as
     * {@link #start(KernelRequest)}.
     *
     * @param specName the kernel spec name
     * @param cwd      the kernel's working directory, or empty for the provisioner's default
     * @return the model of the ready kernel
     * @throws io.quire.kernel.KernelSpecException   when there is no such spec (nothing is registered)
     * @throws io.quire.kernel.KernelLaunchException when the kernel cannot start or is not ready in time
     *                                               (it is then not registered any more)
     */
    default ManagedKernelInfo start(String specName, Optional<Path> cwd) {
        return start(KernelRequest.of(specName).withCwd(cwd));
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
    default ManagedKernelInfo start(String specName, Optional<Path> cwd, Map<String, String> env) {
        return start(KernelRequest.of(specName).withCwd(cwd).withEnv(env));
    }

    /**
     * Starts a kernel and waits until it is ready.
     *
     * <p>First the owner's quotas are checked, counting every listed kernel of the user and of the organisation
     * (waiting, starting, running or dead). Then, when a warm pool serves the request, a pooled kernel is handed
     * over at once: no launch, and the kernel belongs to the owner from then on. Otherwise the kernel is listed
     * with state {@link ExecutionState#STARTING} in phase {@link KernelPhase#WAITING_FOR_CAPACITY} until a launch
     * slot is free, then {@link KernelPhase#STARTING} while it launches on its own virtual thread (no lock is held
     * meanwhile). A failed launch is retried once on a fresh launch.
     *
     * @param request spec, working directory, environment, owner and size
     * @return the model of the ready kernel
     * @throws io.quire.kernel.KernelSpecException   when there is no such spec (nothing is registered)
     * @throws KernelQuotaExceededException          when the owner's user or organisation has as many kernels as
     *                                               allowed (nothing is registered or launched)
     * @throws io.quire.kernel.KernelLaunchException when the kernel cannot start twice in a row (the message
     *                                               carries the engine's error), is not ready in time, was shut
     *                                               down while starting, or the manager is shut down; it is then
     *                                               not registered any more
     */
    ManagedKernelInfo start(KernelRequest request);

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

    /**
     * @return the models of all kernels (waiting, starting, running or dead), in the order they were started;
     *         idle pooled kernels are not listed (see {@link #poolStatus()})
     */
    List<ManagedKernelInfo> list();

    /** @return a snapshot of each warm pool, in configuration order; empty without pools */
    List<PoolStatus> poolStatus();

    /**
     * Whether the engine can launch kernels now (the provisioner's health check, e.g. a Docker ping), for a
     * server's readiness check. Never throws.
     *
     * @return the engine's health
     */
    EngineHealth health();

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
     * down once its start finished; one waiting for capacity is never launched (its start fails). A kernel from a
     * warm pool is destroyed like any other, never returned to the pool.
     *
     * @param id a kernel id
     * @throws KernelNotFoundException for an unknown id
     */
    void shutdown(String id);

    /**
     * Shuts down every kernel and every pooled kernel, in parallel, and waits for all (pool launches in flight
     * included). Final: pools are not refilled, culling stops, and later starts fail with
     * {@link io.quire.kernel.KernelLaunchException}.
     */
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

    /**
     * Registers a listener of culling (see {@link KernelEvents}).
     *
     * @param listener the listener
     * @return removes it
     */
    Registration addListener(KernelEvents listener);

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
        private final List<PoolConfig> pools = new ArrayList<>();
        private int maxPerUser = Integer.MAX_VALUE;
        private int maxPerOrganisation = Integer.MAX_VALUE;
        private int maxConcurrentStarts = Integer.MAX_VALUE;
        private Optional<CullingPolicy> culling = Optional.empty();
        private Optional<Path> workingDirectory = Optional.empty();

        private Builder(KernelLauncher launcher) {
            this.launcher = Objects.requireNonNull(launcher, "launcher");
        }

        /**
         * @param value the time of {@code last_activity} and of culling decisions
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

        /**
         * @param values warm pools to keep, each for a different spec and size (default: none); they start filling
         *               when the manager is built
         * @return this builder
         */
        public Builder pools(List<PoolConfig> values) {
            this.pools.clear();
            this.pools.addAll(List.copyOf(values));
            return this;
        }

        /**
         * @param value the most kernels one user may have at once, counting those waiting and starting (default:
         *              no limit)
         * @return this builder
         */
        public Builder maxKernelsPerUser(int value) {
            this.maxPerUser = atLeastOne("maxKernelsPerUser", value);
            return this;
        }

        /**
         * @param value the most kernels the users of one organisation may have at once, counting those waiting
         *              and starting (default: no limit)
         * @return this builder
         */
        public Builder maxKernelsPerOrganisation(int value) {
            this.maxPerOrganisation = atLeastOne("maxKernelsPerOrganisation", value);
            return this;
        }

        /**
         * @param value the most kernel launches running at once, user starts and pool refills together (default:
         *              no limit); further starts wait for a slot, user starts before pool refills
         * @return this builder
         */
        public Builder maxConcurrentStarts(int value) {
            this.maxConcurrentStarts = atLeastOne("maxConcurrentStarts", value);
            return this;
        }

        /**
         * @param dir where a kernel started without a working directory runs, warm-pool kernels included (default:
         *            the provisioner's choice; this process's directory for local kernels). A server passes its
         *            contents root, as Jupyter Server starts such kernels in its root directory.
         * @return this builder
         */
        public Builder workingDirectory(Path dir) {
            this.workingDirectory = Optional.of(Objects.requireNonNull(dir, "dir"));
            return this;
        }

        /**
         * @param policy when to cull idle kernels (default: never)
         * @return this builder
         */
        public Builder culling(CullingPolicy policy) {
            this.culling = Optional.of(Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * Builds the manager; its pools start filling in the background.
         *
         * @return the manager
         * @throws io.quire.kernel.KernelSpecException when a pool names an unknown kernel spec
         * @throws IllegalArgumentException            when two pools have the same spec and size
         */
        public KernelManager build() {
            return new KernelManagerImpl(new KernelManagerImpl.Settings(launcher::start, launcher::spec,
                    launcher::health, clock, ids, startTimeout, shutdownGrace, startExecutor, defaultKernelName,
                    List.copyOf(pools), maxPerUser, maxPerOrganisation, maxConcurrentStarts, culling,
                    workingDirectory));
        }

        private static int atLeastOne(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1 but was " + value);
            }
            return value;
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
