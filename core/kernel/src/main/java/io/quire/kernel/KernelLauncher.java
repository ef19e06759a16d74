package io.quire.kernel;

import io.quire.kernel.spi.KernelProvisioner;
import io.quire.kernel.spi.LaunchRequest;

import java.time.Duration;
import java.util.Objects;

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
}
