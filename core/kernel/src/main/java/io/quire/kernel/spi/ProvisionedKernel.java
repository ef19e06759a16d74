package io.quire.kernel.spi;

import io.quire.kernel.ConnectionInfo;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A launched kernel as its provisioner sees it: where to connect and how to control its process. */
public interface ProvisionedKernel {

    /** @return where the kernel listens */
    ConnectionInfo connectionInfo();

    /** @return whether the kernel (process, container, pod) is still running */
    boolean isAlive();

    /** @return completes once when the kernel has ended, for whatever reason; never fails */
    CompletableFuture<KernelExit> exit();

    /**
     * Sends SIGINT (or the platform's equivalent) to the kernel.
     *
     * @throws io.quire.kernel.KernelException when the signal cannot be delivered
     */
    void sendInterruptSignal();

    /**
     * Ends the kernel and everything it started: a polite stop (SIGTERM), then a forced kill after the
     * grace period. Returns when it has ended; calling it again is harmless. Cleans up what the launch
     * created (e.g. the connection file).
     *
     * @param grace how long to wait after the polite stop
     */
    void terminate(Duration grace);

    /**
     * How to find this kernel again from another process, e.g. a restarted server: an opaque text that only its
     * provisioner reads ({@link KernelProvisioner#reattach}). Present only for kernels launched to outlive the process
     * that launched them; such kernels are not killed when this JVM exits.
     *
     * @return the locator, or empty when this kernel cannot be reattached (the default)
     */
    default Optional<String> locator() {
        return Optional.empty();
    }
}
