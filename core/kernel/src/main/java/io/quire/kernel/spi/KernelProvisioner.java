package io.quire.kernel.spi;

import io.quire.kernel.ConnectionInfo;
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
     * @param request where and with what environment
     * @return the handle of the launched kernel
     * @throws io.quire.kernel.KernelLaunchException when it cannot be started
     */
    ProvisionedKernel launch(KernelSpec spec, LaunchRequest request);

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
