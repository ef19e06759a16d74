package io.quire.sessions;

import io.quire.kernel.KernelException;
import io.quire.kernel.KernelOwner;
import io.quire.kernels.ExecutionState;
import io.quire.kernels.KernelManager;
import io.quire.kernels.KernelNotFoundException;
import io.quire.kernels.KernelRequest;
import io.quire.kernels.ManagedKernelInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/*
 * The SessionManager implementation, after Jupyter Server's SessionManager and session handlers.
 *
 * Creation per path is de-duplicated without holding a lock while a kernel starts: the first caller for a
 * path registers a future in `creating`, does the work and completes it; concurrent callers for the same path
 * wait on that future. Reads turn stored rows into models; a row whose kernel the kernel manager no longer
 * knows is deleted on the way (Jupyter's row_to_model), and for create() a dead kernel counts as gone too,
 * since Jupyter Server removes dead kernels and would create a fresh session.
 *
 * Kernel environment as in Jupyter: cwd is the directory of the path under the root (walking up to the
 * root while it does not exist), and JPY_SESSION_NAME is cwd/name when a name is given, else the path.
 */
final class SessionManagerImpl implements SessionManager {
    private static final Logger LOG = LoggerFactory.getLogger(SessionManagerImpl.class);

    private final KernelManager kernels;
    private final SessionStore store;
    private final Optional<Path> rootDir;
    private final Clock clock;
    private final Map<String, CompletableFuture<Session>> creating = new ConcurrentHashMap<>();

    SessionManagerImpl(KernelManager kernels, SessionStore store, Optional<Path> rootDir, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.store = Objects.requireNonNull(store, "store");
        this.rootDir = Objects.requireNonNull(rootDir, "rootDir").map(dir -> dir.toAbsolutePath().normalize());
    }

    @Override
    public Opened open(String path, String name, String type, KernelChoice kernel, Optional<KernelOwner> owner) {
        Objects.requireNonNull(owner, "owner");
        requireText("path", path);
        Objects.requireNonNull(name, "name");
        requireText("type", type);
        Objects.requireNonNull(kernel, "kernel");
        while (true) {
            Optional<Session> existing = liveSessionOf(path);
            if (existing.isPresent()) {
                return new Opened(existing.get(), false);
            }
            CompletableFuture<Session> mine = new CompletableFuture<>();
            CompletableFuture<Session> theirs = creating.putIfAbsent(path, mine);
            if (theirs != null) {
                try {
                    return new Opened(theirs.get(), false);
                } catch (ExecutionException e) {
                    continue; // the other creation failed: try ourselves
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SessionException("interrupted while waiting for the session of '" + path + "'");
                }
            }
            try {
                Optional<Session> raced = liveSessionOf(path);
                Session session = raced.orElseGet(() -> createNew(path, name, type, kernel, owner));
                mine.complete(session);
                return new Opened(session, raced.isEmpty());
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
                throw e;
            } finally {
                creating.remove(path, mine);
            }
        }
    }

    /** The session of a path whose kernel is alive; stale rows (kernel gone or dead) are cleaned up. */
    private Optional<Session> liveSessionOf(String path) {
        while (true) {
            Optional<SessionRecord> row = store.findByPath(path);
            if (row.isEmpty()) {
                return Optional.empty();
            }
            Optional<Session> session = toModel(row.get());
            if (session.isPresent() && session.get().kernel().executionState() != ExecutionState.DEAD) {
                return session;
            }
            if (session.isPresent()) {
                LOG.info("session {} of '{}' has a dead kernel {}; replacing it", row.get().id(), path,
                        row.get().kernelId());
                store.remove(row.get().id());
                shutdownQuietly(row.get().kernelId());
            }
        }
    }

    private Session createNew(String path, String name, String type, KernelChoice choice,
            Optional<KernelOwner> owner) {
        String kernelId = switch (choice) {
            case KernelChoice.Existing(String id) -> kernels.get(id).map(ManagedKernelInfo::id)
                    .orElseThrow(() -> new KernelNotFoundException(id));
            case KernelChoice.Named(String spec) -> startKernel(spec, path, name, owner);
            case KernelChoice.DefaultSpec() -> startKernel(kernels.defaultKernelName(), path, name, owner);
        };
        SessionRecord row = new SessionRecord(UUID.randomUUID().toString(), path, name, type, kernelId,
                clock.instant());
        store.put(row);
        LOG.info("session {} created for '{}' with kernel {}", row.id(), path, kernelId);
        return toModel(row).orElseThrow(() -> new KernelNotFoundException(kernelId));
    }

