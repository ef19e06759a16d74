package io.quire.server.observe;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and times every HTTP request into {@link ServerMetrics}, labelled with the method, the route template
 * ({@link RouteTemplates}, never the raw path) and the status code.
 *
 * <p>Design: the measurement is taken in a {@code whenSent} listener of the response rather than after
 * {@code chain.proceed()} returns, because the status is not always final then. Helidon 4.5 runs the error handlers
 * of a route handler's exception inside the innermost {@code proceed()}, but those of an exception thrown by a
 * filter only after every filter has returned; the listener runs in both cases, with the status actually sent (404,
 * 500, ...). Responses sent by a filter itself (a 413 from the body limit, a 401 from the token check) are recorded
 * the same way. A request whose response is never sent (the connection dropped) is not recorded. WebSocket upgrades
 * are handled before HTTP routing and do not pass here.
 */
public final class HttpMetricsFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpMetricsFilter.class);

    private final ServerMetrics metrics;
    private final RouteTemplates routes;
    private final LongSupplier nanoTime;

    private HttpMetricsFilter(ServerMetrics metrics, RouteTemplates routes, LongSupplier nanoTime) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * Creates the filter with Quire's route templates and the system's monotonic clock.
     *
     * @param metrics where to record
     * @return the filter
     */
    public static HttpMetricsFilter create(ServerMetrics metrics) {
        return create(metrics, RouteTemplates.quire(), System::nanoTime);
    }

    /**
     * Creates the filter.
     *
     * @param metrics  where to record
     * @param routes   maps paths to route templates
     * @param nanoTime a monotonic clock in nanoseconds (tests pass a fake)
     * @return the filter
     */
    public static HttpMetricsFilter create(ServerMetrics metrics, RouteTemplates routes, LongSupplier nanoTime) {
        return new HttpMetricsFilter(metrics, routes, nanoTime);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        long start = nanoTime.getAsLong();
        String method = RouteTemplates.method(request.prologue().method().text());
        String route = routes.template(request.path().path());
        response.whenSent(() -> {
            try {
                metrics.requestCompleted(method, route, response.status().code(), nanoTime.getAsLong() - start);
            } catch (RuntimeException e) {
                LOG.warn("could not record the metrics of {} {}", method, route, e);
            }
        });
        chain.proceed();
    }
}
