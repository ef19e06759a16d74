package io.quire.kernels;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.kernel.Channel;
import io.quire.kernel.KernelClient;
import io.quire.kernel.KernelException;
import io.quire.kernel.KernelLaunchException;
import io.quire.kernel.KernelSpec;
import io.quire.kernel.KernelState;
import io.quire.kernel.RawMessage;
import io.quire.kernel.Registration;
import io.quire.kernel.RunningKernel;
import io.quire.kernel.spi.KernelExit;
import io.quire.kernel.spi.LaunchRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/*
 * The KernelManager implementation.
 *
 * Concurrency: kernels live in a ConcurrentHashMap of Entry objects; there is no manager-wide lock. An entry
 * is registered (state STARTING) before its launch is handed to the start executor (a virtual thread per
 * launch), so a caller never holds a lock while a kernel starts and parallel starts run in parallel. Per-kernel
 * lifecycle calls (interrupt, restart, shutdown) are serialised by RunningKernel itself; the entry's own
 * fields are atomics or volatile and are written by the launch thread, the restart caller, the death listener
 * and the activity listener.
 *
 * Activity follows Jupyter Server's MappingKernelManager.start_watching_activity: only IOPub messages count;
 * last_activity moves when the message type or its parent's type is not in UNTRACKED, or while busy; a status
 * message sets execution_state only when its parent's type is tracked (so kernel_info nudges of new
 * connections do not flicker busy/idle), except that the first status after STARTING always yields IDLE.
 * Unlike Jupyter Server, which forgets a kernel that died, a dead kernel stays listed as DEAD with the reason
 * until it is shut down or restarted, so clients can see why it ended.
 *
 * Extension (Docker, warm pools, quotas): the provisioner is chosen by the KernelLauncher handed in, so Docker
 * and Kubernetes need no change here. A warm pool replaces the KernelSource (today launcher::start) with one
 * that hands out a pre-started kernel of the spec and refills in the background; a quota is an admission check
 * at the top of start(), before the entry is registered, throwing its own specific exception. Both plug in
 * through the Builder without changing the public interface.
 */
final class KernelManagerImpl implements KernelManager {
    private static final Logger LOG = LoggerFactory.getLogger(KernelManagerImpl.class);

    /** Jupyter Server's default {@code untracked_message_types}: traffic that is not user activity. */
    static final Set<String> UNTRACKED = Set.of(
            "comm_info_request", "comm_info_reply", "kernel_info_request", "kernel_info_reply",
            "shutdown_request", "shutdown_reply", "interrupt_request", "interrupt_reply",
            "debug_request", "debug_reply", "stream", "display_data", "update_display_data", "execute_input",
            "execute_result", "error", "status", "clear_output", "debug_event", "input_request", "input_reply");

    private final KernelSource source;
    private final Function<String, KernelSpec> specs;
    private final Clock clock;
    private final Supplier<String> ids;
    private final Duration startTimeout;
    private final Duration shutdownGrace;
    private final Executor startExecutor;
    private final String defaultKernelName;
    private final Map<String, Entry> kernels = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    KernelManagerImpl(KernelSource source, Function<String, KernelSpec> specs, Clock clock, Supplier<String> ids,
                      Duration startTimeout, Duration shutdownGrace, Executor startExecutor,
                      String defaultKernelName) {
        this.source = source;
        this.specs = specs;
        this.clock = clock;
        this.ids = ids;
        this.startTimeout = startTimeout;
        this.shutdownGrace = shutdownGrace;
        this.startExecutor = startExecutor;
        this.defaultKernelName = defaultKernelName;
    }

    @Override
    public String defaultKernelName() {
        return defaultKernelName;
    }

    // ------------------------------------------------------------------ start

    @Override
    public ManagedKernelInfo start(String specName, Optional<Path> cwd, Map<String, String> env) {
        Objects.requireNonNull(specName, "specName");
        Objects.requireNonNull(cwd, "cwd");
        KernelSpec spec = specs.apply(specName);
        LaunchRequest request = new LaunchRequest(cwd, env, Optional.empty());
        String id = ids.get();
        if (id == null || id.isBlank()) {
            throw new IllegalStateException("the kernel id supplier returned a blank id: '" + id + "'");
        }
        Entry entry = new Entry(id, spec.name(), sequence.incrementAndGet(), now());
        if (kernels.putIfAbsent(id, entry) != null) {
            throw new IllegalStateException("the kernel id supplier returned id '" + id + "' twice");
        }
        LOG.info("starting kernel {} ({})", id, spec.name());
        CompletableFuture.runAsync(() -> launch(entry, spec, request), startExecutor).exceptionally(failure -> {
            kernels.remove(id, entry); // e.g. an Error, or the executor refused the launch
            entry.ready.completeExceptionally(failure);
            return null;
        });
        await(entry);
        return entry.snapshot();
    }

