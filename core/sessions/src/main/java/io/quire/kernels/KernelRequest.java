package io.quire.kernels;

import io.quire.kernel.KernelOwner;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller asks {@link KernelManager#start(KernelRequest)} for.
 *
 * @param specName the kernel spec name, not blank
 * @param cwd      the kernel's working directory, or empty for the provisioner's default
 * @param env      extra environment variables for the kernel (e.g. {@code JPY_SESSION_NAME})
 * @param owner    who the kernel is for; counted against that user's and organisation's quotas. Empty: nobody's
 *                 (no quota applies), as the start methods without a request mean
 * @param size     the name of a hardware size, or empty for the provisioner's default
 */
public record KernelRequest(String specName, Optional<Path> cwd, Map<String, String> env, Optional<KernelOwner> owner,
                            Optional<String> size) {
    /**
     * Rejects nulls and blank names; copies the map.
     *
     * @throws IllegalArgumentException when the spec name or the size name is blank
     */
    public KernelRequest {
        Objects.requireNonNull(specName, "specName");
        if (specName.isBlank()) {
            throw new IllegalArgumentException("kernel spec name must not be blank");
        }
        Objects.requireNonNull(cwd, "cwd");
        env = Map.copyOf(env);
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(size, "size");
        if (size.isPresent() && size.get().isBlank()) {
            throw new IllegalArgumentException("hardware size name must not be blank");
        }
    }

    /**
     * @param specName the kernel spec name
     * @return a request for that spec: default working directory, no extra env, no owner, default size
     */
    public static KernelRequest of(String specName) {
        return new KernelRequest(specName, Optional.empty(), Map.of(), Optional.empty(), Optional.empty());
    }

    /**
     * @param dir the working directory, or empty for the provisioner's default
     * @return a copy with it
     */
    public KernelRequest withCwd(Optional<Path> dir) {
        return new KernelRequest(specName, dir, env, owner, size);
    }

    /**
     * @param variables extra environment variables
     * @return a copy with them
     */
    public KernelRequest withEnv(Map<String, String> variables) {
        return new KernelRequest(specName, cwd, variables, owner, size);
    }

    /**
     * @param who the owner
     * @return a copy with it
     */
    public KernelRequest withOwner(KernelOwner who) {
        return new KernelRequest(specName, cwd, env, Optional.of(who), size);
    }

    /**
     * @param sizeName the name of a hardware size
     * @return a copy with it
     */
    public KernelRequest withSize(String sizeName) {
        return new KernelRequest(specName, cwd, env, owner, Optional.of(sizeName));
    }
}
