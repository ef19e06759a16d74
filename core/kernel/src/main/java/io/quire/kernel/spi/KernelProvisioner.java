package io.quire.kernel.spi;

import io.quire.kernel.KernelSpec;

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
}
