package io.quire.desktop.instance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Makes the desktop app a single instance per user.
 *
 * <p>Design: the first launch takes an exclusive {@link FileLock} on {@code desktop.lock} in the user's runtime folder
 * ({@code $XDG_RUNTIME_DIR/quire}, else {@code <tmp>/quire-runtime-<user>}, mode {@code 0700}) and holds it while it
 * runs, so two launches racing each other cannot both become the primary. The primary listens on an ephemeral
 * 127.0.0.1 port and writes the port and a random 256-bit secret to {@code desktop.instance} (mode {@code 0600},
 * written to a temporary file and moved into place). A later launch that finds the lock taken reads that file,
 * connects, and sends one request: a protocol line, the secret, and what to open. The primary compares the secret in
 * constant time, answers {@code ok} and hands the request to the app; a wrong secret gets {@code denied} and nothing
 * happens. Only the file's owner can read the secret, so other local users, which can reach the loopback port, cannot
 * make the app open files. The lock dies with the process, so a crashed primary leaves no stale lock; a stale
 * {@code desktop.instance} is simply overwritten by the next primary.
 *
 * <p>Wire format (UTF-8 lines): {@code QUIRE-DESKTOP 1}, the secret in hex, then {@code open <absolute path>} or
 * {@code focus}; the answer is one line, {@code ok} or {@code denied <reason>}.
 */
