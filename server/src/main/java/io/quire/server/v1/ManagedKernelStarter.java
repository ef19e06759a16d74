package io.quire.server.v1;

import io.quire.execution.KernelStarter;
import io.quire.execution.RunException;
import io.quire.kernel.ConnectionInfo;
import io.quire.kernel.ExecuteRequest;
import io.quire.kernel.ExecutionListener;
import io.quire.kernel.KernelClient;
import io.quire.kernel.KernelException;
import io.quire.kernel.KernelInfo;
import io.quire.kernel.KernelSpec;
import io.quire.kernel.KernelState;
import io.quire.kernel.PendingExecution;
import io.quire.kernel.Registration;
import io.quire.kernel.RunningKernel;
import io.quire.kernel.spi.KernelExit;
import io.quire.kernel.KernelOwner;
import io.quire.kernels.KernelManager;
import io.quire.kernels.KernelNotFoundException;
import io.quire.kernels.KernelRequest;
import io.quire.kernels.ManagedKernelInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Starts each run's kernel through the {@link KernelManager}, so run kernels are listed with the others
 * ({@code /api/kernels}), counted in metrics, and shut down with the server. Closing the returned kernel shuts it down
 * through the manager, which then forgets it. The kernel belongs to the run's caller (so their kernel quotas apply). The manager's start timeout applies; the runner's is not used.
 */
final class ManagedKernelStarter implements KernelStarter {
    private final KernelManager kernels;
    private final Optional<KernelOwner> owner;

    ManagedKernelStarter(KernelManager kernels, Optional<KernelOwner> owner) {
        this.kernels = kernels;
        this.owner = owner;
    }

    @Override
    public RunningKernel start(String kernelName, Optional<Path> cwd, Duration startTimeout) {
        ManagedKernelInfo info;
        try {
            KernelRequest request = KernelRequest.of(kernelName).withCwd(cwd);
            info = kernels.start(owner.map(request::withOwner).orElse(request));
            return new Owned(kernels.running(info.id()), info.id(), kernels);
        } catch (KernelException e) {
            throw new RunException("kernel '" + kernelName + "' did not start: " + e.getMessage(), e);
        }
    }

    /** A managed kernel whose shutdown goes through the manager. */
    private record Owned(RunningKernel kernel, String id, KernelManager kernels) implements RunningKernel {
        @Override
        public KernelSpec spec() {
            return kernel.spec();
        }

        @Override
        public KernelClient client() {
            return kernel.client();
        }

        @Override
        public ConnectionInfo connectionInfo() {
            return kernel.connectionInfo();
        }

        @Override
        public KernelInfo info() {
            return kernel.info();
        }

        @Override
        public KernelState state() {
            return kernel.state();
        }

        @Override
        public PendingExecution execute(ExecuteRequest request, ExecutionListener listener) {
            return kernel.execute(request, listener);
        }

        @Override
        public void interrupt() {
            kernel.interrupt();
        }

        @Override
        public void restart(Duration timeout) {
            kernel.restart(timeout);
        }

        @Override
        public void shutdown(Duration grace) {
            try {
                kernels.shutdown(id);
            } catch (KernelNotFoundException e) {
                // already shut down (e.g. by the server closing, or by a user through /api/kernels)
            }
        }

        @Override
        public void kill() {
            kernel.kill();
        }

        @Override
        public Registration onDeath(Consumer<KernelExit> listener) {
            return kernel.onDeath(listener);
        }
    }
}
