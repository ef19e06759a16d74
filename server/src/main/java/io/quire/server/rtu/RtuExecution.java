package io.quire.server.rtu;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.collab.DeltaLog;
import io.quire.collab.rtu.RtuCodec;
import io.quire.collab.rtu.RtuEvent;
import io.quire.server.collab.ControlResult;
import io.quire.server.collab.FileContext;
import io.quire.server.collab.SharedExecution;
import io.quire.server.collab.SharedExecutionEvent;
import io.quire.server.collab.SharedExecutions;
import io.quire.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the real-time channel to shared execution (decision 0025): the node's {@link SharedExecutions}, opened for
 * a file when the channel opens its log; every {@link SharedExecutionEvent} of an open file becomes an
 * {@link RtuEvent.Execution} published to the file's subscribers on this node; a new subscriber gets the current
 * {@link SharedExecution#status()}; kernel control requests are applied here when this node holds the file's kernel
 * lease, else recorded in the store for the holder, which polls for them.
 *
 * <p>Threads. Shared execution calls its listeners under the delta log's lock (a delta's listener enqueues the request
 * and reports it {@code queued}), while the hub takes its topic lock before the log's lock; so events are handed to one
 * publishing thread of this node, which publishes them in the order they happened, each after fanning out the log's
 * new deltas (the output deltas shared execution submits go to the log directly, not through a topic; without this
 * a single-user node, which does not poll, would never send them). The status sent to a new
 * subscriber is computed on that thread too, after the events before it.
 */
