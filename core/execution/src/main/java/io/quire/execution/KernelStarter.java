package io.quire.execution;

import io.quire.kernel.KernelClientOptions;
import io.quire.kernel.KernelException;
import io.quire.kernel.KernelLauncher;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.kernel.RunningKernel;
import io.quire.kernel.local.LocalProcessProvisioner;
import io.quire.kernel.spi.KernelProvisioner;
import io.quire.kernel.spi.LaunchRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Starts the kernel a notebook run executes on. */
@FunctionalInterface
public interface KernelStarter {

    /**
     * Starts a kernel and waits until it answers {@code kernel_info}.
     *
     * @param kernelName   the kernel spec name
     * @param cwd          the working directory, or empty for the current one
     * @param startTimeout how long to wait for the kernel to be ready
     * @return the ready kernel; closing it shuts the kernel down
     * @throws RunException if the kernel cannot be started
     */
    RunningKernel start(String kernelName, Optional<Path> cwd, Duration startTimeout);

    /**
     * Starts kernels from the kernel specs in the standard Jupyter data path, as local processes.
     *
     * @return the starter
     */
    static KernelStarter localProcesses() {
        return using(LocalProcessProvisioner.create(), KernelSpecRegistry.create());
    }

    /**
     * Starts kernels from a spec registry with a provisioner.
     *
     * @param provisioner launches the kernel processes or containers
     * @param registry    where kernel specs are found
     * @return the starter
     */
    static KernelStarter using(KernelProvisioner provisioner, KernelSpecRegistry registry) {
        KernelLauncher launcher = KernelLauncher.create(provisioner, registry, KernelClientOptions.defaults());
        return (kernelName, cwd, startTimeout) -> {
            if (registry.find(kernelName).isEmpty()) {
                throw new RunException("No kernel spec named '" + kernelName + "' (looked in "
                        + registry.dataDirs() + "); install the kernel or pick one with -k");
            }
            LaunchRequest request = cwd.map(LaunchRequest.defaults()::withCwd).orElse(LaunchRequest.defaults());
            try {
                return launcher.start(kernelName, request, startTimeout);
            } catch (KernelException e) {
                throw new RunException("kernel '" + kernelName + "' did not start: " + e.getMessage(), e);
            }
        };
    }
}