    private String startKernel(String spec, String path, String name, Optional<KernelOwner> owner) {
        Optional<Path> cwd = cwdFor(path);
        String sessionName = name.isEmpty() ? path : cwd.map(dir -> dir.resolve(name).toString()).orElse(name);
        KernelRequest request = KernelRequest.of(spec).withCwd(cwd).withEnv(Map.of("JPY_SESSION_NAME", sessionName));
        return kernels.start(owner.map(request::withOwner).orElse(request)).id();
    }

    /** Jupyter's get_kernel_path + cwd_for_path: the path's directory under the root, or the nearest existing parent. */
    private Optional<Path> cwdFor(String path) {
        return rootDir.map(root -> {
            int slash = path.lastIndexOf('/');
            String dir = slash < 0 ? "" : path.substring(0, slash);
            Path candidate = root.resolve(dir.replaceFirst("^/+", "")).normalize();
            if (!candidate.startsWith(root)) {
                return root;
            }
            while (!Files.isDirectory(candidate) && !candidate.equals(root)) {
                candidate = candidate.getParent();
            }
            return candidate;
        });
    }

    private Optional<Session> toModel(SessionRecord row) {
        Optional<ManagedKernelInfo> kernel = kernels.get(row.kernelId());
        if (kernel.isEmpty()) {
            LOG.warn("kernel {} of session {} is gone; removing the session", row.kernelId(), row.id());
            store.remove(row.id());
            return Optional.empty();
        }
        return Optional.of(new Session(row.id(), row.path(), row.name(), row.type(), kernel.get(), row.created()));
    }

    @Override
    public List<Session> list() {
        List<Session> sessions = new ArrayList<>();
        for (SessionRecord row : store.list()) {
            toModel(row).ifPresent(sessions::add);
        }
        return List.copyOf(sessions);
    }

    @Override
    public Optional<Session> get(String id) {
        Objects.requireNonNull(id, "id");
        return store.get(id).flatMap(this::toModel);
    }

    @Override
    public Session update(String id, SessionUpdate changes) {
        Objects.requireNonNull(changes, "changes");
        Session before = get(id).orElseThrow(() -> new SessionNotFoundException(id));
        changes.path().ifPresent(value -> requireText("path", value));
        changes.type().ifPresent(value -> requireText("type", value));
        // a new kernel for the session belongs to whoever the session's kernel belonged to
        Optional<KernelOwner> owner = kernels.get(before.kernel().id()).flatMap(ManagedKernelInfo::owner);
        String kernelId = changes.kernel().map(choice -> switch (choice) {
            case KernelChoice.Existing(String kid) -> kernels.get(kid).map(ManagedKernelInfo::id)
                    .orElseThrow(() -> new KernelNotFoundException(kid));
            case KernelChoice.Named(String spec) -> startKernel(spec, before.path(), before.name(), owner);
            case KernelChoice.DefaultSpec() -> startKernel(kernels.defaultKernelName(), before.path(), before.name(),
                    owner);
        }).orElse(before.kernel().id());
        SessionRecord row = new SessionRecord(id, changes.path().orElse(before.path()),
                changes.name().orElse(before.name()), changes.type().orElse(before.type()), kernelId,
                before.created());
        store.put(row);
        if (!kernelId.equals(before.kernel().id())) {
            LOG.info("session {} switched from kernel {} to {}", id, before.kernel().id(), kernelId);
            shutdownQuietly(before.kernel().id());
        }
        return toModel(row).orElseThrow(() -> new KernelNotFoundException(kernelId));
    }

    @Override
    public void delete(String id) {
        Objects.requireNonNull(id, "id");
        SessionRecord row = store.get(id).orElseThrow(() -> new SessionNotFoundException(id));
        shutdownQuietly(row.kernelId());
        store.remove(id);
        LOG.info("session {} of '{}' deleted", id, row.path());
    }

    private void shutdownQuietly(String kernelId) {
        try {
            kernels.shutdown(kernelId);
        } catch (KernelNotFoundException e) {
            // already gone
        } catch (KernelException e) {
            LOG.warn("shutting down kernel {} failed: {}", kernelId, e.getMessage());
        }
    }

    private static void requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank but was '" + value + "'");
        }
    }
}