public final class RtuExecution implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RtuExecution.class);

    private final RtuHub hub;
    private final SharedExecutions executions;
    private final Optional<KernelControls> controls;
    private final Duration leaseTtl;
    private final Map<UUID, SharedExecution> files = new ConcurrentHashMap<>();
    private final ExecutorService publisher = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
            .name("quire-rtu-exec-events").factory());
    private final Optional<ScheduledExecutorService> controlPoller;

    /**
     * Creates the connection.
     *
     * @param hub        the node's fan-out
     * @param executions the node's shared executions (closed with this)
     * @param store      team mode: the store where control requests for other nodes are recorded; empty in
     *                   single-user mode (one node holds every lease)
     * @param clock      the clock of the lease table
     * @param leaseTtl   the kernel lease TTL: control requests older than this are dropped
     */
    public RtuExecution(RtuHub hub, SharedExecutions executions, Optional<Store> store, Clock clock,
            Duration leaseTtl) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.executions = Objects.requireNonNull(executions, "executions");
        this.controls = Objects.requireNonNull(store, "store").map(s -> new KernelControls(s, clock));
        this.leaseTtl = Objects.requireNonNull(leaseTtl, "leaseTtl");
        hub.orderExecutionEventsOn(publisher);
        Duration interval = hub.options().pollInterval();
        this.controlPoller = controls.isEmpty() || interval.isZero() ? Optional.empty() : Optional.of(interval)
                .map(every -> {
                    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                            Thread.ofPlatform().daemon().name("quire-rtu-controls").factory());
                    scheduler.scheduleWithFixedDelay(this::pollControls, every.toNanos(), every.toNanos(),
                            TimeUnit.NANOSECONDS);
                    return scheduler;
                });
    }

    /** @return the node's shared executions */
    public SharedExecutions executions() {
        return executions;
    }

    /**
     * Opens a file's shared execution (once per file on this node) and forwards its events to the file's
     * subscribers; the hub keeps reading the file's log from then on, so execute requests other nodes sequence reach
     * the execution within a poll interval.
     *
     * @param logId   the file's log id
     * @param log     its log
     * @param context organisation and working directory of its kernel
     */
    void open(UUID logId, DeltaLog log, FileContext context) {
        files.computeIfAbsent(logId, id -> {
            SharedExecution execution = executions.open(log, context);
            execution.addListener(event -> publisher.execute(() -> {
                hub.pump(id); // the output delta the event goes with was submitted to the log, not through a topic
                hub.publish(id, toRtu(event, "-"));
            }));
            hub.keepPolling(id);
            return execution;
        });
    }

    /** Sends a new subscriber the execution state of its file, after the events already handed on. */
    void sendStatus(UUID logId, Subscription subscription) {
        SharedExecution execution = files.get(logId);
        if (execution == null) {
            return;
        }
        publisher.execute(() -> {
            if (!subscription.active()) {
                return;
            }
            SharedExecution.Status status = execution.status();
            // a node that does not run the kernel tells what the holder last relayed (decision 0028)
            Optional<RtuEvent.KernelStatus> remote = status.holdsLease() ? Optional.empty() : hub.remoteKernel(logId);
            subscription.sink().offer(RtuCodec.write(remote.<RtuEvent.Execution>map(kernel -> new RtuEvent.KernelStatus(
                    subscription.fileId(), kernel.state(), kernel.reason())).orElseGet(() -> toRtu(status.kernel(),
                    subscription.fileId()))));
            for (SharedExecutionEvent.CellStateChanged cell : status.cells()) {
                RtuEvent.CellState local = (RtuEvent.CellState) toRtu(cell, subscription.fileId());
                Optional<String> known = status.holdsLease() ? Optional.empty() : hub.cellState(logId,
                        cell.executeSeq(), cell.cellId());
                if (known.isEmpty() || known.get().equals("queued") || known.get().equals(local.state())) {
                    subscription.sink().offer(RtuCodec.write(local));
                } else if (known.get().equals("running")) {
                    subscription.sink().offer(RtuCodec.write(new RtuEvent.CellState(local.fileId(),
                            local.executeSeq(), local.cellId(), "running", Optional.empty(),
                            local.executionCount())));
                } // else it ended on the holder: nothing to show
            }
        });
    }

    /**
     * Applies or forwards a kernel control request and tells the file's subscribers on this node.
     *
     * @param logId   the file's log id
     * @param control the request
     * @param by      who asked
     * @return the result as sent ({@code applied}, {@code forwarded}, {@code no_kernel})
     */
    String control(UUID logId, RtuEvent.KernelControl control, String by) {
        SharedExecution execution = files.get(logId);
        ControlResult result = execution == null ? ControlResult.NO_KERNEL : apply(execution, control.action(), by);
        String outcome;
        if (result == ControlResult.ELSEWHERE && controls.isPresent()) {
            controls.get().record(logId, control.action(), by);
            outcome = "forwarded";
        } else {
            outcome = result == ControlResult.APPLIED ? "applied" : "no_kernel";
        }
        RtuEvent.KernelControlled event = new RtuEvent.KernelControlled("-", control.action(), by, outcome);
        publisher.execute(() -> hub.publish(logId, event));
        return outcome;
    }

    private static ControlResult apply(SharedExecution execution, String action, String by) {
        return switch (action) {
            case "interrupt" -> execution.interrupt(by);
            case "restart" -> execution.restart(by);
            case "shutdown_kernel" -> execution.shutdown(by);
            default -> throw new IllegalArgumentException("unknown kernel control '" + action + "'");
        };
    }

    /** Applies the control requests other nodes recorded for the files whose lease this node holds. */
    private void pollControls() {
        for (Map.Entry<UUID, SharedExecution> file : files.entrySet()) {
            try {
                if (!file.getValue().status().holdsLease()) {
                    continue;
                }
                for (KernelControls.Request request : controls.orElseThrow().take(file.getKey(), leaseTtl)) {
                    ControlResult result = apply(file.getValue(), request.action(), request.by());
                    LOG.info("file {}: {} requested by {} on another node: {}", file.getKey(), request.action(),
                            request.by(), result);
                    publisher.execute(() -> hub.publish(file.getKey(), new RtuEvent.KernelControlled("-",
                            request.action(), request.by(), result == ControlResult.APPLIED ? "applied"
                            : "no_kernel")));
                }
            } catch (RuntimeException e) {
                LOG.warn("file {}: polling kernel control requests failed: {}", file.getKey(), e.toString());
            }
        }
    }

    /**
     * The channel's form of a shared execution event.
     *
     * @param event  the event
     * @param fileId the v1 file id to name
     * @return the channel event
     */
    static RtuEvent.Execution toRtu(SharedExecutionEvent event, String fileId) {
        return switch (event) {
            case SharedExecutionEvent.KernelStatusChanged e -> new RtuEvent.KernelStatus(fileId, name(e.status()),
                    e.reason());
            case SharedExecutionEvent.CellStateChanged e -> new RtuEvent.CellState(fileId, e.executeSeq(),
                    e.cellId(), name(e.state()), e.reason(), e.executionCount().map(count -> OptionalLong.of(count))
                    .orElse(OptionalLong.empty()));
            case SharedExecutionEvent.OutputChunk e -> new RtuEvent.OutputChunk(fileId, e.executeSeq(), e.cellId(),
                    e.outputs().stream().map(output -> (JsonNode) output.toJson()).toList(), e.replace());
        };
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** Stops forwarding and closes the node's executions (kernels stop, leases are released). */
    @Override
    public void close() {
        controlPoller.ifPresent(ScheduledExecutorService::shutdownNow);
        executions.close();
        publisher.shutdown();
        try {
            publisher.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        files.clear();
    }

    /** @return the files with an open execution here, for tests */
    List<UUID> openFiles() {
        return List.copyOf(files.keySet());
    }
}
