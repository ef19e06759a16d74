package io.quire.kernel;

import io.quire.kernel.spi.KernelProvisioner;
import io.quire.kernel.spi.LaunchRequest;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Starts kernels: a provisioner to launch them, a spec registry to find specs by name, and client
 * options. For local kernels: {@code KernelLauncher.create(LocalProcessProvisioner.create(),
 * KernelSpecRegistry.create(), KernelClientOptions.defaults())}.
 */
public final class KernelLauncher {
    private final KernelProvisioner provisioner;
    private final KernelSpecRegistry registry;
    private final KernelClientOptions options;

    private KernelLauncher(KernelProvisioner provisioner, KernelSpecRegistry registry, KernelClientOptions options) {
        this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * @param provisioner launches kernel processes
     * @param registry    finds specs by name
     * @param options     settings of the clients
     * @return the launcher
     */
    public static KernelLauncher create(KernelProvisioner provisioner, KernelSpecRegistry registry,
                                        KernelClientOptions options) {
        return new KernelLauncher(provisioner, registry, options);
    }

    /**
     * Looks up a spec by name without starting anything, e.g. to reject an unknown name before a start.
     *
     * @param specName the kernel spec name
     * @return the spec
     * @throws KernelSpecException when there is no such spec
     */
    public KernelSpec spec(String specName) {
        return registry.require(specName);
    }

    /**
     * Asks the provisioner whether its engine can launch kernels now ({@link KernelProvisioner#health()}).
     *
     * @return the engine's health; never throws
     */
    public EngineHealth health() {
        try {
            return provisioner.health();
        } catch (RuntimeException e) {
            return EngineHealth.unhealthy("the kernel provisioner's health check failed: " + e);
        }
    }

    /**
     * Starts a kernel by spec name and waits until it is ready.
     *
     * @param specName the kernel spec name, e.g. {@code python3}
     * @param request  working directory and extra environment
     * @param timeout  how long to wait for readiness
     * @return the running kernel
     * @throws KernelSpecException   when there is no such spec
     * @throws KernelLaunchException when the kernel cannot be started or is not ready in time
     */
    public RunningKernel start(String specName, LaunchRequest request, Duration timeout) {
        return start(registry.require(specName), request, timeout);
    }

    /**
     * Starts a kernel from a spec and waits until it is ready (kernel_info answered, IOPub live).
     *
     * @param spec    the kernel spec
     * @param request working directory and extra environment
     * @param timeout how long to wait for readiness
     * @return the running kernel
     * @throws KernelLaunchException when the kernel cannot be started or is not ready in time
     */
    public RunningKernel start(KernelSpec spec, LaunchRequest request, Duration timeout) {
        return ManagedKernel.start(provisioner, spec, request, options, timeout);
    }

    /**
     * Takes over a kernel that another process left running ({@link RunningKernel#release()}), without launching
     * anything: the provisioner finds it from its locator, a new client connects, and {@code kernel_info} probes it.
     * A kernel that is alive but does not answer in time is taken over as {@link KernelState#BUSY} (it is probably
     * running a long cell). A kernel whose spec no longer exists is stopped, since it could never be restarted.
     *
     * @param released what the releasing process handed over
     * @param timeout  how long to wait for the kernel to answer
     * @return the running kernel, or empty when it is gone (ended, or its process id was reused)
     * @throws KernelSpecException           when its spec no longer exists (the kernel was stopped)
     * @throws UnsupportedOperationException when the provisioner cannot reattach kernels
     * @throws IllegalArgumentException      when the locator does not belong to this provisioner
     */
    public Optional<RunningKernel> reattach(ReleasedKernel released, Duration timeout) {
        Objects.requireNonNull(released, "released");
        KernelSpec spec;
        try {
            spec = registry.require(released.specName());
        } catch (KernelSpecException e) {
            provisioner.reattach(released.connectionInfo(), released.locator())
                    .ifPresent(orphan -> orphan.terminate(Duration.ofSeconds(5)));
            throw new KernelSpecException("the kernel spec '" + released.specName() + "' of a kernel left running no "
                    + "longer exists; the kernel was stopped (" + e.getMessage() + ")", e);
        }
        return ManagedKernel.reattach(provisioner, spec, released, options, timeout).map(RunningKernel.class::cast);
    }
}
