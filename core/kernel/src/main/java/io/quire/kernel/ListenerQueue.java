package io.quire.kernel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/*
 * The calls waiting for one listener, run one at a time in submission order on the callback executor (like
 * SerialExecutor), with a bound on what a flooding kernel can pile up behind a slow listener.
 *
 * Policy. The I/O thread must never block and must never lose a reply, so offering never waits, and only
 * "sheddable" calls are bounded: IOPub output (stream, display_data, update_display_data, clear_output, comm_msg,
 * debug_event and any other type not listed in KEPT). When `limit` sheddable calls are already waiting, a new one is
 * dropped and counted in the client-wide counter. Everything else is always queued: shell and control replies,
 * stdin input requests, state changes, and the IOPub messages that carry lifecycle rather than volume (status, so
 * executions still see idle; execute_input, execute_result and error, one per request; comm_open and comm_close).
 * Their number is bounded by the requests in flight, not by how much the kernel prints.
 *
 * Logging: one WARN when a listener starts shedding, and one more when it has caught up (its sheddable backlog
 * fell to half the limit) with the number dropped in that burst, so a flood costs two log lines, not thousands. The
 * first line is written on the I/O thread, the second on the callback thread.
 */
final class ListenerQueue implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerQueue.class);

    /** IOPub message types that are never shed. */
    static final Set<String> KEPT = Set.of("status", "execute_input", "execute_result", "error", "comm_open",
            "comm_close", "shutdown_reply");

    private record Task(Runnable body, boolean sheddable) {
    }

    private final Executor delegate;
    private final int limit;
    private final LongAdder shedCounter;
    private final String name;
    private final ArrayDeque<Task> tasks = new ArrayDeque<>();
    private boolean running;
    private int sheddableWaiting;
    private boolean shedding;
    private long droppedInBurst;

    /**
     * @param delegate    runs the drain loop
     * @param limit       sheddable calls that may wait
     * @param shedCounter counts every dropped call
     * @param name        the listener, for log lines (e.g. "onAnyMessage listener of kernel python3")
     */
    ListenerQueue(Executor delegate, int limit, LongAdder shedCounter, String name) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
        }
        this.limit = limit;
        this.shedCounter = Objects.requireNonNull(shedCounter, "shedCounter");
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Whether an IOPub message of this type may be shed.
     *
     * @param msgType the IOPub message type
     * @return true for output, false for lifecycle messages
     */
    static boolean sheddable(String msgType) {
        return !KEPT.contains(msgType);
    }

    /** Queues a call that is never dropped. */
    @Override
    public void execute(Runnable task) {
        submit(new Task(task, false));
    }

    /**
     * Queues a call for an IOPub message: dropped when the message is sheddable and the listener is
     * {@code limit} sheddable messages behind.
     *
     * @param msgType the IOPub message type
     * @param task    the call
     * @return whether it was queued
     */
    boolean offerIopub(String msgType, Runnable task) {
        return submit(new Task(task, sheddable(msgType)));
    }

    private boolean submit(Task task) {
        boolean queued;
        boolean startDrain;
        boolean burstStarted = false;
        synchronized (tasks) {
            queued = !task.sheddable() || sheddableWaiting < limit;
            if (queued) {
                tasks.add(task);
                if (task.sheddable()) {
                    sheddableWaiting++;
                }
            } else {
                shedCounter.increment();
                droppedInBurst++;
                burstStarted = !shedding;
                shedding = true;
            }
            startDrain = queued && !running;
            if (startDrain) {
                running = true;
            }
        }
        if (burstStarted) {
            LOG.warn("the {} is too slow: {} IOPub output messages are waiting for it; dropping further output "
                    + "for it until it catches up (replies and status messages are kept)", name, limit);
        }
        if (startDrain) {
            delegate.execute(this::drain);
        }
        return queued;
    }

    private void drain() {
        while (true) {
            Task next;
            long caughtUp = -1;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                } else if (next.sheddable()) {
                    sheddableWaiting--;
                }
                if (shedding && sheddableWaiting <= limit / 2) {
                    shedding = false;
                    caughtUp = droppedInBurst;
                    droppedInBurst = 0;
                }
            }
            if (caughtUp >= 0) {
                LOG.warn("the {} caught up; {} IOPub output messages were dropped for it", name, caughtUp);
            }
            if (next == null) {
                return;
            }
            try {
                next.body().run();
            } catch (RuntimeException e) {
                LOG.error("kernel listener failed", e);
            }
        }
    }
}
