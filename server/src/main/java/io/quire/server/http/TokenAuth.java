package io.quire.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Token authentication as Jupyter clients do it: {@code Authorization: token T} or {@code Authorization: Bearer T},
 * or {@code ?token=T} (browsers cannot set headers on WebSocket upgrades). A missing token is 401, a wrong one 403,
 * with the JSON error body. The paths given as public (health probes, which reveal nothing) need no token; CORS
 * pre-flights never get here ({@link Cors} answers them). Tokens are compared in constant time.
 */
public final class TokenAuth implements Filter {
    private final byte[] token;
    private final List<String> publicPrefixes;

    private TokenAuth(String token, List<String> publicPrefixes) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.publicPrefixes = List.copyOf(publicPrefixes);
    }

    /**
     * Creates the filter.
     *
     * @param token          the server's token; must not be blank
     * @param publicPrefixes path prefixes that need no token (e.g. {@code /health})
     * @return the filter
     */
    public static TokenAuth create(String token, List<String> publicPrefixes) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("the server token must not be blank");
        }
        return new TokenAuth(token, publicPrefixes);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        String path = request.path().rawPath();
        if (publicPrefixes.stream().anyMatch(path::startsWith)) {
            chain.proceed();
            return;
        }
        Optional<String> presented = presented(request);
        if (presented.isEmpty()) {
            ErrorResponses.send(response, new ApiException(401, "unauthorized",
                    "this server needs a token: send 'Authorization: token <token>' or add ?token=<token>"));
            return;
        }
        if (!MessageDigest.isEqual(token, presented.get().getBytes(StandardCharsets.UTF_8))) {
            ErrorResponses.send(response, new ApiException(403, "forbidden", "the token is not valid for this server"));
            return;
        }
        chain.proceed();
    }

    /**
     * The token a request presents, as Jupyter clients send it: {@code Authorization: token <t>} or
     * {@code Bearer <t>}, else the {@code token} query parameter (browsers cannot set headers on WebSockets).
     *
     * @param request the request
     * @return the token, when one is presented
     */
    public static Optional<String> presented(RoutingRequest request) {
        Optional<String> header = request.headers().first(HeaderNames.AUTHORIZATION).map(String::strip);
        if (header.isPresent()) {
            String value = header.get();
            int space = value.indexOf(' ');
            if (space > 0) {
                String scheme = value.substring(0, space).toLowerCase(Locale.ROOT);
                if (scheme.equals("token") || scheme.equals("bearer")) {
                    return Optional.of(value.substring(space + 1).strip());
                }
            }
        }
        return request.query().first("token").asOptional();
    }
}
