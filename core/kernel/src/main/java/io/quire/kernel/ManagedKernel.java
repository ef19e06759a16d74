package io.quire.kernel;

import io.quire.kernel.spi.KernelExit;
import io.quire.kernel.spi.KernelProvisioner;
import io.quire.kernel.spi.LaunchRequest;
import io.quire.kernel.spi.ProvisionedKernel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/*
 * A provisioned kernel plus its client.
 *
 * Lifecycle changes (start, restart, shutdown) are serialised by a lock; state reads are lock-free. The
 * exit future of the current process is watched: an exit nobody asked for marks the client dead (every
 * request in flight fails with KernelDiedException at once, later ones fail immediately) and notifies
 * death listeners. Exits of a replaced process (restart) are ignored by comparing the process handle.
 *
 * Restart follows Jupyter Server: shutdown_request(restart=true), wait a little, kill the tree, launch
 * again with the same connection info so the existing client (whose ZeroMQ sockets reconnect by
 * themselves) keeps working. If the old ports were taken meanwhile, it falls back to fresh ports and a
 * fresh client.
 *
 * A JVM shutdown hook terminates kernels still running, whatever the provisioner, except those launched to
 * outlive this process (their ProvisionedKernel has a locator).
 *
 * Release and reattachment: release() lets go of a kernel without stopping it (client closed, exit no longer
 * watched, state SHUTDOWN so a later shutdown() is a no-op) and returns what reattach() needs in another process.
 * reattach() asks the provisioner to find the kernel, connects a new client and probes it with kernel_info; a
 * kernel that does not answer in time but is still alive is taken over as BUSY (it is probably running a long
 * cell: ipykernel answers shell requests only between cells), keeping the kernel info it had at release.
 */
