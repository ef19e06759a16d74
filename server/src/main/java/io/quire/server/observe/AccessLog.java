package io.quire.server.observe;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.quire.server.http.RequestIds;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Writes one INFO line per HTTP request on the logger {@value #LOGGER_NAME}:
 * {@code GET /api/contents/a.ipynb 200 1234 3.2 ms} (method, raw path, status, body bytes or {@code -} when the
 * length is not known up front, as for streamed responses, and milliseconds), with the request id in the logging
 * context ({@code requestId}) and the same fields as key-value pairs ({@code method}, {@code path}, {@code status},
 * {@code bytes}, {@code durationMs}) for the JSON log format.
 *
 * <p>The path is the raw path <em>without the query string</em>: Jupyter clients send the token as
 * {@code ?token=...}, and tokens must never reach a log. Headers are not logged either.
 *
 * <p>Design: the line is written from a {@code whenSent} listener, so it has the status actually sent also when an
 * error handler sent the response. For an exception thrown by a filter, Helidon runs the error handler after every
 * filter has returned, when {@link RequestIds} has already cleared the logging context; the listener then restores
 * {@code requestId} from the response's {@code X-Request-Id} header for the one line. Register this filter after
 * {@link RequestIds}.
 */
public final class AccessLog implements Filter {
    /** The logger the lines go to. */
    public static final String LOGGER_NAME = "io.quire.server.access";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
    private static final String MDC_KEY = "requestId";

    private final LongSupplier nanoTime;

    private AccessLog(LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * Creates the filter with the system's monotonic clock.
     *
     * @return the filter
     */
    public static AccessLog create() {
        return create(System::nanoTime);
    }

    /**
     * Creates the filter.
     *
     * @param nanoTime a monotonic clock in nanoseconds (tests pass a fake)
     * @return the filter
     */
    public static AccessLog create(LongSupplier nanoTime) {
        return new AccessLog(nanoTime);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        if (!LOG.isInfoEnabled()) {
            chain.proceed();
            return;
        }
        long start = nanoTime.getAsLong();
        String method = request.prologue().method().text();
        String path = request.path().rawPath();
        response.whenSent(() -> log(method, path, response, nanoTime.getAsLong() - start));
        chain.proceed();
    }

    private static void log(String method, String path, RoutingResponse response, long nanos) {
        boolean restore = MDC.get(MDC_KEY) == null;
        Optional<String> requestId = restore ? response.headers().first(RequestIds.HEADER) : Optional.empty();
        requestId.ifPresent(id -> MDC.put(MDC_KEY, id));
        try {
            int status = response.status().code();
            OptionalLong length = response.headers().contentLength();
            String bytes = length.isPresent() ? Long.toString(length.getAsLong()) : "-";
            String duration = millis(nanos);
            LOG.atInfo()
                    .addKeyValue("method", method)
                    .addKeyValue("path", path)
                    .addKeyValue("status", status)
                    .addKeyValue("bytes", bytes)
                    .addKeyValue("durationMs", duration)
                    .log("{} {} {} {} {} ms", method, path, status, bytes, duration);
        } catch (RuntimeException e) {
            LOG.warn("could not write the access log line of {} {}", method, path, e);
        } finally {
            if (requestId.isPresent()) {
                MDC.remove(MDC_KEY);
            }
        }
    }

    /** Milliseconds with one decimal, such as {@code 3.2}. */
    static String millis(long nanos) {
        long tenths = Math.max(0, nanos) / 100_000;
        return (tenths / 10) + "." + (tenths % 10);
    }
}
