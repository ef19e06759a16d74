package io.quire.kernel.spi;

import io.quire.kernel.ConnectionInfo;
import io.quire.kernel.EngineHealth;
import io.quire.kernel.KernelSpec;

import java.util.Optional;

/**
 * Launches kernels somewhere (a local process, a container, a pod). Implementations are chosen once from
 * configuration; none inherits from another.
 */
public interface KernelProvisioner {
    /**
     * Launches a kernel. Returns once the kernel was started, not once it is ready: callers wait for
     * readiness over the protocol ({@code kernel_info}).
     *
     * @param spec    what to launch
     * @param request where, with what environment, for whom and with which hardware size
     * @return the handle of the launched kernel
     * @throws io.quire.kernel.KernelLaunchException when it cannot be started, e.g. for a size name the
     *                                               provisioner does not know
     */
    ProvisionedKernel launch(KernelSpec spec, LaunchRequest request);

    /**
     * Whether launches can be expected to work now, for a server's health check. Must be cheap (one round trip to
     * the engine at most, with a short timeout) and must not throw.
     *
     * @return the engine's health; healthy by default (nothing to check for local processes)
     */
    default EngineHealth health() {
        return EngineHealth.healthy("no engine to check");
    }

    /**
     * Finds a kernel launched earlier, possibly by another process, from what its {@link ProvisionedKernel#locator()}
     * said, without launching anything. Provisioners that cannot do this throw (the default).
     *
     * @param info    where the kernel listens
     * @param locator the kernel's locator
     * @return the kernel, or empty when it is gone (ended, or its process id now belongs to another process)
     * @throws UnsupportedOperationException when this provisioner cannot reattach kernels
     * @throws IllegalArgumentException      when the locator was not written by this kind of provisioner
     */
    default Optional<ProvisionedKernel> reattach(ConnectionInfo info, String locator) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot reattach kernels");
    }
}
