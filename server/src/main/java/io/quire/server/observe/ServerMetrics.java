package io.quire.server.observe;

import io.quire.kernels.ExecutionState;
import io.quire.kernels.ManagedKernelInfo;
import io.quire.kernels.PoolStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Quire's server metrics, in one {@link Metrics} registry:
 * <ul>
 *     <li>{@code quire_http_requests_total{method,route,status}} and
 *     {@code quire_http_request_duration_seconds{method,route}}, recorded by {@link HttpMetricsFilter};</li>
 *     <li>{@code quire_kernels{state}}, read from the kernel manager at scrape time (every state, zeros included);</li>
 *     <li>{@code quire_websocket_connections}, read from the kernel channels at scrape time;</li>
 *     <li>{@code quire_kernel_pool_kernels{spec,size,state}} (state {@code idle} or {@code starting}) and
 *     {@code quire_kernel_pool_handed_out_total{spec,size}}, read from the warm pools at scrape time;</li>
 *     <li>{@code quire_executions_total} and {@code quire_iopub_messages_total}, counted by the kernel channels
 *     through {@link #executionRequested()} and {@link #iopubMessage()} (IOPub per connection reached).</li>
 * </ul>
 * Thread-safe.
 */
public final class ServerMetrics {
    private final Metrics registry = Metrics.create();
    private final Metrics.Counter requests;
    private final Metrics.Histogram durations;
    private final Metrics.Counter executions;
    private final Metrics.Counter iopubMessages;
    private final AtomicReference<IntSupplier> webSocketConnections = new AtomicReference<>(() -> 0);
    private final AtomicReference<Supplier<List<PoolStatus>>> pools = new AtomicReference<>(List::of);

    private ServerMetrics(Supplier<? extends Collection<ManagedKernelInfo>> kernels) {
        requests = registry.counter("quire_http_requests_total",
                "HTTP requests served, by method, route template and status code.", "method", "route", "status");
        durations = registry.histogram("quire_http_request_duration_seconds",
                "Time from receiving an HTTP request to having sent its response, by method and route template.",
                "method", "route");
        registry.gauge("quire_kernels", "Kernels known to the server, by execution state.", List.of("state"),
                () -> byState(kernels.get()));
        registry.gauge("quire_websocket_connections", "Open kernel channel WebSocket connections.",
                () -> webSocketConnections.get().getAsInt());
        registry.gauge("quire_kernel_pool_kernels", "Kernels in warm pools, by spec, size and state (idle or starting).",
                List.of("spec", "size", "state"), () -> pools.get().get().stream()
                        .flatMap(pool -> Stream.of(
                                new Metrics.Sample(List.of(pool.spec(), pool.size().orElse(""), "idle"), pool.idle()),
                                new Metrics.Sample(List.of(pool.spec(), pool.size().orElse(""), "starting"),
                                        pool.starting())))
                        .toList());
        registry.gauge("quire_kernel_pool_handed_out_total", "Kernels handed from warm pools to sessions, by spec and size.",
                List.of("spec", "size"), () -> pools.get().get().stream()
                        .map(pool -> new Metrics.Sample(List.of(pool.spec(), pool.size().orElse("")), pool.handedOut()))
                        .toList());
        executions = registry.counter("quire_executions_total",
                "Code execution requests (execute_request) sent to kernels.");
        iopubMessages = registry.counter("quire_iopub_messages_total",
                "IOPub messages relayed from kernels to WebSocket clients (one per connection reached).");
    }

    /**
     * Creates the metrics.
     *
     * @param kernels lists the kernels, such as {@code kernelManager::list}; called at every scrape
     * @return the metrics
     */
    public static ServerMetrics create(Supplier<? extends Collection<ManagedKernelInfo>> kernels) {
        return new ServerMetrics(Objects.requireNonNull(kernels, "kernels"));
    }

    /**
     * Sets where the WebSocket connection gauge reads from, such as {@code kernelChannels::connections}. Separate
     * from {@link #create} because the channels take these metrics when they are built. Until set, the gauge is 0.
     *
     * @param connections the number of open connections; called at every scrape
     */
    public void webSocketConnections(IntSupplier connections) {
        webSocketConnections.set(Objects.requireNonNull(connections, "connections"));
    }

    /**
     * Sets where the pool gauges read from, such as {@code kernelManager::poolStatus}. Until set, there are no pools.
     *
     * @param status the pools' status; called at every scrape
     */
    public void pools(Supplier<List<PoolStatus>> status) {
        pools.set(Objects.requireNonNull(status, "status"));
    }

    /**
     * Records one served HTTP request.
     *
     * @param method        the method label, bounded (see {@link RouteTemplates#method(String)})
     * @param route         the route template, never a raw path
     * @param status        the response status code
     * @param durationNanos how long the request took
     */
    public void requestCompleted(String method, String route, int status, long durationNanos) {
        requests.inc(method, route, Integer.toString(status));
        durations.observe(durationNanos / 1e9, method, route);
    }

    /** Counts one {@code execute_request} a client sent to a kernel (shell channel). */
    public void executionRequested() {
        executions.inc();
    }

    /**
     * Counts one IOPub message relayed from a kernel to one WebSocket connection; a message that reaches two
     * connections counts twice.
     */
    public void iopubMessage() {
        iopubMessages.inc();
    }

    /**
     * The registry, for scraping or for adding metrics of other features.
     *
     * @return the registry
     */
    public Metrics registry() {
        return registry;
    }

    private static List<Metrics.Sample> byState(Collection<ManagedKernelInfo> kernels) {
        Map<ExecutionState, Integer> counts = new EnumMap<>(ExecutionState.class);
        for (ExecutionState state : ExecutionState.values()) {
            counts.put(state, 0);
        }
        for (ManagedKernelInfo kernel : kernels) {
            counts.merge(kernel.executionState(), 1, Integer::sum);
        }
        List<Metrics.Sample> samples = new ArrayList<>(counts.size());
        counts.forEach((state, count) -> samples.add(new Metrics.Sample(List.of(state.wireName()), count)));
        return samples;
    }
}
