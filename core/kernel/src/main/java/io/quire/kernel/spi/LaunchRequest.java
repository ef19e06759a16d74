package io.quire.kernel.spi;

import io.quire.kernel.ConnectionInfo;
import io.quire.kernel.KernelOwner;

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
 * @param owner          who the kernel is for, when known; provisioners may record it (e.g. as labels)
 * @param size           the name of the hardware size, empty for the provisioner's default; a provisioner
 *                       with configured sizes rejects names it does not know, one without sizes (local
 *                       processes) ignores it
 */
public record LaunchRequest(Optional<Path> cwd, Map<String, String> env, Optional<ConnectionInfo> connectionInfo,
                            Optional<KernelOwner> owner, Optional<String> size) {
    /**
     * Rejects nulls and blank size names; copies the map.
     *
     * @throws IllegalArgumentException when the size name is blank
     */
    public LaunchRequest {
        Objects.requireNonNull(cwd, "cwd");
        env = Map.copyOf(env);
        Objects.requireNonNull(connectionInfo, "connectionInfo");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(size, "size");
        if (size.isPresent() && size.get().isBlank()) {
            throw new IllegalArgumentException("hardware size name must not be blank");
        }
    }

    /**
     * A request without owner, for the default size.
     *
     * @param cwd            the working directory, when not the provisioner's default
     * @param env            extra environment variables
     * @param connectionInfo connection info to reuse, or empty for fresh ports and key
     */
    public LaunchRequest(Optional<Path> cwd, Map<String, String> env, Optional<ConnectionInfo> connectionInfo) {
        this(cwd, env, connectionInfo, Optional.empty(), Optional.empty());
    }

    /** @return a request with the default working directory, no extra env, fresh connection info, no owner and the
     *         default size */
    public static LaunchRequest defaults() {
        return new LaunchRequest(Optional.empty(), Map.of(), Optional.empty());
    }

    /**
     * @param dir the working directory
     * @return a copy with it
     */
    public LaunchRequest withCwd(Path dir) {
        return new LaunchRequest(Optional.of(dir), env, connectionInfo, owner, size);
    }

    /**
     * @param variables extra environment variables
     * @return a copy with them
     */
    public LaunchRequest withEnv(Map<String, String> variables) {
        return new LaunchRequest(cwd, variables, connectionInfo, owner, size);
    }

    /**
     * @param info the connection info to reuse
     * @return a copy with it
     */
    public LaunchRequest withConnectionInfo(ConnectionInfo info) {
        return new LaunchRequest(cwd, env, Optional.of(info), owner, size);
    }

    /** @return a copy that picks fresh ports and a fresh key */
    public LaunchRequest withFreshConnection() {
        return new LaunchRequest(cwd, env, Optional.empty(), owner, size);
    }

    /**
     * @param who the owner of the kernel
     * @return a copy with it
     */
    public LaunchRequest withOwner(KernelOwner who) {
        return new LaunchRequest(cwd, env, connectionInfo, Optional.of(who), size);
    }

    /**
     * @param sizeName the name of a hardware size
     * @return a copy with it
     * @throws IllegalArgumentException when the name is blank
     */
    public LaunchRequest withSize(String sizeName) {
        return new LaunchRequest(cwd, env, connectionInfo, owner, Optional.of(sizeName));
    }
}
