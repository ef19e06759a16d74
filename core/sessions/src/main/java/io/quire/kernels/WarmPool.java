package io.quire.kernels;

import io.quire.kernel.KernelSpec;
import io.quire.kernel.KernelState;
import io.quire.kernel.Registration;
import io.quire.kernel.RunningKernel;
import io.quire.kernel.spi.KernelExit;
import io.quire.kernel.spi.LaunchRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/*
 * One warm pool: ready kernels of one (spec, size), launched for nobody, handed out once and never taken back.
 *
 * Counting: `starting` covers refills waiting for a start slot and refills launching; refill() tops idle + starting
 * up to maxIdle whenever it has dropped below minIdle. Refill launches take start slots behind user starts
 * (StartSlots), and go through the manager's launch-with-one-retry. A failed refill pauses refilling with a delay
 * that doubles from 1 s to 1 min and is reset by the next success; lastFailure is shown in the status meanwhile.
 *
 * Death: each pooled kernel has a death listener, registered before the kernel is published as idle; a kernel that
 * dies idle is removed, shut down (to release its client) and replaced. Its `dead` mark is set under the pool lock,
 * so a kernel that died between its launch and its publication is never published. take() also skips kernels that
 * are not idle or busy, in case death is noticed later than the take.
 *
 * Lock order: the manager's admission lock, then this pool's lock, then the slots' lock; nothing here calls back into
 * the manager while holding this lock. close() drains: idle kernels are shut down, launches in flight are awaited
 * (their kernels are shut down when they arrive), queued refills give their slot straight back when granted.
 */
