package io.quire.kernel;

import java.util.Objects;

/**
 * Whether the engine kernels run on (the local machine, a Docker engine, a Kubernetes API) can launch kernels now,
 * as a server's health check wants to know it.
 *
 * @param healthy whether launches can be expected to work
 * @param detail  a short human-readable explanation, e.g. {@code Docker engine at unix:///var/run/docker.sock
 *                does not answer: Connection refused}
 */
public record EngineHealth(boolean healthy, String detail) {
    /** Rejects a null detail. */
    public EngineHealth {
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * @param detail what was checked
     * @return a healthy answer
     */
    public static EngineHealth healthy(String detail) {
        return new EngineHealth(true, detail);
    }

    /**
     * @param detail what is wrong
     * @return an unhealthy answer
     */
    public static EngineHealth unhealthy(String detail) {
        return new EngineHealth(false, detail);
    }
}
