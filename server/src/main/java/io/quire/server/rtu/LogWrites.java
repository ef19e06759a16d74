package io.quire.server.rtu;

import io.quire.collab.DeltaLog;
import io.quire.collab.SequencedDelta;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes live notebooks from their delta logs to their homes ({@link Writeback}: the file, or a new version) on one
 * node (decision 0029): when a file's log has been quiet for {@link RtuOptions#writeAfter()}, when its last
 * subscriber on this node leaves, and when the hub closes — each time only if the log moved past what the home holds.
 *
 * <p>Design. Each tracked file has a {@link DeltaLog} listener that only notes the time and the last person who
 * changed the document (deltas by {@code quire:…} authors, the kernel's outputs, are not people) and arms a timer on
 * one scheduler thread; the timer writes once the log has been quiet long enough, else it waits out the rest. Writes
 * of one file on this node are serialised by the file's lock, which whole-notebook saves ({@link CollabSaves}) take
 * too. Across nodes nothing is coordinated here: every node that follows a file may try, and the home refuses a seq it
 * already holds or an older one (team mode: in the database transaction that adds the version), so a state is
 * written once and never over a newer one. A node asks the home first ({@link Writeback#written()}) so a node that
 * lost the race does no work. A failed write is logged and tried again after the quiet time.
 */
final class LogWrites implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogWrites.class);

    private final Duration writeAfter;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
            .daemon().name("quire-rtu-write").factory());
    private final Map<UUID, Tracked> files = new ConcurrentHashMap<>();

    /**
     * @param writeAfter how long a log must be quiet before it is written ({@link Duration#ZERO}: only when the last
     *                   subscriber leaves and on close)
     */
    LogWrites(Duration writeAfter) {
        this.writeAfter = Objects.requireNonNull(writeAfter, "writeAfter");
    }

    /** One file's log and what was written of it. */
    private final class Tracked {
        final DeltaLog log;
        final ReentrantLock lock = new ReentrantLock();
        volatile Writeback home;
        volatile long lastChange = System.nanoTime();
        volatile Optional<String> lastEditor = Optional.empty();
        /** The seq the home is known to hold (guarded by lock; -1: ask the home). */
        long written = -1;
        /** The armed timer, if any (guarded by this). */
        private ScheduledFuture<?> pending;

        Tracked(DeltaLog log, Writeback home) {
            this.log = log;
            this.home = home;
        }

        void onDelta(SequencedDelta delta) {
            lastChange = System.nanoTime();
            String author = delta.delta().header().author();
            if (!author.startsWith("quire:")) {
                lastEditor = Optional.of(author);
            }
            if (!writeAfter.isZero()) {
                arm(writeAfter.toNanos());
            }
        }

        synchronized void arm(long nanos) {
            if (pending == null || pending.isDone()) {
                try {
                    pending = timer.schedule(this::whenQuiet, nanos, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    pending = null; // closing: close() writes what is left
                }
            }
        }

        private void whenQuiet() {
            synchronized (this) {
                pending = null;
            }
            long quietFor = System.nanoTime() - lastChange;
            if (quietFor < writeAfter.toNanos()) {
                arm(writeAfter.toNanos() - quietFor);
                return;
            }
            if (!write().succeeded()) {
                arm(writeAfter.toNanos());
            }
        }

        /** Writes the log's current document if the home does not hold it yet. */
        Outcome write() {
            lock.lock();
            try {
                log.refresh(); // another node may have moved it
                DeltaLog.State state = log.state();
                if (written < 0) {
                    written = home.written().orElse(0L);
                }
                if (state.seq() <= written) {
                    return Outcome.UP_TO_DATE;
                }
                Optional<Long> there = home.written(); // another node may have written it meanwhile
                if (there.isPresent() && there.get() >= state.seq()) {
                    written = there.get();
                    return Outcome.UP_TO_DATE;
                }
                Optional<Instant> at = home.write(state.notebook(), state.seq(), lastEditor);
                written = Math.max(state.seq(), written);
                LOG.debug("log {} at seq {}: {}", log.fileId(), state.seq(), at.isPresent() ? "written" : "held");
                return at.isPresent() ? Outcome.WRITTEN : Outcome.UP_TO_DATE;
            } catch (RuntimeException e) {
                LOG.warn("writing file {} from its log failed (tried again later): {}", log.fileId(), e.toString());
                written = -1;
                return Outcome.FAILED;
            } finally {
                lock.unlock();
            }
        }
    }

    /** What a write did. */
    enum Outcome {
        WRITTEN, UP_TO_DATE, FAILED;

        boolean succeeded() {
            return this != FAILED;
        }
    }

    /**
     * Follows a file's log (once per file; a later call only updates where it is written).
     *
     * @param log  the file's log
     * @param home where its document is written
     */
    void track(DeltaLog log, Writeback home) {
        Objects.requireNonNull(home, "home");
        Tracked tracked = files.computeIfAbsent(log.fileId(), id -> {
            Tracked created = new Tracked(log, home);
            log.addListener(created::onDelta);
            return created;
        });
        tracked.home = home;
    }

    /**
     * The lock that serialises writes of a file on this node (held by a whole-notebook save around its merge and
     * write).
     *
     * @param logId the file's log id (a tracked file)
     * @return the lock
     */
    ReentrantLock lock(UUID logId) {
        return require(logId).lock;
    }

    /**
     * Records a write made by someone holding {@link #lock} (a whole-notebook save).
     *
     * @param logId the file's log id
     * @param seq   the seq the home now holds
     */
    void wrote(UUID logId, long seq) {
        Tracked tracked = require(logId);
        tracked.written = Math.max(tracked.written, seq);
    }

    /**
     * The last subscriber of a file on this node left: writes it soon, on the writer thread.
     *
     * @param logId the file's log id
     */
    void lastLeft(UUID logId) {
        Tracked tracked = files.get(logId);
        if (tracked != null) {
            try {
                timer.execute(tracked::write);
            } catch (RejectedExecutionException e) {
                LOG.debug("not writing {} on leave: closing", logId);
            }
        }
    }

    /**
     * Writes a file now if its log moved past what its home holds.
     *
     * @param logId the file's log id
     * @return what happened (empty when the file is not tracked here)
     */
    Optional<Outcome> writeNow(UUID logId) {
        Tracked tracked = files.get(logId);
        return tracked == null ? Optional.empty() : Optional.of(tracked.write());
    }

    private Tracked require(UUID logId) {
        Tracked tracked = files.get(Objects.requireNonNull(logId, "logId"));
        if (tracked == null) {
            throw new IllegalStateException("log " + logId + " is not tracked");
        }
        return tracked;
    }

    /** Stops the timers and writes every file whose log moved since its last write. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Tracked tracked : files.values()) {
            tracked.write();
        }
    }
}
