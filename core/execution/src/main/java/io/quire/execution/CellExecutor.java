package io.quire.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.kernel.ExecuteReply;
import io.quire.kernel.ExecuteRequest;
import io.quire.kernel.ExecutionListener;
import io.quire.kernel.IopubEvent;
import io.quire.kernel.KernelDiedException;
import io.quire.kernel.KernelException;
import io.quire.kernel.PendingExecution;
import io.quire.kernel.RunningKernel;
import io.quire.notebook.Output;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Executes code cells on a kernel, one at a time, and captures their outputs with the semantics of Jupyter's
 * reference executor nbclient (see {@link OutputCollector}): what both a papermill-style {@link NotebookRunner} and a
 * server-side execution in a kernel session need.
 *
 * <p>Design: the caller's thread sends the {@code execute_request} and waits for the reply; IOPub events arrive on the
 * kernel client's event thread and are applied to the caller's output lists while holding the caller's lock, so the
 * caller can take consistent snapshots under the same lock. Display ids are remembered across the cells executed by
 * one executor ({@code update_display_data} may change an output of an earlier cell). While waiting, an optional
 * {@link Events#tick()} runs on the caller's thread every tick interval, without the lock, for periodic saves. A cell
 * over its timeout is interrupted and given a short grace period to stop.
 *
 * <p>Not thread-safe: one thread executes cells with one instance.
 */
public final class CellExecutor {
    private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(5);

    /** Where captured outputs go: the mutable output list of each cell, by the index the caller gives it. */
    @FunctionalInterface
    public interface Outputs {
        /**
         * The output list of a cell; called with the lock held.
         *
         * @param cellIndex the caller's index of the cell
         * @return the list the executor appends to, clears and updates
         */
        List<Output> outputs(int cellIndex);
    }

    /**
     * Follows one cell's execution. Every method but {@link #tick()} is called with the lock held, from the kernel
     * client's event thread or the executing thread; none may block for long.
     */
    public interface Events {
        /**
         * One of nbclient's timing keys for {@code metadata.execution}: {@code iopub.status.busy},
         * {@code iopub.execute_input}, {@code shell.execute_reply}, {@code iopub.status.idle}.
         *
         * @param key the key
         * @param at  when the message arrived
         */
        default void timing(String key, Instant at) {
        }

        /**
         * The kernel announced the cell's execution count.
         *
         * @param count the count
         */
        default void executionCount(int count) {
        }

        /** The cell's outputs (or those of an earlier cell, by display id) changed. */
        default void outputsChanged() {
        }

        /**
         * Text the kernel wrote to a stream, or the {@code text/plain} of a result or display.
         *
         * @param stream {@code stdout}, {@code stderr}, or {@code display}
         * @param text   the text
         */
        default void output(String stream, String text) {
        }

        /** Called on the executing thread, without the lock, every tick interval while the cell runs. */
        default void tick() {
        }
    }

    private final OutputCollector collector;
    private final Object lock;
    private final Clock clock;
    private final Optional<Duration> tick;

    private CellExecutor(Outputs outputs, Object lock, Clock clock, Optional<Duration> tick) {
        this.collector = new OutputCollector(Objects.requireNonNull(outputs, "outputs"));
        this.lock = Objects.requireNonNull(lock, "lock");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tick = tick;
    }

    /**
     * An executor without ticks.
     *
     * @param outputs where outputs go
     * @param lock    held while outputs and events are applied
     * @param clock   the time of timing events
     * @return the executor
     */
    public static CellExecutor create(Outputs outputs, Object lock, Clock clock) {
        return new CellExecutor(outputs, lock, clock, Optional.empty());
    }

    /**
     * An executor that calls {@link Events#tick()} every {@code tick} while a cell runs.
     *
     * @param outputs where outputs go
     * @param lock    held while outputs and events are applied
     * @param clock   the time of timing events
     * @param tick    the interval between ticks, positive
     * @return the executor
     */
    public static CellExecutor create(Outputs outputs, Object lock, Clock clock, Duration tick) {
        Objects.requireNonNull(tick, "tick");
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("tick must be positive, got " + tick);
        }
        return new CellExecutor(outputs, lock, clock, Optional.of(tick));
    }

    /**
     * Executes one cell and waits until the kernel replied and every output was captured. The cell's outputs are
     * cleared first. Input requests are refused ({@code allow_stdin} false).
     *
     * @param kernel  the kernel
     * @param index   the caller's index of the cell, passed to {@link Outputs#outputs}
     * @param code    the source
     * @param timeout the longest the cell may run, or empty for no limit
     * @param events  follows the execution
     * @return how it ended
     * @throws RunException if the wait was interrupted or the client failed in an unexpected way
     */
    public CellResult execute(RunningKernel kernel, int index, String code, Optional<Duration> timeout,
            Events events) {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(events, "events");
        synchronized (lock) {
            collector.begin(index);
            events.outputsChanged();
        }
        ExecutionListener listener = new ExecutionListener() {
            @Override
            public void onEvent(IopubEvent event) {
                Instant now = clock.instant();
                synchronized (lock) {
                    apply(event, now, events);
                }
            }
        };
        PendingExecution pending;
        try {
            pending = kernel.execute(ExecuteRequest.of(code).withAllowStdin(false), listener);
        } catch (KernelDiedException e) {
            return new CellResult.KernelDied(e.getMessage());
        }
        ExecuteReply reply;
        try {
            reply = await(pending, timeout, events);
        } catch (TimeoutException e) {
            Duration limit = timeout.orElseThrow();
            try {
                kernel.interrupt();
            } catch (KernelException interruptFailed) {
                return new CellResult.TimedOut(limit, Optional.of(String.valueOf(interruptFailed.getMessage())));
            }
            try {
                await(pending, Optional.of(INTERRUPT_GRACE), events);
            } catch (TimeoutException | KernelDiedException ignored) {
                // the cell is reported as timed out either way
            }
            return new CellResult.TimedOut(limit, Optional.empty());
        } catch (KernelDiedException e) {
            return new CellResult.KernelDied(String.valueOf(e.getMessage()));
        }
        Instant replied = clock.instant();
        synchronized (lock) {
            events.timing("shell.execute_reply", replied);
            reply.executionCount().ifPresent(events::executionCount);
        }
        return new CellResult.Replied(reply);
    }

    /** Waits for the reply, ticking meanwhile; the timeout counts from the call. */
    private ExecuteReply await(PendingExecution pending, Optional<Duration> timeout, Events events)
            throws TimeoutException {
        long deadline = timeout.map(limit -> System.nanoTime() + limit.toNanos()).orElse(Long.MAX_VALUE);
        var future = pending.reply();
        while (true) {
            long left = timeout.isPresent() ? deadline - System.nanoTime() : Long.MAX_VALUE;
            if (left <= 0) {
                throw new TimeoutException("no reply within " + timeout.orElseThrow());
            }
            long wait = tick.map(interval -> Math.min(interval.toNanos(), left)).orElse(left);
            try {
                return wait == Long.MAX_VALUE ? future.get() : future.get(wait, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (timeout.isPresent() && deadline - System.nanoTime() <= 0) {
                    throw e;
                }
                events.tick();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof KernelException kernelException) {
                    throw kernelException instanceof KernelDiedException died ? died
                            : new KernelDiedException(kernelException.getMessage(), kernelException);
                }
                throw new RunException("execution failed: " + e.getCause(), e.getCause());
            } catch (CancellationException e) {
                throw new KernelDiedException("the execution was cancelled", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunException("interrupted while waiting for the kernel", e);
            }
        }
    }

    private void apply(IopubEvent event, Instant now, Events events) {
        switch (event) {
            case IopubEvent.Status status -> {
                if (status.state() == IopubEvent.ExecutionState.BUSY) {
                    events.timing("iopub.status.busy", now);
                } else if (status.state() == IopubEvent.ExecutionState.IDLE) {
                    events.timing("iopub.status.idle", now);
                }
            }
            case IopubEvent.ExecuteInput input -> {
                events.timing("iopub.execute_input", now);
                if (input.executionCount() > 0) {
                    events.executionCount(input.executionCount());
                }
            }
            case IopubEvent.Stream stream -> {
                collector.stream(stream.name(), stream.text());
                events.outputsChanged();
                events.output(stream.name(), stream.text());
            }
            case IopubEvent.DisplayData display -> {
                collector.display(display.data(), display.metadata(), display.displayId());
                events.outputsChanged();
                textPlain(display.data()).ifPresent(text -> events.output("display", text));
            }
            case IopubEvent.UpdateDisplayData update -> update.displayId().ifPresent(id -> {
                collector.update(id, update.data(), update.metadata());
                events.outputsChanged();
            });
            case IopubEvent.ExecuteResult result -> {
                events.executionCount(result.executionCount());
                collector.result(Optional.of(result.executionCount()), result.data(), result.metadata(),
                        Optional.empty());
                events.outputsChanged();
                textPlain(result.data()).ifPresent(text -> events.output("display", text));
            }
            case IopubEvent.Error error -> {
                collector.error(error.ename(), error.evalue(), error.traceback());
                events.outputsChanged();
            }
            case IopubEvent.ClearOutput clear -> {
                collector.clear(clear.waitForNext());
                events.outputsChanged();
            }
            case IopubEvent.CommOpen ignored -> {
            }
            case IopubEvent.CommMsg ignored -> {
            }
            case IopubEvent.CommClose ignored -> {
            }
            case IopubEvent.Unknown ignored -> {
            }
        }
    }

    private static Optional<String> textPlain(ObjectNode data) {
        var node = data.get("text/plain");
        if (node == null) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            return Optional.of(node.textValue());
        }
        StringBuilder text = new StringBuilder();
        node.forEach(part -> text.append(part.asText()));
        return Optional.of(text.toString());
    }
}
