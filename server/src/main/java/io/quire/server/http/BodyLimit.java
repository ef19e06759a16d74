package io.quire.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Refuses request bodies over a size with 413 and the JSON error body, before anything reads them. Bodies without a
 * declared length (chunked) are bounded by the server's {@code max-payload-size}, set to the same limit.
 */
public final class BodyLimit implements Filter {
    private final long maxBytes;

    /**
     * Creates the filter.
     *
     * @param maxBytes the largest body accepted
     */
    public BodyLimit(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("the body limit must be positive, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        long length = request.headers().first(HeaderNames.CONTENT_LENGTH).map(BodyLimit::parse).orElse(-1L);
        if (length > maxBytes) {
            ErrorResponses.send(response, new ApiException(413, "payload_too_large",
                    "the request body has " + length + " bytes; this server accepts at most " + maxBytes));
            return;
        }
        chain.proceed();
    }

    private static long parse(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
