package io.quire.kernels;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.kernel.Channel;
import io.quire.kernel.EngineHealth;
import io.quire.kernel.KernelClient;
import io.quire.kernel.KernelException;
import io.quire.kernel.KernelLaunchException;
import io.quire.kernel.KernelOwner;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 * Concurrency: kernels live in a ConcurrentHashMap of Entry objects. One small lock, `admission`, makes "check the
 * quotas, take a pooled kernel or register a new entry" atomic, so two parallel starts cannot both slip under a
 * quota; nothing slow happens under it. A start registers its entry (phase WAITING_FOR_CAPACITY) and asks StartSlots
 * for one of the maxConcurrentStarts launch slots; when granted (at once, or when another launch ends) the launch
 * runs on the start executor (a virtual thread per launch), phase STARTING, holding the slot until it has succeeded
 * or failed. The caller just waits on the entry's `ready` future; no lock is held while a kernel starts. Per-kernel
 * lifecycle calls (interrupt, restart, shutdown) are serialised by RunningKernel itself; the entry's fields are
 * atomics or volatile, written by the launch thread, the restart caller, the death listener, the activity listener
 * and the culling pass.
 *
 * Failure: a launch that fails is retried once on a fresh launch (same slot); the second failure is reported with
 * its message. The entry is then unregistered, so the failed kernel is not listed and does not count to quotas.
 *
 * Warm pools (WarmPool): one per (spec, size). A start whose spec, size, cwd and env the pool serves takes an idle
 * pooled kernel under the admission lock (after the quota check, so hand-outs count) and is READY at once, without a
 * launch or a slot; the pool refills in the background, its launches queued behind user starts for slots. A pooled
 * kernel is nobody's until handed out and is never taken back: shutdown destroys it. Pooled kernels are not entries,
 * so list() and the quotas do not see them; poolStatus() does.
 *
 * Activity follows Jupyter Server's MappingKernelManager.start_watching_activity: only IOPub messages count;
 * last_activity moves when the message type or its parent's type is not in UNTRACKED, or while busy; a status
 * message sets execution_state only when its parent's type is tracked (so kernel_info nudges of new
 * connections do not flicker busy/idle), except that the first status after STARTING always yields IDLE.
 * Unlike Jupyter Server, which forgets a kernel that died, a dead kernel stays listed as DEAD with the reason
 * until it is shut down, restarted or culled, so clients can see why it ended.
 *
 * Culling (CullingPolicy): a pass runs every check interval on the housekeeping thread (a single daemon platform
 * thread, created only when pools or culling are configured), reading time from the injected Clock; tests call
 * cullIdleKernels() after moving the clock. A kernel first gets a warning (listeners' onCullWarning), then is culled
 * no earlier than the notice period later, unless activity, busyness or a connection intervened. Passes are
 * serialised by `culling`.
 *
 * shutdownAll() is final: it closes admission (later starts fail), stops the housekeeping thread, drains the pools
 * and shuts every kernel down in parallel.
 */
final class KernelManagerImpl implements KernelManager {
    private static final Logger LOG = LoggerFactory.getLogger(KernelManagerImpl.class);

    /** Jupyter Server's default {@code untracked_message_types}: traffic that is not user activity. */
    static final Set<String> UNTRACKED = Set.of(
            "comm_info_request", "comm_info_reply", "kernel_info_request", "kernel_info_reply",
            "shutdown_request", "shutdown_reply", "interrupt_request", "interrupt_reply",
            "debug_request", "debug_reply", "stream", "display_data", "update_display_data", "execute_input",
            "execute_result", "error", "status", "clear_output", "debug_event", "input_request", "input_reply");

    /** Everything a manager is built from (see {@link KernelManager.Builder} for the meaning of each). */
    record Settings(KernelSource source, Function<String, KernelSpec> specs, Supplier<EngineHealth> health,
                    Clock clock, Supplier<String> ids, Duration startTimeout, Duration shutdownGrace,
                    Executor startExecutor, String defaultKernelName, List<PoolConfig> pools, int maxPerUser,
                    int maxPerOrganisation, int maxConcurrentStarts, Optional<CullingPolicy> culling,
                    Optional<Path> workingDirectory) {
    }

    /** Key of a warm pool. */
    private record PoolKey(String spec, Optional<String> size) {
    }

    private final KernelSource source;
    private final Function<String, KernelSpec> specs;
    private final Supplier<EngineHealth> health;
    private final Clock clock;
    private final Supplier<String> ids;
    private final Duration startTimeout;
    private final Duration shutdownGrace;
    private final Executor startExecutor;
    /** Where a kernel started without a working directory runs, if the server names a place. */
    private final Optional<Path> workingDirectory;
    private final String defaultKernelName;
    private final int maxPerUser;
    private final int maxPerOrganisation;
    private final Optional<CullingPolicy> culling;
    private final StartSlots slots;
    private final Map<PoolKey, WarmPool> pools = new LinkedHashMap<>();
    private final Optional<ScheduledExecutorService> housekeeping;
    private final Map<String, Entry> kernels = new ConcurrentHashMap<>();
    private final List<KernelEvents> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Object admission = new Object();
    private final Object cullingPass = new Object();
    private boolean closed; // guarded by admission

    /**
     * Builds the manager and starts filling its pools.
     *
     * @throws io.quire.kernel.KernelSpecException when a pool names an unknown spec
     * @throws IllegalArgumentException            when two pools have the same spec and size
     */
    KernelManagerImpl(Settings settings) {
        this.source = settings.source();
        this.specs = settings.specs();
        this.health = settings.health();
        this.clock = settings.clock();
        this.ids = settings.ids();
        this.startTimeout = settings.startTimeout();
        this.shutdownGrace = settings.shutdownGrace();
        this.startExecutor = settings.startExecutor();
        this.workingDirectory = settings.workingDirectory();
        this.defaultKernelName = settings.defaultKernelName();
        this.maxPerUser = settings.maxPerUser();
        this.maxPerOrganisation = settings.maxPerOrganisation();
        this.culling = settings.culling();
        this.slots = new StartSlots(settings.maxConcurrentStarts());
        Map<PoolKey, KernelSpec> poolSpecs = new LinkedHashMap<>();
        for (PoolConfig pool : settings.pools()) {
            PoolKey key = new PoolKey(pool.spec(), pool.size());
            if (poolSpecs.put(key, specs.apply(pool.spec())) != null) {
                throw new IllegalArgumentException("two warm pools for kernel spec '" + pool.spec() + "' and size "
                        + pool.size().orElse("(default)"));
            }
        }
        this.housekeeping = poolSpecs.isEmpty() && culling.isEmpty() ? Optional.empty()
                : Optional.of(newHousekeeping());
        for (PoolConfig pool : settings.pools()) {
            PoolKey key = new PoolKey(pool.spec(), pool.size());
            pools.put(key, new WarmPool(pool, poolSpecs.get(key), this::startWithRetry, slots, startExecutor,
                    housekeeping.orElseThrow(), shutdownGrace, workingDirectory));
        }
        culling.ifPresent(policy -> housekeeping.orElseThrow().scheduleWithFixedDelay(this::cullSafely,
                policy.checkInterval().toMillis(), policy.checkInterval().toMillis(), TimeUnit.MILLISECONDS));
        pools.values().forEach(WarmPool::refill);
    }

    private static ScheduledExecutorService newHousekeeping() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("quire-kernel-housekeeping").factory());
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    @Override
    public String defaultKernelName() {
        return defaultKernelName;
    }

    // ------------------------------------------------------------------ start

    @Override
    public ManagedKernelInfo start(KernelRequest request) {
        Objects.requireNonNull(request, "request");
        KernelSpec spec = specs.apply(request.specName());
        String id = ids.get();
        if (id == null || id.isBlank()) {
            throw new IllegalStateException("the kernel id supplier returned a blank id: '" + id + "'");
        }
        WarmPool pool = pools.get(new PoolKey(spec.name(), request.size()));
        boolean poolable = pool != null && pool.serves(request);
        Entry entry;
        Optional<RunningKernel> pooled;
        synchronized (admission) {
            if (closed) {
                throw new KernelLaunchException("the kernel manager is shut down; cannot start kernel '"
                        + spec.name() + "'");
            }
            request.owner().ifPresent(this::checkQuotas);
            pooled = poolable ? pool.take() : Optional.empty();
            entry = new Entry(id, spec.name(), request.owner(), request.size(), sequence.incrementAndGet(), now(),
                    pooled.isPresent() ? KernelPhase.STARTING : KernelPhase.WAITING_FOR_CAPACITY);
            if (kernels.putIfAbsent(id, entry) != null) {
                pooled.ifPresent(kernel -> startExecutor.execute(() -> kernel.shutdown(shutdownGrace)));
                throw new IllegalStateException("the kernel id supplier returned id '" + id + "' twice");
            }
        }
        if (pooled.isPresent()) {
            ready(entry, pooled.get());
            LOG.info("kernel {} ({}) handed out from the warm pool{}", id, spec.name(),
                    request.owner().map(o -> " to " + o.user() + " (" + o.organisation() + ")").orElse(""));
            return entry.snapshot();
        }
        LaunchRequest launch = new LaunchRequest(request.cwd().or(() -> workingDirectory), request.env(),
                Optional.empty(), request.owner(), request.size());
        LOG.info("starting kernel {} ({})", id, spec.name());
        StartSlots.Ticket ticket = slots.request(false, () -> granted(entry, spec, launch));
        entry.ticket = ticket;
        if (entry.removed.get()) {
            cancelWaiting(entry, ticket); // shut down before its ticket was there to cancel
        }
        await(entry);
        return entry.snapshot();
    }

    private void checkQuotas(KernelOwner owner) {
        if (maxPerUser == Integer.MAX_VALUE && maxPerOrganisation == Integer.MAX_VALUE) {
            return;
        }
        int user = 0;
        int organisation = 0;
        for (Entry entry : kernels.values()) {
            if (entry.owner.isPresent()) {
                user += entry.owner.get().user().equals(owner.user()) ? 1 : 0;
                organisation += entry.owner.get().organisation().equals(owner.organisation()) ? 1 : 0;
            }
        }
        if (user >= maxPerUser) {
            throw new KernelQuotaExceededException(KernelQuotaExceededException.Scope.USER, owner.user(), maxPerUser,
                    user);
        }
        if (organisation >= maxPerOrganisation) {
            throw new KernelQuotaExceededException(KernelQuotaExceededException.Scope.ORGANISATION,
                    owner.organisation(), maxPerOrganisation, organisation);
        }
    }

    /** A start slot was granted: launch on the start executor (must not block: runs inside StartSlots callers). */
    private void granted(Entry entry, KernelSpec spec, LaunchRequest request) {
        try {
            startExecutor.execute(() -> launch(entry, spec, request));
        } catch (RejectedExecutionException e) {
            slots.release();
            kernels.remove(entry.id, entry);
            entry.ready.completeExceptionally(new KernelLaunchException("kernel " + entry.id + " (" + entry.name
                    + ") could not be started: the start executor refused it", e));
        }
    }

    /** Runs on a start thread holding a slot: launches, then either publishes the kernel or unregisters the entry. */
    private void launch(Entry entry, KernelSpec spec, LaunchRequest request) {
        RunningKernel kernel;
        try {
            if (entry.removed.get()) {
                throw new KernelLaunchException("kernel " + entry.id + " (" + spec.name()
                        + ") was shut down before it started");
            }
            entry.phase = KernelPhase.STARTING;
            kernel = startWithRetry(spec, request);
        } catch (RuntimeException | Error e) {
            kernels.remove(entry.id, entry);
            LOG.warn("kernel {} ({}) failed to start: {}", entry.id, spec.name(), e.getMessage());
            entry.ready.completeExceptionally(e);
            return;
        } finally {
            slots.release();
        }
        ready(entry, kernel);
        LOG.info("kernel {} ({}) is ready", entry.id, spec.name());
    }

    /** Starts a kernel; a failure is retried once on a fresh launch, a second one reported with its message. */
    private RunningKernel startWithRetry(KernelSpec spec, LaunchRequest request) {
        try {
            return source.start(spec, request, startTimeout);
        } catch (RuntimeException first) {
            LOG.warn("kernel '{}' failed to start ({}); retrying once on a fresh launch", spec.name(),
                    first.getMessage());
            try {
                return source.start(spec, request, startTimeout);
            } catch (RuntimeException second) {
                second.addSuppressed(first);
                throw new KernelLaunchException("kernel '" + spec.name() + "' failed to start twice: "
                        + second.getMessage(), second);
            }
        }
    }

    /** Publishes a started or handed-out kernel on its entry. */
    private void ready(Entry entry, RunningKernel kernel) {
        watch(entry, kernel);
        kernel.onDeath(exit -> died(entry, exit));
        entry.state.compareAndSet(ExecutionState.STARTING, ExecutionState.IDLE);
        entry.phase = KernelPhase.READY;
        entry.ready.complete(kernel);
        if (entry.removed.get()) {
            kernel.shutdown(shutdownGrace); // shut down while it was starting
        }
    }

    @Override
    public ManagedKernelInfo adopt(String id, RunningKernel kernel) {
        Objects.requireNonNull(kernel, "kernel");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a kernel id must not be blank but was '" + id + "'");
        }
        // owner and size are not carried over from the previous process yet: an adopted kernel belongs to nobody
        Entry entry = new Entry(id, kernel.spec().name(), Optional.empty(), Optional.empty(), sequence.incrementAndGet(),
                now(), KernelPhase.READY);
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
        // on the receiving thread: it only reads the clock and swaps references, where a queued listener would start
        // a thread per message
        entry.activityWatch = client.onAnyMessageDirect((channel, message) -> onMessage(entry, channel, message));
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

    @Override
    public List<PoolStatus> poolStatus() {
        return pools.values().stream().map(WarmPool::status).toList();
    }

    @Override
    public EngineHealth health() {
        try {
            return health.get();
        } catch (RuntimeException e) {
            return EngineHealth.unhealthy("the engine health check failed: " + e);
        }
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

    /** Cancels the start of a kernel still waiting for capacity; false when it is no longer waiting. */
    private boolean cancelWaiting(Entry entry, StartSlots.Ticket ticket) {
        if (!slots.cancel(ticket)) {
            return false;
        }
        entry.ready.completeExceptionally(new KernelLaunchException("kernel " + entry.id + " (" + entry.name
                + ") was shut down while waiting for capacity"));
        LOG.info("kernel {} ({}) shut down while waiting for capacity", entry.id, entry.name);
        return true;
    }

    private void shutdown(Entry entry) {
        entry.removed.set(true);
        StartSlots.Ticket ticket = entry.ticket;
        if (ticket != null && cancelWaiting(entry, ticket)) {
            return;
        }
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
        synchronized (admission) {
            closed = true;
        }
        housekeeping.ifPresent(ScheduledExecutorService::shutdownNow);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (WarmPool pool : pools.values()) {
            all.add(pool.close().exceptionally(e -> {
                LOG.warn("draining warm pool {} failed", pool.config().label(), e);
                return null;
            }));
        }
        Map<Entry, CompletableFuture<Void>> shutdowns = new LinkedHashMap<>();
        for (String id : List.copyOf(kernels.keySet())) {
            Entry entry = kernels.remove(id);
            if (entry != null) {
                CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> shutdown(entry), startExecutor)
                        .exceptionally(e -> {
                            LOG.warn("shutting down kernel {} failed", id, e);
                            return null;
                        });
                shutdowns.put(entry, shutdown);
                all.add(shutdown);
            }
        }
        // a kernel that is still starting may take the start timeout; then each gets its grace and the kill
        Duration deadline = startTimeout.plus(shutdownGrace.multipliedBy(3));
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            shutdowns.forEach((entry, shutdown) -> {
                if (!shutdown.isDone()) {
                    LOG.warn("kernel {} ({}) did not shut down within {}; killing it", entry.id, entry.name, deadline);
                    entry.ready.thenAccept(RunningKernel::kill);
                }
            });
        } catch (ExecutionException e) {
            LOG.warn("shutting down kernels failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdowns.forEach((entry, shutdown) -> entry.ready.thenAccept(RunningKernel::kill));
        }
    }

    @Override
    public KernelConnection attach(String id) {
        Entry entry = require(id);
        entry.connections.incrementAndGet();
        AtomicBoolean closedHandle = new AtomicBoolean();
        return new KernelConnection() {
            @Override
            public String kernelId() {
                return id;
            }

            @Override
            public void close() {
                if (closedHandle.compareAndSet(false, true)) {
                    entry.connections.decrementAndGet();
                }
            }
        };
    }

    @Override
    public Registration addListener(KernelEvents listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    // ------------------------------------------------------------------ culling

    private void cullSafely() {
        try {
            cullIdleKernels();
        } catch (RuntimeException e) {
            LOG.warn("culling idle kernels failed", e);
        }
    }

    /**
     * One culling pass at the clock's current time (see CullingPolicy); does nothing without a policy.
     *
     * @return the ids of the kernels culled
     */
    List<String> cullIdleKernels() {
        if (culling.isEmpty()) {
            return List.of();
        }
        CullingPolicy policy = culling.get();
        List<String> culled = new ArrayList<>();
        synchronized (cullingPass) {
            Instant now = now();
            List<Entry> entries = new ArrayList<>(kernels.values());
            entries.sort(Comparator.comparingLong(e -> e.sequence));
            for (Entry entry : entries) {
                if (cullStep(entry, policy, now)) {
                    culled.add(entry.id);
                }
            }
        }
        return culled;
    }

    /** Warns about or culls one kernel; returns whether it was culled. */
    private boolean cullStep(Entry entry, CullingPolicy policy, Instant now) {
        ExecutionState state = entry.state.get();
        if (entry.phase != KernelPhase.READY || state == ExecutionState.RESTARTING) {
            entry.cullNotice = null;
            return false;
        }
        Instant lastActivity = entry.lastActivity;
        Instant cullAt = lastActivity.plus(policy.idleTimeout());
        boolean spared = state != ExecutionState.DEAD
                && ((!policy.cullBusy() && state == ExecutionState.BUSY)
                || (!policy.cullConnected() && entry.connections.get() > 0));
        if (spared || now.isBefore(cullAt.minus(policy.warning()))) {
            entry.cullNotice = null;
            return false;
        }
        CullNotice notice = entry.cullNotice;
        if (notice == null || !notice.lastActivity().equals(lastActivity)) {
            Instant at = cullAt.isAfter(now.plus(policy.warning())) ? cullAt : now.plus(policy.warning());
            notice = new CullNotice(lastActivity, at);
            entry.cullNotice = notice;
            Duration remaining = Duration.between(now, at);
            LOG.info("kernel {} ({}) idle since {}; culled in {} unless it becomes active", entry.id, entry.name,
                    lastActivity, remaining);
            notify(listener -> listener.onCullWarning(entry.id, remaining));
        }
        if (now.isBefore(notice.at()) || !kernels.remove(entry.id, entry)) {
            return false;
        }
        LOG.info("culling kernel {} ({}): {} since {}", entry.id, entry.name,
                state == ExecutionState.DEAD ? "dead" : "idle", lastActivity);
        shutdown(entry);
        notify(listener -> listener.onCulled(entry.id));
        return true;
    }

    private void notify(java.util.function.Consumer<KernelEvents> event) {
        for (KernelEvents listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("a kernel event listener failed", e);
            }
        }
    }

    private Instant now() {
        return clock.instant();
    }

    /** A cull warning sent for the idle stretch that began at lastActivity; the kernel goes no earlier than at. */
    private record CullNotice(Instant lastActivity, Instant at) {
    }

    /** What the manager knows about one kernel. */
    private static final class Entry {
        final String id;
        final String name;
        final Optional<KernelOwner> owner;
        final Optional<String> size;
        final long sequence;
        final CompletableFuture<RunningKernel> ready = new CompletableFuture<>();
        final AtomicReference<ExecutionState> state = new AtomicReference<>(ExecutionState.STARTING);
        final AtomicInteger connections = new AtomicInteger();
        final AtomicBoolean removed = new AtomicBoolean();
        volatile KernelPhase phase;
        volatile Instant lastActivity;
        volatile Optional<String> reason = Optional.empty();
        volatile KernelClient watchedClient;
        volatile Registration activityWatch;
        volatile StartSlots.Ticket ticket;
        volatile CullNotice cullNotice;

        Entry(String id, String name, Optional<KernelOwner> owner, Optional<String> size, long sequence,
              Instant started, KernelPhase phase) {
            this.id = id;
            this.name = name;
            this.owner = owner;
            this.size = size;
            this.sequence = sequence;
            this.lastActivity = started;
            this.phase = phase;
        }

        ManagedKernelInfo snapshot() {
            return new ManagedKernelInfo(id, name, lastActivity, state.get(), connections.get(), reason, owner, size,
                    phase);
        }
    }
}
