package io.quire.kernels;

import java.time.Duration;

/**
 * Listener of what a {@link KernelManager} does to kernels by itself, so a server can tell connected clients.
 * Registered with {@link KernelManager#addListener(KernelEvents)}. Called on the manager's housekeeping thread:
 * methods must return quickly and should not throw (what they throw is logged and ignored).
 */
public interface KernelEvents {
    /**
     * The kernel has been idle long enough to be culled and will be shut down after {@code remaining} unless it
     * becomes active (or busy or connected, when those spare it) first. Sent once per idle stretch.
     *
     * @param kernelId  the kernel
     * @param remaining how long until it is culled, at the earliest; zero when no notice period is configured
     */
    default void onCullWarning(String kernelId, Duration remaining) {
    }

    /**
     * The kernel was culled: it has been shut down and its id is unknown from now on.
     *
     * @param kernelId the kernel
     */
    default void onCulled(String kernelId) {
    }
}
