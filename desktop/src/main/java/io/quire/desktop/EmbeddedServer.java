package io.quire.desktop;

import io.quire.kernel.KernelSpecRegistry;
import io.quire.kernel.spi.KernelProvisioner;
import io.quire.server.QuireServer;
import io.quire.server.ServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The desktop's own server: a {@link QuireServer} on 127.0.0.1, on a free port, with a token made for this launch,
 * serving a folder. The app then talks to it through the SDK ({@link #connection()}) exactly as to a remote server.
 *
 * <p>This is the only class of the desktop that may use the server module (checked by {@code DesktopLayersTest}).
 */
public final class EmbeddedServer implements AutoCloseable {
    private final QuireServer server;
    private final ServerConnection connection;
    private final Path root;

    private EmbeddedServer(QuireServer server, ServerConnection connection, Path root) {
        this.server = server;
        this.connection = connection;
        this.root = root;
    }

    /**
     * Starts a server with the local kernels found in the Jupyter data path (local processes).
     *
     * @param root the folder it serves
     * @return the running server
     * @throws IllegalArgumentException if the root is not a folder
     */
    public static EmbeddedServer start(Path root) {
        return start(root, KernelSpecRegistry.create(), Optional.empty(), Optional.empty());
    }

    /**
     * Starts a server with given kernels (tests use in-JVM fake kernels).
     *
     * @param root          the folder it serves
     * @param registry      where kernel specs are found
     * @param provisioner   launches kernels; empty for local processes
     * @param defaultKernel the default kernel spec; empty for the server's default
     * @return the running server
     * @throws IllegalArgumentException if the root is not a folder
     */
    public static EmbeddedServer start(Path root, KernelSpecRegistry registry, Optional<KernelProvisioner> provisioner,
            Optional<String> defaultKernel) {
        Objects.requireNonNull(root, "root");
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("the folder to open is not a folder: " + root);
        }
        String token = ServerConfig.randomToken();
        ServerConfig config = ServerConfig.defaults()
                .with("host", "127.0.0.1", "desktop")
                .with("port", "0", "desktop")
                .with("root", root.toString(), "desktop")
                .with("token", token, "desktop");
        if (defaultKernel.isPresent()) {
            config = config.with("default-kernel", defaultKernel.get(), "desktop");
        }
        String version = Optional.ofNullable(EmbeddedServer.class.getPackage().getImplementationVersion())
                .orElse("dev");
        QuireServer server = provisioner.isPresent()
                ? QuireServer.start(config, registry, provisioner.get(), version)
                : QuireServer.start(config, registry, version);
        return new EmbeddedServer(server, new ServerConnection(URI.create(server.url()), token), root);
    }

    /**
     * How to reach the server.
     *
     * @return the URL and token
     */
    public ServerConnection connection() {
        return connection;
    }

    /**
     * The folder the server serves.
     *
     * @return the root
     */
    public Path root() {
        return root;
    }

    /** Stops the server and shuts its kernels down. */
    @Override
    public void close() {
        server.close();
    }
}