    /** Runs on a start thread: launches, then either publishes the kernel or unregisters the entry. */
    private void launch(Entry entry, KernelSpec spec, LaunchRequest request) {
        RunningKernel kernel;
        try {
            kernel = source.start(spec, request, startTimeout);
        } catch (RuntimeException e) {
            kernels.remove(entry.id, entry);
            LOG.warn("kernel {} ({}) failed to start: {}", entry.id, spec.name(), e.getMessage());
            entry.ready.completeExceptionally(e);
            return;
        }
        watch(entry, kernel);
        kernel.onDeath(exit -> died(entry, exit));
        entry.state.compareAndSet(ExecutionState.STARTING, ExecutionState.IDLE);
        entry.ready.complete(kernel);
        if (entry.removed.get()) {
            kernel.shutdown(shutdownGrace); // shut down while it was starting
        }
        LOG.info("kernel {} ({}) is ready", entry.id, spec.name());
    }

    @Override
    public ManagedKernelInfo adopt(String id, RunningKernel kernel) {
        Objects.requireNonNull(kernel, "kernel");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a kernel id must not be blank but was '" + id + "'");
        }
        Entry entry = new Entry(id, kernel.spec().name(), sequence.incrementAndGet(), now());
        if (kernels.putIfAbsent(id, entry) != null) {
            throw new IllegalArgumentException("a kernel with id '" + id + "' is already managed");
        }
        watch(entry, kernel);
        kernel.onDeath(exit -> died(entry, exit));
        entry.state.compareAndSet(ExecutionState.STARTING,
                kernel.state() == KernelState.BUSY ? ExecutionState.BUSY : ExecutionState.IDLE);
        entry.ready.complete(kernel);
        LOG.info("kernel {} ({}) adopted", id, entry.name);
        return entry.snapshot();
    }

    private RunningKernel await(Entry entry) {
        try {
            return entry.ready.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof KernelException k) {
                throw k instanceof KernelLaunchException
                        ? new KernelLaunchException(k.getMessage(), k)
                        : new KernelException(k.getMessage(), k);
            }
            throw new KernelLaunchException("kernel " + entry.id + " (" + entry.name + ") failed to start: " + cause,
                    cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException("interrupted while waiting for kernel " + entry.id + " to start", e);
        }
    }

    // ------------------------------------------------------------------ activity and death

    /** Registers the activity listener on the kernel's current client (again after a client change). */
    private void watch(Entry entry, RunningKernel kernel) {
        KernelClient client = kernel.client();
        if (client == entry.watchedClient) {
            return;
        }
        Registration previous = entry.activityWatch;
        if (previous != null) {
            previous.close();
        }
        entry.watchedClient = client;
        entry.activityWatch = client.onAnyMessage((channel, message) -> onMessage(entry, channel, message));
    }

    private void onMessage(Entry entry, Channel channel, RawMessage message) {
        if (channel != Channel.IOPUB) {
            return;
        }
        String type = message.msgType();
        JsonNode parentType = message.parentHeader().path("msg_type");
        // Jupyter counts a missing parent type as tracked (None is not in the untracked list)
        boolean parentTracked = !parentType.isTextual() || !UNTRACKED.contains(parentType.asText());
        if (!UNTRACKED.contains(type) || parentTracked || entry.state.get() == ExecutionState.BUSY) {
            entry.lastActivity = now();
        }
        if (!type.equals("status")) {
            return;
        }
        Optional<ExecutionState> published = ExecutionState.fromWireName(
                message.content().path("execution_state").asText(""));
        if (published.isEmpty()) {
            return;
        }
        ExecutionState next = published.get();
        entry.state.getAndUpdate(current -> {
            if (current != ExecutionState.STARTING && current != ExecutionState.IDLE && current != ExecutionState.BUSY) {
                return current; // restarting or dead: the manager decides, not stray status messages
            }
            if (parentTracked && (next == ExecutionState.IDLE || next == ExecutionState.BUSY
                    || next == ExecutionState.STARTING)) {
                return next;
            }
            return current == ExecutionState.STARTING && next != ExecutionState.STARTING ? ExecutionState.IDLE : current;
        });
    }

    private void died(Entry entry, KernelExit exit) {
        String reason = exit.details().orElse("the kernel exited" + (exit.exitCode().isPresent()
                ? " with code " + exit.exitCode().getAsInt() : ""));
        entry.reason = Optional.of(reason);
        entry.state.set(ExecutionState.DEAD);
        LOG.warn("kernel {} ({}) died: {}", entry.id, entry.name, reason);
    }

    // ------------------------------------------------------------------ queries

    @Override
    public List<ManagedKernelInfo> list() {
        List<Entry> entries = new ArrayList<>(kernels.values());
        entries.sort(Comparator.comparingLong(e -> e.sequence));
        return entries.stream().map(Entry::snapshot).toList();
    }

    @Override
    public Optional<ManagedKernelInfo> get(String id) {
        Objects.requireNonNull(id, "id");
        return Optional.ofNullable(kernels.get(id)).map(Entry::snapshot);
    }

    @Override
    public RunningKernel running(String id) {
        return await(require(id));
    }

    private Entry require(String id) {
        Objects.requireNonNull(id, "id");
        Entry entry = kernels.get(id);
        if (entry == null) {
            throw new KernelNotFoundException(id);
        }
        return entry;
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void interrupt(String id) {
        Entry entry = require(id);
        await(entry).interrupt();
    }

    @Override
    public ManagedKernelInfo restart(String id) {
        Entry entry = require(id);
        RunningKernel kernel = await(entry);
        entry.state.set(ExecutionState.RESTARTING);
        try {
            kernel.restart(startTimeout);
        } catch (KernelException e) {
            entry.reason = Optional.of("restart failed: " + e.getMessage());
            entry.state.set(ExecutionState.DEAD);
            throw new KernelLaunchException("kernel " + id + " (" + entry.name + ") could not be restarted: "
                    + e.getMessage(), e);
        }
        watch(entry, kernel);
        entry.reason = Optional.empty();
        entry.lastActivity = now();
        entry.state.set(ExecutionState.IDLE);
        return entry.snapshot();
    }

    @Override
    public void shutdown(String id) {
        Objects.requireNonNull(id, "id");
        Entry entry = kernels.remove(id);
        if (entry == null) {
            throw new KernelNotFoundException(id);
        }
        shutdown(entry);
    }

    private void shutdown(Entry entry) {
        entry.removed.set(true);
        RunningKernel kernel;
        try {
            // a kernel still starting is shut down here, or by its launch thread if this wait gives up
            kernel = entry.ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return; // its start failed: nothing runs
        } catch (TimeoutException e) {
            LOG.warn("kernel {} still starting after {}; it will be shut down when its start ends", entry.id,
                    startTimeout);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException("interrupted while waiting for kernel " + entry.id + " to start", e);
        }
        Registration watch = entry.activityWatch;
        if (watch != null) {
            watch.close();
        }
        kernel.shutdown(shutdownGrace);
        LOG.info("kernel {} ({}) shut down", entry.id, entry.name);
    }

    @Override
    public void shutdownAll() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (String id : List.copyOf(kernels.keySet())) {
            Entry entry = kernels.remove(id);
            if (entry != null) {
                all.add(CompletableFuture.runAsync(() -> shutdown(entry), startExecutor)
                        .exceptionally(e -> {
                            LOG.warn("shutting down kernel {} failed", id, e);
                            return null;
                        }));
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }

    @Override
    public KernelConnection attach(String id) {
        Entry entry = require(id);
        entry.connections.incrementAndGet();
        AtomicBoolean closed = new AtomicBoolean();
        return new KernelConnection() {
            @Override
            public String kernelId() {
                return id;
            }

            @Override
            public void close() {
                if (closed.compareAndSet(false, true)) {
                    entry.connections.decrementAndGet();
                }
            }
        };
    }

    private Instant now() {
        return clock.instant();
    }

    /** What the manager knows about one kernel. */
    private static final class Entry {
        final String id;
        final String name;
        final long sequence;
        final CompletableFuture<RunningKernel> ready = new CompletableFuture<>();
        final AtomicReference<ExecutionState> state = new AtomicReference<>(ExecutionState.STARTING);
        final AtomicInteger connections = new AtomicInteger();
        final AtomicBoolean removed = new AtomicBoolean();
        volatile Instant lastActivity;
        volatile Optional<String> reason = Optional.empty();
        volatile KernelClient watchedClient;
        volatile Registration activityWatch;

        Entry(String id, String name, long sequence, Instant started) {
            this.id = id;
            this.name = name;
            this.sequence = sequence;
            this.lastActivity = started;
        }

        ManagedKernelInfo snapshot() {
            return new ManagedKernelInfo(id, name, lastActivity, state.get(), connections.get(), reason);
        }
    }
}