final class ManagedKernel implements RunningKernel {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedKernel.class);
    private static final int LAUNCH_ATTEMPTS = 3;
    private static final Duration RESTART_GRACE = Duration.ofSeconds(5);
    /** How long a started kernel's stdin socket may take to connect before the kernel is declared ready anyway. */
    private static final Duration STDIN_WAIT = Duration.ofSeconds(5);
    /** How long a reattached kernel may take to answer kernel_info before it is taken over as busy. */
    private static final Duration REATTACH_PROBE = Duration.ofSeconds(3);
    private static final Set<ManagedKernel> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicReference<Thread> HOOK = new AtomicReference<>();

    private final KernelProvisioner provisioner;
    private final KernelSpec spec;
    private final LaunchRequest request;
    private final KernelClientOptions options;
    private final Object lifecycle = new Object();
    private final AtomicReference<KernelState> state = new AtomicReference<>(KernelState.STARTING);
    private final List<Consumer<KernelExit>> deathListeners = new CopyOnWriteArrayList<>();
    private volatile ProvisionedKernel process;
    /** The process whose unexpected exit counts; cleared while an old process is being replaced. */
    private volatile ProvisionedKernel watched;
    private volatile ZmqKernelClient client;
    private volatile KernelInfo info;
    private volatile KernelExit death;
    private volatile Registration statusWatch;
    /** Set by {@link #kill()}: a restart that was under way when the kernel was killed must not bring it back. */
    private volatile boolean killed;

    private ManagedKernel(KernelProvisioner provisioner, KernelSpec spec, LaunchRequest request,
                          KernelClientOptions options) {
        this.provisioner = provisioner;
        this.spec = spec;
        this.request = request;
        this.options = options;
    }

    static ManagedKernel start(KernelProvisioner provisioner, KernelSpec spec, LaunchRequest request,
                               KernelClientOptions options, Duration timeout) {
        ManagedKernel kernel = new ManagedKernel(provisioner, spec, request, options);
        synchronized (kernel.lifecycle) {
            kernel.launch(request, timeout);
            kernel.state.set(KernelState.IDLE);
        }
        kernel.track();
        return kernel;
    }

    /**
     * Takes over a kernel released by another process.
     *
     * @return the kernel, or empty when it is gone
     */
    static Optional<ManagedKernel> reattach(KernelProvisioner provisioner, KernelSpec spec, ReleasedKernel released,
                                            KernelClientOptions options, Duration timeout) {
        Optional<ProvisionedKernel> found = provisioner.reattach(released.connectionInfo(), released.locator());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ManagedKernel kernel = new ManagedKernel(provisioner, spec,
                new LaunchRequest(released.cwd(), released.env(), Optional.empty()), options);
        synchronized (kernel.lifecycle) {
            if (!kernel.adopt(found.get(), released.info(), timeout)) {
                return Optional.empty();
            }
        }
        kernel.track();
        return Optional.of(kernel);
    }

    /** Connects to an adopted kernel and probes it; false when it turned out to be gone. */
    private boolean adopt(ProvisionedKernel adopted, KernelInfo lastInfo, Duration timeout) {
        process = adopted;
        watched = adopted;
        info = lastInfo;
        ZmqKernelClient current = ZmqKernelClient.connect(adopted.connectionInfo(), options);
        client = current;
        statusWatch = current.onAnyMessageDirect(this::trackStatus);
        adopted.exit().thenAccept(exit -> onExit(adopted, exit));
        Duration probe = timeout.compareTo(REATTACH_PROBE) < 0 ? timeout : REATTACH_PROBE;
        try {
            info = current.kernelInfo(probe);
            state.set(KernelState.IDLE);
            return true;
        } catch (KernelTimeoutException e) {
            if (adopted.isAlive()) {
                LOG.info("reattached kernel {} did not answer kernel_info within {}; it is probably running code, "
                        + "taking it over as busy", spec.name(), probe);
                state.set(KernelState.BUSY);
                return true;
            }
        } catch (KernelException e) {
            LOG.debug("reattached kernel {} is not usable: {}", spec.name(), e.getMessage());
        }
        watched = null;
        current.close();
        return false;
    }

    /** Registers this kernel with the JVM exit hook, unless it is meant to outlive this process. */
    private void track() {
        if (process.locator().isEmpty()) {
            LIVE.add(this);
            installHook();
        }
    }

    /** Launches a process and waits until it is ready; retries with fresh ports on a port clash. */
    private void launch(LaunchRequest launchRequest, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        KernelException last = null;
        for (int attempt = 1; attempt <= LAUNCH_ATTEMPTS; attempt++) {
            LaunchRequest effective = attempt == 1 ? launchRequest : launchRequest.withFreshConnection();
            ProvisionedKernel launched = provisioner.launch(spec, effective);
            process = launched;
            watched = launched;
            ZmqKernelClient current = client;
            if (current == null || !current.connectionInfo().equals(launched.connectionInfo())) {
                if (current != null) {
                    current.close();
                }
                current = ZmqKernelClient.connect(launched.connectionInfo(), options);
                client = current;
                Registration previousWatch = statusWatch;
                if (previousWatch != null) {
                    previousWatch.close();
                }
                statusWatch = current.onAnyMessageDirect(this::trackStatus);
            } else {
                current.revive();
            }
            launched.exit().thenAccept(exit -> onExit(launched, exit));
            try {
                Duration remaining = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
                info = current.kernelInfo(remaining);
                // ready only once input() can reach us: the kernel answers on shell before our stdin socket may
                // have finished connecting (ZeroMQ connects in the background)
                Duration stdinWait = Duration.ofNanos(Math.max(1, Math.min(deadline - System.nanoTime(),
                        STDIN_WAIT.toNanos())));
                if (!current.awaitStdin(stdinWait)) {
                    LOG.warn("kernel {}: its stdin socket did not connect within {}; input() may not reach this client",
                            spec.name(), stdinWait);
                }
                return;
            } catch (KernelException e) {
                last = e;
                launched.terminate(Duration.ofSeconds(2));
                KernelExit exit = launched.exit().getNow(new KernelExit(java.util.OptionalInt.empty(), true, ""));
                boolean clash = exit.reason().contains("Address already in use") || exit.reason().contains("EADDRINUSE");
                if (!clash || System.nanoTime() - deadline >= 0) {
                    break;
                }
                LOG.info("kernel {} could not bind its ports (attempt {}); retrying with fresh ports", spec.name(), attempt);
            }
        }
        ZmqKernelClient failed = client;
        if (failed != null) {
            failed.close();
        }
        KernelExit exit = process == null ? null : process.exit().getNow(null);
        throw new KernelLaunchException("kernel '" + spec.name() + "' did not become ready: " + last.getMessage()
                + (exit == null ? "" : " (" + exit.reason() + ")"), last);
    }

    /**
     * Follows the kernel's busy and idle status. Called on the client's receiving thread for every message: it only
     * reads two fields and swaps a reference, where a queued listener would start a thread per IOPub message.
     */
    private void trackStatus(Channel channel, RawMessage message) {
        if (channel != Channel.IOPUB || !message.msgType().equals("status")) {
            return;
        }
        KernelState next = switch (message.content().path("execution_state").asText("")) {
            case "busy" -> KernelState.BUSY;
            case "idle", "starting" -> KernelState.IDLE;
            default -> null;
        };
        if (next != null) {
            state.getAndUpdate(current -> current == KernelState.IDLE || current == KernelState.BUSY ? next : current);
        }
    }

    private void onExit(ProvisionedKernel which, KernelExit exit) {
        if (which != watched || exit.requested()) {
            return;
        }
        KernelState previous = state.getAndUpdate(current ->
                current == KernelState.IDLE || current == KernelState.BUSY ? KernelState.DEAD : current);
        if (previous == KernelState.SHUTDOWN) {
            return;
        }
        ZmqKernelClient current = client;
        if (current != null) {
            current.markDead(exit.reason()); // also makes a pending readiness wait fail fast
        }
        if (previous != KernelState.IDLE && previous != KernelState.BUSY) {
            return;
        }
        death = exit;
        LIVE.remove(this);
        for (Consumer<KernelExit> listener : deathListeners) {
            options.callbackExecutor().execute(() -> listener.accept(exit));
        }
    }

    @Override
    public KernelSpec spec() {
        return spec;
    }

    @Override
    public KernelClient client() {
        return client;
    }

    @Override
    public ConnectionInfo connectionInfo() {
        return process.connectionInfo();
    }

    @Override
    public KernelInfo info() {
        return info;
    }

    @Override
    public KernelState state() {
        return state.get();
    }

    @Override
    public PendingExecution execute(ExecuteRequest executeRequest, ExecutionListener listener) {
        return client.execute(executeRequest, listener);
    }

    @Override
    public void interrupt() {
        KernelState current = state.get();
        if (current == KernelState.DEAD || current == KernelState.SHUTDOWN) {
            throw new KernelDiedException("cannot interrupt kernel '" + spec.name() + "': it is " + current);
        }
        switch (spec.interruptMode()) {
            case SIGNAL -> process.sendInterruptSignal();
            case MESSAGE -> client.interruptRequest();
        }
    }

    @Override
    public void restart(Duration timeout) {
        synchronized (lifecycle) {
            KernelState previous = state.get();
            if (previous == KernelState.SHUTDOWN) {
                throw new KernelException("kernel '" + spec.name() + "' was shut down and cannot be restarted");
            }
            state.set(KernelState.RESTARTING);
            ProvisionedKernel old = process;
            watched = null;
            ZmqKernelClient current = client;
            current.failAll(new KernelDiedException("kernel '" + spec.name() + "' is being restarted"));
            if (old.isAlive()) {
                try {
                    current.shutdownAsync(true);
                } catch (KernelException e) {
                    LOG.debug("shutdown_request before restart not sent: {}", e.getMessage());
                }
                awaitExit(old, RESTART_GRACE);
            }
            old.terminate(Duration.ofSeconds(2));
            try {
                launch(request.withConnectionInfo(old.connectionInfo()), timeout);
            } catch (KernelException e) {
                state.set(KernelState.DEAD);
                LIVE.remove(this);
                throw e;
            }
            if (killed) {
                process.terminate(Duration.ofMillis(200));
                client.close();
                throw new KernelException("kernel '" + spec.name() + "' was killed while restarting");
            }
            death = null;
            state.set(KernelState.IDLE);
            track();
        }
    }

    @Override
    public ReleasedKernel release() {
        synchronized (lifecycle) {
            ProvisionedKernel current = process;
            Optional<String> locator = current.locator();
            if (locator.isEmpty()) {
                throw new KernelException("kernel '" + spec.name() + "' was not launched to outlive this process "
                        + "(its provisioner cannot reattach kernels)");
            }
            KernelState now = state.get();
            if (now == KernelState.SHUTDOWN || now == KernelState.DEAD || !current.isAlive()) {
                throw new KernelException("kernel '" + spec.name() + "' is not running (" + now + ")");
            }
            watched = null;
            state.set(KernelState.SHUTDOWN);
            Registration watch = statusWatch;
            if (watch != null) {
                watch.close();
            }
            client.close();
            LIVE.remove(this);
            return new ReleasedKernel(spec.name(), current.connectionInfo(), locator.get(), request.cwd(),
                    request.env(), info);
        }
    }

    @Override
    public void shutdown(Duration grace) {
        synchronized (lifecycle) {
            if (state.getAndSet(KernelState.SHUTDOWN) == KernelState.SHUTDOWN) {
                return;
            }
            ProvisionedKernel current = process;
            ZmqKernelClient currentClient = client;
            watched = null;
            try {
                if (current.isAlive()) {
                    try {
                        currentClient.shutdownAsync(false);
                    } catch (KernelException e) {
                        LOG.debug("shutdown_request not sent: {}", e.getMessage());
                    }
                    awaitExit(current, grace);
                }
                current.terminate(Duration.ofSeconds(2));
            } finally {
                currentClient.close();
                LIVE.remove(this);
            }
        }
    }

    @Override
    public void kill() {
        // deliberately outside the lifecycle lock: whoever holds it may be the one stuck
        killed = true;
        state.set(KernelState.SHUTDOWN);
        watched = null;
        try {
            process.terminate(Duration.ofMillis(200));
        } finally {
            client.close();
            LIVE.remove(this);
        }
    }

    @Override
    public Registration onDeath(Consumer<KernelExit> listener) {
        deathListeners.add(listener);
        KernelExit exit = death;
        if (exit != null && state.get() == KernelState.DEAD) {
            options.callbackExecutor().execute(() -> listener.accept(exit));
        }
        return () -> deathListeners.remove(listener);
    }

    private static void awaitExit(ProvisionedKernel kernel, Duration grace) {
        try {
            kernel.exit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // did not exit by itself: the caller terminates it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void installHook() {
        if (HOOK.get() != null) {
            return;
        }
        Thread hook = Thread.ofPlatform().name("quire-kernel-shutdown").unstarted(() -> {
            for (ManagedKernel kernel : LIVE) {
                try {
                    kernel.process.terminate(Duration.ofMillis(500));
                } catch (RuntimeException e) {
                    LOG.warn("could not terminate kernel {} at JVM exit", kernel.spec.name(), e);
                }
            }
        });
        if (HOOK.compareAndSet(null, hook)) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }
}
