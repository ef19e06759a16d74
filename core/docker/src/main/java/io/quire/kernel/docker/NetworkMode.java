package io.quire.kernel.docker;

import java.util.Objects;
import java.util.Set;

/**
 * How a kernel container is networked; see {@link DockerKernelProvisioner.Builder#network(NetworkMode)}.
 */
public sealed interface NetworkMode permits NetworkMode.Host, NetworkMode.Bridge {

    /** The default name of Quire's kernel network in {@link Bridge} mode. */
    String DEFAULT_NETWORK_NAME = "quire-kernels";

    /** @return host mode, the default */
    static NetworkMode host() {
        return new Host();
    }

    /**
     * @param networkName the user-defined bridge network kernels join
     * @return bridge mode on that network
     * @throws IllegalArgumentException when the name is not a valid network name or is one of Docker's predefined
     *                                  networks
     */
    static NetworkMode bridge(String networkName) {
        return new Bridge(networkName);
    }

    /**
     * The container shares the host's network and the kernel binds {@code 127.0.0.1}: a kernel reaches everything
     * on the host's loopback, including other kernels. The mode for the desktop and single-user machines.
     */
    record Host() implements NetworkMode {
    }

    /**
     * The container joins a user-defined bridge network owned by Quire (created on first use, labelled with the
     * scope, inter-container communication disabled) and the kernel binds {@code 0.0.0.0} inside it; each of its
     * ports is published only on the host's {@code 127.0.0.1}, where Quire connects. The kernel cannot see the
     * host's loopback.
     *
     * @param networkName the network's name, e.g. {@value #DEFAULT_NETWORK_NAME}
     */
    record Bridge(String networkName) implements NetworkMode {
        private static final Set<String> PREDEFINED = Set.of("bridge", "host", "none", "default");

        /**
         * Validates the name.
         *
         * @throws IllegalArgumentException when the name is not a valid network name or is predefined by Docker
         */
        public Bridge {
            Objects.requireNonNull(networkName, "networkName");
            if (!networkName.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}")) {
                throw new IllegalArgumentException("network name must start with a letter or digit and use letters, "
                        + "digits, '_', '.' or '-' (at most 128) but was '" + networkName + "'");
            }
            if (PREDEFINED.contains(networkName)) {
                throw new IllegalArgumentException("network name '" + networkName + "' is one of Docker's predefined "
                        + "networks; kernels need a network of their own, e.g. '" + DEFAULT_NETWORK_NAME + "'");
            }
        }
    }
}