public final class SingleInstance implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SingleInstance.class.getName());
    private static final String PROTOCOL = "QUIRE-DESKTOP 1";
    private static final int MAX_LINE = 16 * 1024;
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(5);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path folder;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ServerSocket socket;
    private final byte[] secret;
    private volatile boolean closed;

    private SingleInstance(Path folder, FileChannel lockChannel, FileLock lock, ServerSocket socket, byte[] secret) {
        this.folder = folder;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.socket = socket;
        this.secret = secret;
    }

    /** What a launch found: it is the primary, or another instance is running. */
    public sealed interface Claim {
    }

    /**
     * This launch is the primary instance.
     *
     * @param instance the instance; call {@link SingleInstance#listen(Consumer)} once the app can take requests
     */
    public record Primary(SingleInstance instance) implements Claim {
    }

    /**
     * Another instance holds the lock.
     *
     * @param folder the runtime folder holding its lock and address file
     */
    public record Running(Path folder) implements Claim {
    }

    /**
     * A request handed over by a later launch.
     *
     * @param notebook the notebook to open (absolute), or empty to bring the app to the front
     */
    public record Request(Optional<Path> notebook) {
        /**
         * Validates the request.
         *
         * @throws IllegalArgumentException if the path is relative or contains a line break
         */
        public Request {
            notebook.ifPresent(path -> {
                if (!path.isAbsolute()) {
                    throw new IllegalArgumentException("the notebook path must be absolute: " + path);
                }
                if (path.toString().contains("\n") || path.toString().contains("\r")) {
                    throw new IllegalArgumentException("the notebook path contains a line break: " + path);
                }
            });
        }
    }

    /** The single-instance machinery failed (the runtime folder is unusable, or a handoff did not go through). */
    public static final class InstanceException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InstanceException(String message) {
            super(message);
        }

        InstanceException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The default runtime folder: {@code $XDG_RUNTIME_DIR/quire}, else {@code <tmp>/quire-runtime-<user>}.
     *
     * @return the folder (not created)
     */
    public static Path defaultFolder() {
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "quire");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "quire-runtime-" + System.getProperty("user.name", "user"));
    }

    /**
     * Tries to become the primary instance.
     *
     * @param folder the runtime folder; created with mode {@code 0700} when missing
     * @return {@link Primary} with a bound (not yet accepting) instance, or {@link Running}
     * @throws InstanceException if the folder cannot be created, belongs to another user or is open to others
     */
    public static Claim claim(Path folder) {
        prepareFolder(folder);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(folder.resolve("desktop.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM already is the primary
            }
            if (lock == null) {
                channel.close();
                return new Running(folder);
            }
            ServerSocket socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            SingleInstance instance = new SingleInstance(folder, channel, lock, socket, secret);
            instance.writeAddress();
            return new Primary(instance);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new InstanceException("cannot take the desktop lock in " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Hands a request to the running instance.
     *
     * @param folder  the runtime folder from {@link Running}
     * @param request what to open
     * @param wait    how long to wait for the running instance to publish its address (it may be starting)
     * @throws InstanceException if there is no address, the instance does not answer or refuses
     */
    public static void handOff(Path folder, Request request, Duration wait) {
        Path file = folder.resolve("desktop.instance");
        long deadline = System.nanoTime() + wait.toNanos();
        InstanceException last = null;
        do {
            try {
                send(readAddress(file), request);
                return;
            } catch (InstanceException e) {
                last = e;
            }
            try {
                Thread.sleep(100); // the primary takes the lock before it writes its address
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() < deadline);
        throw last;
    }

    /**
     * Starts accepting requests on a daemon thread.
     *
     * @param handler receives each authenticated request, on that thread
     */
    public void listen(Consumer<Request> handler) {
        Thread.ofPlatform().daemon().name("quire-single-instance").start(() -> {
            while (!closed) {
                try (Socket client = socket.accept()) {
                    serve(client, handler);
                } catch (IOException | RuntimeException e) {
                    if (!closed) {
                        LOG.log(System.Logger.Level.WARNING, "desktop handoff failed: " + e.getMessage());
                    }
                }
            }
        });
    }

    /**
     * The loopback port this instance listens on.
     *
     * @return the port
     */
    public int port() {
        return socket.getLocalPort();
    }

    /** Stops listening, removes the address file and releases the lock. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(socket);
        try {
            Files.deleteIfExists(folder.resolve("desktop.instance"));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot remove desktop.instance: " + e.getMessage());
        }
        try {
            lock.release();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot release desktop.lock: " + e.getMessage());
        }
        closeQuietly(lockChannel);
    }

    private void serve(Socket client, Consumer<Request> handler) throws IOException {
        client.setSoTimeout((int) IO_TIMEOUT.toMillis());
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        Writer out = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8);
        Request request;
        try {
            if (!PROTOCOL.equals(readLine(in))) {
                answer(out, "denied unknown protocol");
                return;
            }
            byte[] offered;
            try {
                offered = HexFormat.of().parseHex(readLine(in));
            } catch (IllegalArgumentException e) {
                answer(out, "denied bad secret");
                return;
            }
            if (!MessageDigest.isEqual(secret, offered)) {
                answer(out, "denied bad secret");
                return;
            }
            request = parse(readLine(in));
        } catch (SocketTimeoutException e) {
            answer(out, "denied timeout");
            return;
        } catch (IllegalArgumentException e) {
            answer(out, "denied " + e.getMessage());
            return;
        }
        handler.accept(request);
        answer(out, "ok");
    }

    private static Request parse(String line) {
        if (line.equals("focus")) {
            return new Request(Optional.empty());
        }
        if (line.startsWith("open ")) {
            return new Request(Optional.of(Path.of(line.substring("open ".length()))));
        }
        throw new IllegalArgumentException("unknown request: " + line);
    }

    private static void send(Address address, Request request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), address.port()),
                    (int) IO_TIMEOUT.toMillis());
            socket.setSoTimeout((int) IO_TIMEOUT.toMillis());
            Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
            out.write(PROTOCOL + "\n" + address.secret() + "\n"
                    + request.notebook().map(path -> "open " + path).orElse("focus") + "\n");
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            String answer = readLine(in);
            if (!answer.equals("ok")) {
                throw new InstanceException("the running Quire refused the request: " + answer);
            }
        } catch (IOException e) {
            throw new InstanceException("cannot reach the running Quire on port " + address.port() + ": "
                    + e.getMessage(), e);
        }
    }

    private record Address(int port, String secret) {
    }

    private static Address readAddress(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InstanceException("the running Quire has not published its address (" + file + ")", e);
        }
        if (lines.size() < 2) {
            throw new InstanceException("incomplete address file " + file);
        }
        try {
            return new Address(Integer.parseInt(lines.get(0).trim()), lines.get(1).trim());
        } catch (NumberFormatException e) {
            throw new InstanceException("bad port in " + file + ": " + lines.get(0), e);
        }
    }

    private void writeAddress() throws IOException {
        Path file = folder.resolve("desktop.instance");
        Path temporary = folder.resolve("desktop.instance." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        Files.writeString(temporary, socket.getLocalPort() + "\n" + HexFormat.of().formatHex(secret) + "\n",
                StandardCharsets.UTF_8);
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void prepareFolder(Path folder) {
        try {
            try {
                Files.createDirectories(folder.getParent());
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            } catch (FileAlreadyExistsException e) {
                // checked below
            }
            if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                throw new InstanceException(folder + " is not a folder");
            }
            String owner = Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS).getName();
            String user = System.getProperty("user.name");
            if (!owner.equals(user)) {
                throw new InstanceException(folder + " belongs to " + owner + ", not to " + user);
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS);
            if (!OWNER_ONLY_DIR.containsAll(permissions)) {
                throw new InstanceException(folder + " is open to other users ("
                        + PosixFilePermissions.toString(permissions) + "); expected rwx------");
            }
        } catch (IOException e) {
            throw new InstanceException("cannot prepare the runtime folder " + folder + ": " + e.getMessage(), e);
        } catch (UnsupportedOperationException e) {
            throw new InstanceException("the runtime folder " + folder + " has no POSIX permissions", e);
        }
    }

    private static String readLine(BufferedReader in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c == -1 || c == '\n') {
                if (c == -1 && line.isEmpty()) {
                    throw new IOException("connection closed");
                }
                return line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new IllegalArgumentException("line longer than " + MAX_LINE + " characters");
            }
            line.append((char) c);
        }
    }

    private static void answer(Writer out, String line) throws IOException {
        out.write(line + "\n");
        out.flush();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "close failed: " + e.getMessage());
        }
    }
}
