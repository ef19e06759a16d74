package io.quire.kernel.local;

import io.quire.kernel.ConnectionInfo;
import io.quire.kernel.KernelLaunchException;
import io.quire.kernel.KernelSpec;
import io.quire.kernel.spi.KernelProvisioner;
import io.quire.kernel.spi.LaunchRequest;
import io.quire.kernel.spi.ProvisionedKernel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

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
 *
 * <p>A provisioner made {@link #detached(boolean) detached} launches kernels that outlive this JVM instead, so a
 * restarted server can take them over ({@link #reattach}): no {@code JPY_PARENT_PID}, no exit hook, their own
 * session (through {@code setsid} where it exists, as Jupyter's {@code start_new_session}, so a Ctrl-C in the
 * server's terminal does not reach them), and stdout/stderr appended to {@code kernel-<id>.log} next to the
 * connection file (mode {@code 0600}) instead of pipes that would break when this JVM exits. Their
 * {@link ProvisionedKernel#locator() locator} names the process id, its start time (so a reused id is not taken
 * for the kernel) and those two files.
 */
public final class LocalProcessProvisioner implements KernelProvisioner {
    private static final String IP = "127.0.0.1";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final Logger LOG = LoggerFactory.getLogger(LocalProcessProvisioner.class);

    private final Path runtimeDir;
    private final boolean detached;

    private LocalProcessProvisioner(Path runtimeDir, boolean detached) {
        this.runtimeDir = runtimeDir;
        this.detached = detached;
    }

    /**
     * A provisioner using the default runtime directory.
     *
     * @return the provisioner
     */
    public static LocalProcessProvisioner create() {
        return new LocalProcessProvisioner(defaultRuntimeDir(), false);
    }

    /**
     * The default directory for connection files: {@code $XDG_RUNTIME_DIR/quire}, else
     * {@code <tmp>/quire-runtime-<user>}.
     *
     * @return the directory (it may not exist yet)
     */
    public static Path defaultRuntimeDir() {
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        return xdg != null && !xdg.isBlank() && Files.isDirectory(Path.of(xdg))
                ? Path.of(xdg, "quire")
                : Path.of(System.getProperty("java.io.tmpdir"), "quire-runtime-" + System.getProperty("user.name", "user"));
    }

    /**
     * A provisioner writing connection files into the given directory (created {@code 0700} if missing).
     *
     * @param runtimeDir the directory for connection files
     * @return the provisioner
     */
    public static LocalProcessProvisioner create(Path runtimeDir) {
        return new LocalProcessProvisioner(Objects.requireNonNull(runtimeDir, "runtimeDir"), false);
    }

    /**
     * This provisioner, launching kernels that outlive this JVM (or not), as described on the type.
     *
     * @param outliveThisProcess whether kernels survive this JVM and can be reattached
     * @return a provisioner with the same runtime directory
     */
    public LocalProcessProvisioner detached(boolean outliveThisProcess) {
        return new LocalProcessProvisioner(runtimeDir, outliveThisProcess);
    }

    /** @return whether kernels are launched to outlive this JVM */
    public boolean isDetached() {
        return detached;
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
        String name = "kernel-" + UUID.randomUUID();
        Path connectionFile = dir.resolve(name + ".json");
        Path logFile = dir.resolve(name + ".log");
        info.write(connectionFile);
        List<String> argv = new ArrayList<>(spec.argvFor(connectionFile));
        if (detached) {
            setsid().ifPresent(command -> argv.addFirst(command.toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(argv);
        Map<String, String> env = builder.environment();
        env.putAll(spec.env());
        env.putAll(request.env());
        if (detached) {
            env.remove("JPY_PARENT_PID");
        } else {
            env.put("JPY_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
        }
        request.cwd().ifPresent(cwd -> builder.directory(cwd.toFile()));
        try {
            if (detached) {
                createPrivateFile(logFile);
                builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            }
            Process process = builder.start();
            Optional<LocalLocator> locator = detached
                    ? Optional.of(LocalLocator.of(process.toHandle(), connectionFile, logFile))
                    : Optional.empty();
            LocalProcessKernel kernel = new LocalProcessKernel(process, info, connectionFile, spec.name(), locator);
            if (!detached) {
                ProcessReaper.register(kernel);
            }
            return kernel;
        } catch (IOException | RuntimeException e) {
            Processes.deleteQuietly(connectionFile, logFile);
            throw new KernelLaunchException("cannot start kernel '" + spec.name() + "' with " + argv + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Any local provisioner can reattach a kernel launched detached by another, in this process or an earlier one,
     * as long as its process (same id and start time) is alive.
     */
    @Override
    public Optional<ProvisionedKernel> reattach(ConnectionInfo info, String locator) {
        LocalLocator where = LocalLocator.parse(locator);
        Optional<ProcessHandle> process = ProcessHandle.of(where.pid()).filter(where::matches);
        if (process.isEmpty()) {
            LOG.debug("kernel {} (pid {}) is gone", info.kernelName(), where.pid());
            Processes.deleteQuietly(where.connectionFile(), where.logFile());
            return Optional.empty();
        }
        return Optional.of(new AdoptedProcessKernel(process.get(), info, where));
    }

    /** The {@code setsid} command, where it exists (util-linux). */
    private static Optional<Path> setsid() {
        return Stream.of("/usr/bin/setsid", "/bin/setsid").map(Path::of).filter(Files::isExecutable).findFirst();
    }

    private static void createPrivateFile(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
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
