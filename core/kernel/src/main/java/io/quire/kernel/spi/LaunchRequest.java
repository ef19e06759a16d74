package io.quire.kernel.spi;

import io.quire.kernel.ConnectionInfo;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller wants for one kernel launch beyond the spec.
 *
 * @param cwd            the working directory of the kernel, when not the provisioner's default
 * @param env            extra environment variables, applied after the spec's {@code env}
 * @param connectionInfo reuse this connection info (ports and key), e.g. when restarting a kernel so
 *                       connected clients keep working; empty picks fresh ports and a fresh key
 */
public record LaunchRequest(Optional<Path> cwd, Map<String, String> env, Optional<ConnectionInfo> connectionInfo) {
    /** Rejects nulls and copies the map. */
    public LaunchRequest {
        Objects.requireNonNull(cwd, "cwd");
        env = Map.copyOf(env);
        Objects.requireNonNull(connectionInfo, "connectionInfo");
    }

    /** @return a request with the default working directory, no extra env and fresh connection info */
    public static LaunchRequest defaults() {
        return new LaunchRequest(Optional.empty(), Map.of(), Optional.empty());
    }

    /**
     * @param dir the working directory
     * @return a copy with it
     */
    public LaunchRequest withCwd(Path dir) {
        return new LaunchRequest(Optional.of(dir), env, connectionInfo);
    }

    /**
     * @param variables extra environment variables
     * @return a copy with them
     */
    public LaunchRequest withEnv(Map<String, String> variables) {
        return new LaunchRequest(cwd, variables, connectionInfo);
    }

    /**
     * @param info the connection info to reuse
     * @return a copy with it
     */
    public LaunchRequest withConnectionInfo(ConnectionInfo info) {
        return new LaunchRequest(cwd, env, Optional.of(info));
    }
}
