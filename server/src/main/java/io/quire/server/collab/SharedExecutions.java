package io.quire.server.collab;

import io.quire.collab.DeltaLog;
import io.quire.collab.KernelLeases;
import io.quire.kernels.KernelManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared executions of one server node: one {@link SharedExecution} per open file, all on this node's kernel
 * manager and kernel leases. This is what the real-time channel wires in: when a client subscribes to a file it calls
 * {@link #open(DeltaLog, FileContext)} with the file's log (from {@link io.quire.collab.DeltaLogs}) and adds a
 * {@link SharedExecutionListener}; execute deltas then need nothing more than being submitted to the log.
 *
 * <p>A background timer calls {@link SharedExecution#checkLease()} on every open file every
 * {@link Builder#renewEvery(Duration)} (a third of the TTL by default): holders renew their leases, other nodes read
 * the log and take expired leases over when the file has execute requests left. Tests turn the timer off
 * ({@link Builder#manualTicks()}) and call {@link #tick()}.
 */
public final class SharedExecutions implements AutoCloseable {
    /** The author of the output deltas the kernel's executions write. */
    public static final String DEFAULT_AUTHOR = "quire:kernel";

    /** The {@code ename} of the error output that marks a cell cut off by its node's death. */
    public static final String INTERRUPTED_ENAME = "Interrupted";

    private static final Logger LOG = LoggerFactory.getLogger(SharedExecutions.class);

    /** What every execution of this node shares. */
    record Settings(KernelManager kernels, KernelLeases leases, String nodeId, Duration leaseTtl,
                    Duration flushInterval, String author, Executor threads) {
    }

    private final Settings settings;
    private final Map<UUID, SharedExecution> open = new ConcurrentHashMap<>();
    private final Optional<ScheduledExecutorService> timer;

    private SharedExecutions(Settings settings, Optional<Duration> renewEvery) {
        this.settings = settings;
        this.timer = renewEvery.map(every -> {
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("quire-kernel-leases").factory());
            scheduler.scheduleWithFixedDelay(this::tickQuietly, every.toMillis(), every.toMillis(),
                    TimeUnit.MILLISECONDS);
            return scheduler;
        });
    }

    /**
     * @param kernels the node's kernel manager
     * @param leases  the kernel leases, shared by every node on one database
     * @return a builder
     */
    public static Builder builder(KernelManager kernels, KernelLeases leases) {
        return new Builder(kernels, leases);
    }

    /**
     * The shared execution of a file, opened on first use: it subscribes to the log and queues the execute requests
     * the lease's progress does not mark done. Later calls for the same file return the same instance (the context of
     * the first call stays).
     *
     * @param log     the file's log
     * @param context organisation and working directory of the file's kernel
     * @return the file's shared execution
     */
    public SharedExecution open(DeltaLog log, FileContext context) {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(context, "context");
        boolean[] created = {false};
        SharedExecution execution = open.computeIfAbsent(log.fileId(), id -> {
            created[0] = true;
            return new SharedExecution(log, context, settings);
        });
        if (created[0]) {
            execution.start();
        }
        return execution;
    }

    /**
     * @param fileId a file
     * @return its shared execution on this node, if open
     */
    public Optional<SharedExecution> get(UUID fileId) {
        return Optional.ofNullable(open.get(fileId));
    }

    /**
     * Closes a file's shared execution (its kernel stops and its lease is released); the next {@link #open} starts
     * afresh.
     *
     * @param fileId the file
     */
    public void close(UUID fileId) {
        SharedExecution execution = open.remove(fileId);
        if (execution != null) {
            execution.close();
        }
    }

    /** Renews or checks the lease of every open file once (what the timer does). */
    public void tick() {
        for (SharedExecution execution : List.copyOf(open.values())) {
            execution.checkLease();
        }
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("checking kernel leases failed: {}", e.toString());
        }
    }

    /** @return this node's id in the lease table */
    public String nodeId() {
        return settings.nodeId();
    }

    /** @return the author of output deltas */
    public String author() {
        return settings.author();
    }

    /** Stops the timer and closes every open file's execution (kernels stop, leases are released). */
    @Override
    public void close() {
        timer.ifPresent(ScheduledExecutorService::shutdownNow);
        for (UUID fileId : List.copyOf(open.keySet())) {
            close(fileId);
        }
    }

    /** Settings of {@link SharedExecutions}; every setting but the kernel manager and leases has a default. */
    public static final class Builder {
        private final KernelManager kernels;
        private final KernelLeases leases;
        private String nodeId = "node-" + UUID.randomUUID();
        private Duration leaseTtl = Duration.ofSeconds(15);
        private Optional<Duration> renewEvery = Optional.empty();
        private boolean manual;
        private Duration flushInterval = Duration.ofMillis(100);
        private String author = DEFAULT_AUTHOR;
        private Executor threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
                .name("quire-shared-exec-", 0).factory());

        private Builder(KernelManager kernels, KernelLeases leases) {
            this.kernels = Objects.requireNonNull(kernels, "kernels");
            this.leases = Objects.requireNonNull(leases, "leases");
        }

        /**
         * @param value this node's id, unique among the nodes on one database (default: random per process)
         * @return this builder
         */
        public Builder nodeId(String value) {
            Objects.requireNonNull(value, "nodeId");
            if (value.isBlank() || value.length() > 255) {
                throw new IllegalArgumentException("node id must be 1 to 255 characters, got '" + value + "'");
            }
            this.nodeId = value;
            return this;
        }

        /**
         * @param value how long a lease lasts without renewal (default 15 s): how long a dead node's files wait
         * @return this builder
         */
        public Builder leaseTtl(Duration value) {
            this.leaseTtl = positive(value, "lease TTL");
            return this;
        }

        /**
         * @param value how often leases are renewed and checked (default a third of the TTL)
         * @return this builder
         */
        public Builder renewEvery(Duration value) {
            this.renewEvery = Optional.of(positive(value, "renewal interval"));
            this.manual = false;
            return this;
        }

        /**
         * No background timer: leases are renewed and checked only by {@link #tick()} and by the workers (tests).
         *
         * @return this builder
         */
        public Builder manualTicks() {
            this.manual = true;
            return this;
        }

        /**
         * @param value the longest time a running cell's new outputs wait before they are persisted (default 100 ms)
         * @return this builder
         */
        public Builder flushInterval(Duration value) {
            this.flushInterval = positive(value, "flush interval");
            return this;
        }

        /**
         * @param value the author of output deltas (default {@value #DEFAULT_AUTHOR})
         * @return this builder
         */
        public Builder author(String value) {
            Objects.requireNonNull(value, "author");
            if (value.isBlank()) {
                throw new IllegalArgumentException("author must not be blank");
            }
            this.author = value;
            return this;
        }

        /**
         * @param value runs the per-file workers (default: a virtual thread each)
         * @return this builder
         */
        public Builder threads(Executor value) {
            this.threads = Objects.requireNonNull(value, "threads");
            return this;
        }

        /** @return the shared executions of this node */
        public SharedExecutions build() {
            Optional<Duration> every = manual ? Optional.empty()
                    : Optional.of(renewEvery.orElse(leaseTtl.dividedBy(3)));
            return new SharedExecutions(new Settings(kernels, leases, nodeId, leaseTtl, flushInterval, author,
                    threads), every);
        }

        private static Duration positive(Duration value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + value);
            }
            return value;
        }
    }
}
