package io.quire.server.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.kernel.KernelException;
import io.quire.kernel.KernelLauncher;
import io.quire.kernel.ReleasedKernel;
import io.quire.kernel.RunningKernel;
import io.quire.kernels.KernelManager;
import io.quire.kernels.ManagedKernelInfo;
import io.quire.sessions.SessionRecord;
import io.quire.sessions.SessionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kernels that outlive one run of the server and are taken over by the next ({@code shutdown-kernels: false}).
 *
 * <p>On stop, {@link #leaveRunning} releases every kernel that can outlive the server (local kernels launched
 * detached) and records them, with their ids and keys, and the sessions bound to them (so JupyterLab finds its
 * notebook's session, and so its kernel, again), in {@value #FILE_NAME} in the state directory: written to a
 * temporary file of mode {@code 0600} in a {@code 0700} directory, then renamed over the old one, so the file is
 * never torn and never readable by others. Kernels that cannot be left running (their provisioner cannot reattach
 * them: Docker and Kubernetes for now) are shut down, with a log line.
 *
 * <p>On start, {@link #takeOver} reads and deletes that file (so two servers never take the same kernels), then
 * reattaches each kernel in parallel and adopts it under its old id; a kernel that is gone is dropped with a log line.
 * A file that cannot be read is renamed to {@code kernels.json.unreadable} and reported, so it is not retried at every
 * start; the kernels it lists are left alone.
 */
public final class KernelHandover {
    /** The state file's name. */
    public static final String FILE_NAME = "kernels.json";

    private static final Logger LOG = LoggerFactory.getLogger(KernelHandover.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;

    private final Path stateDir;
    private final KernelManager kernels;
    private final SessionStore sessions;

    private KernelHandover(Path stateDir, KernelManager kernels, SessionStore sessions) {
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    /**
     * The handover of one server.
     *
     * @param stateDir where kernels left running are recorded
     * @param kernels  the server's kernels
     * @param sessions the server's sessions
     * @return the handover
     */
    public static KernelHandover create(Path stateDir, KernelManager kernels, SessionStore sessions) {
        return new KernelHandover(stateDir, kernels, sessions);
    }

    /**
     * Leaves the manager's kernels running and records them, and their sessions, for the next start. The manager
     * must not be used afterwards (its kernels are released, or shut down).
     *
     * @return the ids of the kernels left running
     * @throws UncheckedIOException when the state file cannot be written (the kernels are then left running but
     *                              unrecorded, and the message says so)
     */
    public List<String> leaveRunning() {
        ArrayNode recorded = JSON.createArrayNode();
        List<String> ids = new ArrayList<>();
        for (ManagedKernelInfo model : kernels.list()) {
            Optional<ReleasedKernel> released = release(model);
            if (released.isPresent()) {
                ObjectNode entry = JSON.createObjectNode();
                entry.put("id", model.id());
                entry.setAll(released.get().toJson());
                recorded.add(entry);
                ids.add(model.id());
            }
        }
        Path file = stateDir.resolve(FILE_NAME);
        if (ids.isEmpty()) {
            return ids;
        }
        ObjectNode document = JSON.createObjectNode();
        document.put("version", VERSION);
        document.set("kernels", recorded);
        ArrayNode bound = document.putArray("sessions");
        for (SessionRecord session : sessions.list()) {
            if (ids.contains(session.kernelId())) {
                bound.addObject().put("id", session.id()).put("path", session.path()).put("name", session.name())
                        .put("type", session.type()).put("kernel_id", session.kernelId())
                        .put("created", session.created().toString());
            }
        }
        try {
            writePrivately(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document));
        } catch (IOException e) {
            throw new UncheckedIOException("the kernels " + ids + " were left running but could not be recorded in "
                    + file + " (" + e.getMessage() + "); stop them by hand", e);
        }
        LOG.info("left {} kernel(s) running for the next start with state dir {}: {}", ids.size(), stateDir, ids);
        return ids;
    }

    private Optional<ReleasedKernel> release(ManagedKernelInfo model) {
        try {
            RunningKernel kernel = kernels.running(model.id());
            return Optional.of(kernel.release());
        } catch (KernelException e) {
            LOG.info("kernel {} ({}) cannot be left running ({}); shutting it down", model.id(), model.name(),
                    e.getMessage());
        }
        try {
            kernels.shutdown(model.id());
        } catch (RuntimeException e) {
            LOG.warn("shutting down kernel {} failed: {}", model.id(), e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * Takes over the kernels a previous run of the server left running with this state directory, under their old
     * ids, and restores the sessions bound to those of them that are still running.
     *
     * @param launcher reattaches them (its provisioner must be able to)
     * @param timeout  how long each may take to answer
     * @return the ids of the kernels taken over
     */
    public List<String> takeOver(KernelLauncher launcher, Duration timeout) {
        Objects.requireNonNull(launcher, "launcher");
        Path file = stateDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return List.of();
        }
        List<JsonNode> entries = new ArrayList<>();
        List<JsonNode> bound = new ArrayList<>();
        try {
            JsonNode document = JSON.readTree(Files.readAllBytes(file));
            if (document == null || document.path("version").asInt() != VERSION || !document.path("kernels").isArray()) {
                throw new IOException("not a version " + VERSION + " kernel state file");
            }
            document.path("kernels").forEach(entries::add);
            document.path("sessions").forEach(bound::add);
            Files.delete(file);
        } catch (IOException e) {
            Path aside = file.resolveSibling(FILE_NAME + ".unreadable");
            LOG.warn("cannot read the kernel state file {} ({}); moved it to {}, the kernels it lists are left alone",
                    file, e.getMessage(), aside);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.warn("cannot move {} aside: {}", file, moveFailed.getMessage());
            }
            return List.of();
        }
        List<Future<Optional<String>>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (JsonNode entry : entries) {
                results.add(threads.submit(() -> takeOver(launcher, entry, timeout)));
            }
        }
        List<String> adopted = new ArrayList<>();
        for (Future<Optional<String>> result : results) {
            try {
                result.get().ifPresent(adopted::add);
            } catch (ExecutionException e) {
                LOG.warn("taking over a kernel failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (JsonNode session : bound) {
            String kernelId = session.path("kernel_id").asText("");
            if (adopted.contains(kernelId) && session.path("id").isTextual() && session.path("path").isTextual()) {
                sessions.put(new SessionRecord(session.path("id").asText(), session.path("path").asText(),
                        session.path("name").asText(""), session.path("type").asText("notebook"), kernelId,
                        created(session.path("created").asText(""))));
            }
        }
        if (!adopted.isEmpty()) {
            LOG.info("took over {} kernel(s) left running by the previous server: {}", adopted.size(), adopted);
        }
        return adopted;
    }

    private Optional<String> takeOver(KernelLauncher launcher, JsonNode entry, Duration timeout) {
        String id = entry.path("id").asText("");
        ReleasedKernel released;
        try {
            if (id.isBlank()) {
                throw new IllegalArgumentException("an entry has no 'id'");
            }
            released = ReleasedKernel.fromJson(entry);
        } catch (IllegalArgumentException e) {
            LOG.warn("skipping an entry of the kernel state file: {}", e.getMessage());
            return Optional.empty();
        }
        Optional<RunningKernel> kernel;
        try {
            kernel = launcher.reattach(released, timeout);
        } catch (KernelException | UnsupportedOperationException | IllegalArgumentException e) {
            LOG.warn("kernel {} ({}) left running by the previous server could not be taken over: {}", id,
                    released.specName(), e.getMessage());
            return Optional.empty();
        }
        if (kernel.isEmpty()) {
            LOG.info("kernel {} ({}) left running by the previous server is gone; dropped it", id,
                    released.specName());
            return Optional.empty();
        }
        try {
            kernels.adopt(id, kernel.get());
        } catch (IllegalArgumentException e) {
            LOG.warn("kernel {} could not be adopted ({}); shutting it down", id, e.getMessage());
            kernel.get().close();
            return Optional.empty();
        }
        return Optional.of(id);
    }

    /** Writes a file only its owner can read, atomically, in a directory only its owner can enter. */
    private static void writePrivately(Path file, byte[] bytes) throws IOException {
        Path dir = file.getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } else {
            Files.createDirectories(dir);
        }
        Path temp = dir.resolve("." + FILE_NAME + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(temp);
        if (posix) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(temp);
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static java.time.Instant created(String text) {
        try {
            return java.time.Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return java.time.Instant.now(); // a state file of an older server: the session is as new as the takeover
        }
    }
}
