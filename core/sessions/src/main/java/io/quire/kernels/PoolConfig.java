package io.quire.kernels;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A warm pool of ready kernels of one kernel spec and hardware size, kept by a {@link KernelManager}.
 *
 * <p>The pool fills up to {@code maxIdle} ready kernels at start-up and, whenever its idle plus starting kernels
 * drop below {@code minIdle} (hand-outs, deaths), back up to {@code maxIdle}; with {@code minIdle == maxIdle} every
 * hand-out is replaced at once. Pooled kernels are launched with no owner, no working directory and no extra
 * environment, and belong to nobody until one is handed out; a kernel handed out is never returned to the pool.
 *
 * <p>A start is served from the pool when it names the pool's spec and size (an empty size matches only a pool with
 * an empty size) and asks for nothing a running kernel cannot be given afterwards: no working directory, unless
 * {@code cwdIgnored} says the provisioner ignores it anyway (Docker kernels always work in their home directory); and
 * only environment variables listed in {@code informationalEnv}, which the handed-out kernel then does not see.
 * Other starts launch a kernel of their own.
 *
 * @param spec             the kernel spec name, not blank
 * @param size             the hardware size name, or empty for the provisioner's default
 * @param minIdle          refill when fewer idle and starting kernels than this remain, at least 1
 * @param maxIdle          fill up to this many, at least {@code minIdle}
 * @param cwdIgnored       whether a start naming a working directory may be served from the pool
 * @param informationalEnv environment variables a start may name and still be served from the pool (they are not
 *                         applied)
 */
public record PoolConfig(String spec, Optional<String> size, int minIdle, int maxIdle, boolean cwdIgnored,
                         Set<String> informationalEnv) {
    /**
     * The variables {@link #of} lets through: Jupyter sets {@code JPY_SESSION_NAME} to the notebook's path for the
     * kernel's information; ipykernel 6 does not read it.
     */
    public static final Set<String> DEFAULT_INFORMATIONAL_ENV = Set.of("JPY_SESSION_NAME");

    /**
     * Validates; copies the set.
     *
     * @throws IllegalArgumentException when a name is blank or the sizes are out of range
     */
    public PoolConfig {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(size, "size");
        if (spec.isBlank()) {
            throw new IllegalArgumentException("pool kernel spec name must not be blank");
        }
        if (size.isPresent() && size.get().isBlank()) {
            throw new IllegalArgumentException("pool '" + spec + "': hardware size name must not be blank");
        }
        if (minIdle < 1) {
            throw new IllegalArgumentException("pool '" + spec + "': minIdle must be at least 1 but was " + minIdle);
        }
        if (maxIdle < minIdle) {
            throw new IllegalArgumentException("pool '" + spec + "': maxIdle must be at least minIdle (" + minIdle
                    + ") but was " + maxIdle);
        }
        informationalEnv = Set.copyOf(informationalEnv);
    }

    /**
     * A pool that serves only starts without a working directory, letting {@link #DEFAULT_INFORMATIONAL_ENV} through.
     *
     * @param spec    the kernel spec name
     * @param size    the hardware size name, or empty for the provisioner's default
     * @param minIdle refill below this many
     * @param maxIdle fill up to this many
     * @return the pool configuration
     */
    public static PoolConfig of(String spec, Optional<String> size, int minIdle, int maxIdle) {
        return new PoolConfig(spec, size, minIdle, maxIdle, false, DEFAULT_INFORMATIONAL_ENV);
    }

    /**
     * @param value whether a start naming a working directory may be served from the pool
     * @return a copy with it
     */
    public PoolConfig withCwdIgnored(boolean value) {
        return new PoolConfig(spec, size, minIdle, maxIdle, value, informationalEnv);
    }

    /**
     * @param names environment variables a start may name and still be served from the pool
     * @return a copy with them
     */
    public PoolConfig withInformationalEnv(Set<String> names) {
        return new PoolConfig(spec, size, minIdle, maxIdle, cwdIgnored, names);
    }

    /** @return {@code spec} or {@code spec/size}, for messages */
    String label() {
        return size.map(s -> spec + "/" + s).orElse(spec);
    }
}
