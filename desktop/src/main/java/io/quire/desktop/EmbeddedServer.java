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

    /** The file, in the user's Quire configuration folder, whose {@code kernels:} section the app's server uses. */
    public static final String KERNELS_FILE = "quire.yaml";

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
     * Starts a server with the kernels a configuration file describes, as {@code quire server --config} reads them:
     * its {@code kernels:} section (Docker kernels, kernel specs backed by Docker images, sizes, pools), besides the
     * local kernel specs unless it turns them off. Without a {@code kernels:} section, the local kernels only. The
     * environment overrides the file as for the server ({@code QUIRE_DOCKER_HOST}, {@code QUIRE_KERNELS_LOCAL_SPECS}).
     *
     * @param root        the folder it serves
     * @param kernels     the configuration file; ignored when missing
     * @param environment the environment variables
     * @return the running server
     * @throws IllegalArgumentException if the root is not a folder, or the file's {@code kernels:} section is invalid
     *                                  (the message names the key)
     */
    public static EmbeddedServer start(Path root, Path kernels, java.util.Map<String, String> environment) {
        io.quire.server.kernels.KernelsConfig config = io.quire.server.kernels.KernelsConfig.load(
                Files.isRegularFile(kernels) ? Optional.of(kernels) : Optional.empty(), environment);
        io.quire.server.kernels.KernelBackend backend = io.quire.server.kernels.KernelBackend.create(config,
                KernelSpecRegistry.create());
        try {
            return start(root, ServerConfig.defaults(), Optional.of(backend));
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
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
        ServerConfig config = ServerConfig.defaults();
        if (defaultKernel.isPresent()) {
            config = config.with("default-kernel", defaultKernel.get(), "desktop");
        }
        return start(root, config, provisioner.map(launcher -> io.quire.server.kernels.KernelBackend.of(registry,
                launcher)).or(() -> Optional.of(io.quire.server.kernels.KernelBackend.of(registry,
                io.quire.kernel.local.LocalProcessProvisioner.create()))));
    }

    private static EmbeddedServer start(Path root, ServerConfig base, Optional<io.quire.server.kernels.KernelBackend>
            backend) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("the folder to open is not a folder: " + root);
        }
        String token = ServerConfig.randomToken();
        ServerConfig config = base
                .with("host", "127.0.0.1", "desktop")
                .with("port", "0", "desktop")
                .with("root", root.toString(), "desktop")
                .with("token", token, "desktop");
        String version = Optional.ofNullable(EmbeddedServer.class.getPackage().getImplementationVersion())
                .orElse("dev");
        QuireServer server = QuireServer.start(config, backend.orElseThrow(), version);
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
