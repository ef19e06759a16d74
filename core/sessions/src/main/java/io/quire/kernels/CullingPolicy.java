package io.quire.kernels;

import java.time.Duration;
import java.util.Objects;

/**
 * When a {@link KernelManager} shuts down idle kernels, with Jupyter Server's semantics
 * ({@code cull_idle_timeout}, {@code cull_interval}, {@code cull_busy}, {@code cull_connected}) plus a notice period.
 *
 * <p>A kernel is idle since its {@link ManagedKernelInfo#lastActivity()}. Each check culls a kernel whose idle time
 * has reached {@code idleTimeout}, unless it is busy (and {@code cullBusy} is false) or has connections (and
 * {@code cullConnected} is false). Before that, once its idle time reaches {@code idleTimeout - warning}, listeners
 * get {@link KernelEvents#onCullWarning}; the kernel is culled no earlier than {@code warning} after that notice, so
 * clients always get the full notice period. Activity, busyness or a connection (when they spare it) in between
 * cancels the notice. Dead kernels are culled in the same way (they stay listed with their reason until then).
 * Kernels waiting, starting or restarting are never culled. Checks run every {@code checkInterval}, so a kernel may
 * be culled up to one interval late.
 *
 * @param idleTimeout   how long a kernel may be idle, positive
 * @param checkInterval how often to check, positive
 * @param cullBusy      whether busy kernels are culled too (a busy kernel's idle time counts from its last output)
 * @param cullConnected whether kernels with connected clients are culled too
 * @param warning       the notice period, from zero up to {@code idleTimeout}
 */
public record CullingPolicy(Duration idleTimeout, Duration checkInterval, boolean cullBusy, boolean cullConnected,
                            Duration warning) {
    /**
     * Validates.
     *
     * @throws IllegalArgumentException when a duration is out of range
     */
    public CullingPolicy {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(checkInterval, "checkInterval");
        Objects.requireNonNull(warning, "warning");
        if (!idleTimeout.isPositive()) {
            throw new IllegalArgumentException("culling idleTimeout must be positive but was " + idleTimeout);
        }
        if (!checkInterval.isPositive()) {
            throw new IllegalArgumentException("culling checkInterval must be positive but was " + checkInterval);
        }
        if (warning.isNegative() || warning.compareTo(idleTimeout) > 0) {
            throw new IllegalArgumentException("culling warning must be between zero and the idle timeout ("
                    + idleTimeout + ") but was " + warning);
        }
    }

    /**
     * Jupyter Server's defaults for the rest: checks every 5 minutes, busy and connected kernels spared; a notice
     * of one minute (or the whole timeout, when shorter).
     *
     * @param idleTimeout how long a kernel may be idle
     * @return the policy
     * @throws IllegalArgumentException when the timeout is not positive
     */
    public static CullingPolicy idleFor(Duration idleTimeout) {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Duration minute = Duration.ofMinutes(1);
        return new CullingPolicy(idleTimeout, Duration.ofMinutes(5), false, false,
                idleTimeout.compareTo(minute) < 0 ? idleTimeout : minute);
    }

    /**
     * @param interval how often to check
     * @return a copy with it
     */
    public CullingPolicy withCheckInterval(Duration interval) {
        return new CullingPolicy(idleTimeout, interval, cullBusy, cullConnected, warning);
    }

    /**
     * @param value whether busy kernels are culled too
     * @return a copy with it
     */
    public CullingPolicy withCullBusy(boolean value) {
        return new CullingPolicy(idleTimeout, checkInterval, value, cullConnected, warning);
    }

    /**
     * @param value whether kernels with connected clients are culled too
     * @return a copy with it
     */
    public CullingPolicy withCullConnected(boolean value) {
        return new CullingPolicy(idleTimeout, checkInterval, cullBusy, value, warning);
    }

    /**
     * @param notice the notice period
     * @return a copy with it
     */
    public CullingPolicy withWarning(Duration notice) {
        return new CullingPolicy(idleTimeout, checkInterval, cullBusy, cullConnected, notice);
    }
}