final class WarmPool {
    private static final Logger LOG = LoggerFactory.getLogger(WarmPool.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    /** Launches one kernel for the pool (the manager's launch with one retry). */
    @FunctionalInterface
    interface Launch {
        RunningKernel start(KernelSpec spec, LaunchRequest request);
    }

    private static final class Pooled {
        final RunningKernel kernel;
        volatile Registration deathWatch;
        boolean dead; // guarded by the pool

        Pooled(RunningKernel kernel) {
            this.kernel = kernel;
        }
    }

    private final PoolConfig config;
    private final KernelSpec spec;
    private final LaunchRequest request;
    private final Launch launch;
    private final StartSlots slots;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final Duration shutdownGrace;

    // guarded by this
    private final Deque<Pooled> idle = new ArrayDeque<>();
    private final Set<CompletableFuture<Void>> launching = new HashSet<>();
    private int starting;
    private long handedOut;
    private long replaced;
    private int failures;
    private Optional<String> lastFailure = Optional.empty();
    private boolean backingOff;
    private boolean closed;

    WarmPool(PoolConfig config, KernelSpec spec, Launch launch, StartSlots slots, Executor executor,
             ScheduledExecutorService scheduler, Duration shutdownGrace, Optional<Path> cwd) {
        this.config = config;
        this.spec = spec;
        LaunchRequest base = cwd.map(LaunchRequest.defaults()::withCwd).orElse(LaunchRequest.defaults());
        this.request = config.size().map(base::withSize).orElse(base);
        this.launch = launch;
        this.slots = slots;
        this.executor = executor;
        this.scheduler = scheduler;
        this.shutdownGrace = shutdownGrace;
    }

    PoolConfig config() {
        return config;
    }

    /** Whether a start for this pool's spec and size asks for nothing a pooled kernel lacks (see PoolConfig). */
    boolean serves(KernelRequest start) {
        return (start.cwd().isEmpty() || config.cwdIgnored())
                && config.informationalEnv().containsAll(start.env().keySet());
    }

    /** Starts launches when idle + starting kernels dropped below minIdle, up to maxIdle. */
    void refill() {
        int toStart;
        synchronized (this) {
            int have = idle.size() + starting;
            if (closed || backingOff || have >= config.minIdle()) {
                return;
            }
            toStart = config.maxIdle() - have;
            starting += toStart;
        }
        LOG.debug("pool {}: launching {} kernel(s)", config.label(), toStart);
        for (int i = 0; i < toStart; i++) {
            slots.request(true, this::granted);
        }
    }

    /** A start slot was granted to one refill: launch on the executor, or give the slot back when closed. */
    private void granted() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean go;
        synchronized (this) {
            go = !closed;
            if (go) {
                launching.add(done);
            } else {
                starting--;
            }
        }
        if (!go) {
            slots.release();
            return;
        }
        try {
            executor.execute(() -> launchOne(done));
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                starting--;
                launching.remove(done);
            }
            slots.release();
            done.complete(null);
            LOG.warn("pool {}: the start executor refused a refill: {}", config.label(), e.getMessage());
        }
    }

    private void launchOne(CompletableFuture<Void> done) {
        try {
            RunningKernel kernel = null;
            RuntimeException failure = null;
            try {
                kernel = launch.start(spec, request);
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                slots.release();
            }
            if (failure != null) {
                failed(failure);
            } else {
                publish(kernel);
            }
        } finally {
            synchronized (this) {
                launching.remove(done);
            }
            done.complete(null);
        }
    }

    private void publish(RunningKernel kernel) {
        Pooled pooled = new Pooled(kernel);
        pooled.deathWatch = kernel.onDeath(exit -> died(pooled, exit));
        boolean kept;
        boolean diedEarly;
        synchronized (this) {
            starting--;
            failures = 0;
            lastFailure = Optional.empty();
            diedEarly = pooled.dead;
            kept = !closed && !diedEarly;
            if (kept) {
                idle.addLast(pooled);
            } else if (diedEarly) {
                replaced++;
            }
        }
        if (kept) {
            LOG.debug("pool {}: a kernel is ready", config.label());
            return;
        }
        pooled.deathWatch.close();
        kernel.shutdown(shutdownGrace);
        if (diedEarly) {
            refill();
        }
    }

    private void failed(RuntimeException failure) {
        Duration delay;
        boolean schedule;
        synchronized (this) {
            starting--;
            failures++;
            lastFailure = Optional.of(String.valueOf(failure.getMessage()));
            long factor = 1L << Math.min(failures - 1, 6);
            delay = FIRST_BACKOFF.multipliedBy(factor).compareTo(MAX_BACKOFF) > 0
                    ? MAX_BACKOFF : FIRST_BACKOFF.multipliedBy(factor);
            schedule = !closed && !backingOff;
            backingOff = backingOff || schedule;
        }
        LOG.warn("pool {}: a kernel failed to start ({}); refilling again in {}", config.label(),
                failure.getMessage(), delay);
        if (!schedule) {
            return;
        }
        try {
            scheduler.schedule(() -> {
                synchronized (this) {
                    backingOff = false;
                }
                refill();
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("pool {}: no refill scheduled, the manager is shutting down", config.label());
        }
    }

    private void died(Pooled pooled, KernelExit exit) {
        boolean removed;
        synchronized (this) {
            pooled.dead = true;
            removed = idle.remove(pooled);
            if (removed) {
                replaced++;
            }
        }
        if (!removed) {
            return; // handed out meanwhile (its entry watches it now) or not yet published
        }
        LOG.warn("pool {}: an idle kernel died ({}); replacing it", config.label(), exit.reason());
        shutDownQuietly(pooled.kernel);
        refill();
    }

    /**
     * Hands out an idle kernel, or empty when none is ready; the pool forgets it and refills.
     */
    Optional<RunningKernel> take() {
        Pooled taken = null;
        List<Pooled> dead = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return Optional.empty();
            }
            Pooled candidate;
            while ((candidate = idle.pollFirst()) != null) {
                KernelState state = candidate.kernel.state();
                if (state == KernelState.IDLE || state == KernelState.BUSY) {
                    taken = candidate;
                    handedOut++;
                    break;
                }
                candidate.dead = true;
                replaced++;
                dead.add(candidate);
            }
        }
        for (Pooled gone : dead) {
            gone.deathWatch.close();
            shutDownQuietly(gone.kernel);
        }
        if (taken != null) {
            taken.deathWatch.close();
        }
        refill();
        return Optional.ofNullable(taken).map(p -> p.kernel);
    }

    /** Stops refilling and shuts down every pooled kernel; completes when launches in flight have ended too. */
    CompletableFuture<Void> close() {
        List<Pooled> drained;
        List<CompletableFuture<Void>> inFlight;
        synchronized (this) {
            closed = true;
            drained = List.copyOf(idle);
            idle.clear();
            inFlight = List.copyOf(launching);
        }
        List<CompletableFuture<Void>> all = new ArrayList<>(inFlight);
        for (Pooled pooled : drained) {
            pooled.deathWatch.close();
            all.add(CompletableFuture.runAsync(() -> pooled.kernel.shutdown(shutdownGrace), executor)
                    .exceptionally(e -> {
                        LOG.warn("pool {}: shutting down an idle kernel failed", config.label(), e);
                        return null;
                    }));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    synchronized PoolStatus status() {
        return new PoolStatus(config.spec(), config.size(), config.minIdle(), config.maxIdle(), idle.size(), starting,
                handedOut, replaced, lastFailure);
    }

    private void shutDownQuietly(RunningKernel kernel) {
        try {
            executor.execute(() -> kernel.shutdown(shutdownGrace));
        } catch (RejectedExecutionException e) {
            kernel.shutdown(shutdownGrace);
        }
    }
}
