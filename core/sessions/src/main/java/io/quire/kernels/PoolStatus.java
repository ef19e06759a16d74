package io.quire.kernels;

import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one warm pool, for metrics and health checks ({@link KernelManager#poolStatus()}).
 *
 * @param spec        the kernel spec name
 * @param size        the hardware size name, or empty for the provisioner's default
 * @param minIdle     the configured refill threshold
 * @param maxIdle     the configured fill level
 * @param idle        ready kernels waiting to be handed out
 * @param starting    kernels being launched for the pool, including those waiting for a start slot
 * @param handedOut   kernels handed out since the manager was built
 * @param replaced    idle kernels that died in the pool and were replaced
 * @param lastFailure why the pool's last launch failed, when it did and no launch succeeded since; the pool then
 *                    retries with a growing delay (1 s doubling to 1 min)
 */
public record PoolStatus(String spec, Optional<String> size, int minIdle, int maxIdle, int idle, int starting,
                         long handedOut, long replaced, Optional<String> lastFailure) {
    /** Rejects nulls. */
    public PoolStatus {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(lastFailure, "lastFailure");
    }
}
