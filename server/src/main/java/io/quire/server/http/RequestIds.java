package io.quire.server.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a sane token, else a new one. The id is
 * returned in the response header and put in the logging context ({@code requestId}) for every log line of the
 * request.
 */
public final class RequestIds implements Filter {
    /** The request id header. */
    public static final HeaderName HEADER = HeaderNames.create("X-Request-Id");
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Creates the filter. */
    public RequestIds() {
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        String id = request.headers().first(HEADER).filter(value -> SANE.matcher(value).matches())
                .orElseGet(() -> UUID.randomUUID().toString());
        response.header(HEADER, id);
        MDC.put("requestId", id);
        try {
            chain.proceed();
        } finally {
            MDC.remove("requestId");
        }
    }
}
