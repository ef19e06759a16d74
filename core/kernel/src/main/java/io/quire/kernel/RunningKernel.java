package io.quire.kernel;

import io.quire.kernel.spi.KernelExit;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * A kernel launched by a provisioner together with a connected client: what a runner or a session uses.
 * Thread-safe. Death of the kernel is detected from its process (or pod) exit and reported at once:
 * requests in flight and any later request fail with {@link KernelDiedException}.
 */
public interface RunningKernel extends AutoCloseable {

    /** @return the spec it was started from */
    KernelSpec spec();

    /** @return the client of the current kernel process (the same object across restarts) */
    KernelClient client();

    /** @return the connection info of the current kernel process */
    ConnectionInfo connectionInfo();

    /** @return the kernel info from the last time the kernel became ready */
    KernelInfo info();

    /** @return the lifecycle state */
    KernelState state();

    /**
     * Shortcut for {@code client().execute(request, listener)}.
     *
     * @param request  what to run
     * @param listener receives outputs and input requests
     * @return the pending execution
     */
    PendingExecution execute(ExecuteRequest request, ExecutionListener listener);

    /**
     * Interrupts the running execution: SIGINT for {@link InterruptMode#SIGNAL} specs,
     * {@code interrupt_request} on control for {@link InterruptMode#MESSAGE} specs.
     *
     * @throws KernelException when the kernel is not running or the interrupt cannot be delivered
     */
    void interrupt();

    /**
     * Restarts the kernel: asks it to shut down, kills it if it does not exit in time, launches a new
     * process on the same connection info (so the client keeps working) and waits until it is ready.
     * Executions in flight fail with {@link KernelDiedException}.
     *
     * @param timeout how long to wait for the new process to become ready
     * @throws KernelLaunchException when the new process does not become ready
     */
    void restart(Duration timeout);

    /**
     * Shuts the kernel down: {@code shutdown_request} on control, then waits up to the grace period for
     * the process to exit, then kills the whole process tree. Closes the client. Idempotent.
     *
     * @param grace how long the kernel may take to exit by itself
     */
    void shutdown(Duration grace);

    /**
     * Ends the kernel's processes at once, without the shutdown handshake and without waiting for a restart or
     * shutdown in progress on another thread: for when a graceful {@link #shutdown} did not end in time. Closes the
     * client. Idempotent.
     */
    default void kill() {
        shutdown(Duration.ofMillis(1));
    }

    /**
     * Registers a listener for an unexpected death (not for shutdown or restart). Called at once when
     * the kernel is already dead.
     *
     * @param listener receives how the kernel ended
     * @return removes the listener
     */
    Registration onDeath(Consumer<KernelExit> listener);

    /**
     * Leaves the kernel running and lets go of it, so another process (a restarted server) can take it over with
     * {@link KernelLauncher#reattach}: closes the client and stops watching the kernel, without telling the kernel
     * anything. Afterwards this object is {@link KernelState#SHUTDOWN} and {@link #shutdown} does nothing. Only
     * kernels launched to outlive this process (their provisioner gave them a
     * {@link io.quire.kernel.spi.ProvisionedKernel#locator() locator}) can be released.
     *
     * @return what a later process needs to reattach the kernel
     * @throws KernelException when the kernel cannot be released (it is then left as it was): not launched to outlive
     *                         this process (the default), or no longer running
     */
    default ReleasedKernel release() {
        throw new KernelException("kernel '" + spec().name() + "' cannot be left running for another process");
    }

    /** Shuts down with a 5 second grace period. */
    @Override
    default void close() {
        shutdown(Duration.ofSeconds(5));
    }
}
