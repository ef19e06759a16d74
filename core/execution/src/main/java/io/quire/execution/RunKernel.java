package io.quire.execution;

import io.quire.kernel.KernelClient;
import io.quire.kernel.KernelInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A started kernel, as a notebook run uses it. Closing it shuts the kernel down and never leaves its process behind.
 */
public interface RunKernel extends AutoCloseable {

    /**
     * The connected client.
     *
     * @return the client
     */
    KernelClient client();

    /**
     * The kernel's {@code kernel_info} reply, received when it became ready.
     *
     * @return the kernel info
     */
    KernelInfo info();

    /** Interrupts the running code, by signal or message as the kernel spec asks. */
    void interrupt();

    /** Shuts the kernel down and waits for it to be gone. */
    @Override
    void close();

    /** Starts kernels for runs. */
    @FunctionalInterface
    interface Factory {
        /**
         * Starts a kernel and waits until it answers {@code kernel_info}.
         *
         * @param kernelName   the kernel spec name
         * @param cwd          the working directory, or empty for the current one
         * @param startTimeout how long to wait for the kernel to be ready
         * @return the ready kernel
         * @throws RunException if the kernel cannot be started
         */
        RunKernel start(String kernelName, Optional<Path> cwd, Duration startTimeout);
    }
}
