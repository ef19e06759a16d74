package io.quire.kernel.local;

import io.quire.kernel.ConnectionInfo;
import io.quire.kernel.KernelLaunchException;
import io.quire.kernel.KernelSpec;
import io.quire.kernel.spi.KernelProvisioner;
import io.quire.kernel.spi.LaunchRequest;
import io.quire.kernel.spi.ProvisionedKernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Launches kernels as local child processes on {@code 127.0.0.1}.
 *
 * <p>Each launch picks five free tcp ports (unless the request reuses connection info), generates a
 * random 32-byte hex key, writes the connection file readable by the owner only into a private runtime
 * directory ({@code $XDG_RUNTIME_DIR/quire}, else {@code <tmp>/quire-runtime-<user>}, mode {@code 0700}),
 * substitutes {@code {connection_file}} and {@code {resource_dir}} in the spec's argv and starts the
 * process with the environment of this JVM, then the spec's {@code env}, then the request's env, plus
 * {@code JPY_PARENT_PID} so ipykernel exits if Quire dies. Kernels still running when the JVM exits are
 * killed by a shutdown hook. Local processes have no hardware sizes and no owner: a request's size and owner
 * are ignored (the process runs as this JVM's user, unlimited).
 */
public final class LocalProcessProvisioner implements KernelProvisioner {
    private static final String IP = "127.0.0.1";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path runtimeDir;

    private LocalProcessProvisioner(Path runtimeDir) {
        this.runtimeDir = runtimeDir;
    }

    /**
     * A provisioner using the default runtime directory.
     *
     * @return the provisioner
     */
    public static LocalProcessProvisioner create() {
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        Path dir = xdg != null && !xdg.isBlank() && Files.isDirectory(Path.of(xdg))
                ? Path.of(xdg, "quire")
                : Path.of(System.getProperty("java.io.tmpdir"), "quire-runtime-" + System.getProperty("user.name", "user"));
        return new LocalProcessProvisioner(dir);
    }

    /**
     * A provisioner writing connection files into the given directory (created {@code 0700} if missing).
     *
     * @param runtimeDir the directory for connection files
     * @return the provisioner
     */
    public static LocalProcessProvisioner create(Path runtimeDir) {
        return new LocalProcessProvisioner(Objects.requireNonNull(runtimeDir, "runtimeDir"));
    }

    /** @return the directory connection files are written to */
    public Path runtimeDir() {
        return runtimeDir;
    }

    /**
     * {@inheritDoc}
     *
     * @throws KernelLaunchException when the runtime directory is unsafe or the process cannot be started
     */
    @Override
    public ProvisionedKernel launch(KernelSpec spec, LaunchRequest request) {
        Path dir = privateRuntimeDir();
        ConnectionInfo info = request.connectionInfo()
                .orElseGet(() -> ConnectionInfo.tcp(IP, PortAllocator.allocate(IP, 5), newKey()))
                .withKernelName(spec.name());
        Path connectionFile = dir.resolve("kernel-" + UUID.randomUUID() + ".json");
        info.write(connectionFile);
        List<String> argv = spec.argvFor(connectionFile);
        ProcessBuilder builder = new ProcessBuilder(argv);
        Map<String, String> env = builder.environment();
        env.putAll(spec.env());
        env.putAll(request.env());
        env.put("JPY_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
        request.cwd().ifPresent(cwd -> builder.directory(cwd.toFile()));
        try {
            Process process = builder.start();
            LocalProcessKernel kernel = new LocalProcessKernel(process, info, connectionFile, spec.name());
            ProcessReaper.register(kernel);
            return kernel;
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(connectionFile);
            } catch (IOException ignored) {
                // best effort: the launch already failed
            }
            throw new KernelLaunchException("cannot start kernel '" + spec.name() + "' with " + argv + ": "
                    + e.getMessage(), e);
        }
    }

    private Path privateRuntimeDir() {
        try {
            boolean posix = runtimeDir.getFileSystem().supportedFileAttributeViews().contains("posix");
            if (!Files.isDirectory(runtimeDir)) {
                if (posix) {
                    Files.createDirectories(runtimeDir,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(runtimeDir);
                }
            }
            if (posix) {
                String owner = Files.getOwner(runtimeDir).getName();
                String me = System.getProperty("user.name");
                if (me != null && !owner.equals(me)) {
                    throw new KernelLaunchException("runtime directory " + runtimeDir + " belongs to '" + owner
                            + "', not to '" + me + "'; refusing to write kernel keys there");
                }
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(runtimeDir);
                if (!mode.equals(PosixFilePermissions.fromString("rwx------"))) {
                    Files.setPosixFilePermissions(runtimeDir, PosixFilePermissions.fromString("rwx------"));
                }
            }
            return runtimeDir;
        } catch (IOException e) {
            throw new KernelLaunchException("cannot prepare runtime directory " + runtimeDir + ": " + e.getMessage(), e);
        }
    }

    private static String newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return HexFormat.of().formatHex(key);
    }
}
