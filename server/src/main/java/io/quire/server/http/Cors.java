package io.quire.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Cross-origin requests from browsers, per {@link CorsConfig}. Runs before authentication.
 *
 * <p>A request without {@code Origin}, or from the server's own origin (the {@code Origin} names the {@code Host} the
 * request was sent to), passes untouched. A pre-flight ({@code OPTIONS} with {@code Access-Control-Request-Method})
 * from a listed origin, asking for an allowed method and allowed headers, is answered here with 204 and the CORS
 * headers, without a token (browsers send none on pre-flights); any other pre-flight is refused with 403. Other
 * requests from a listed origin get {@code Access-Control-Allow-Origin} (and the rest) and go on to authentication
 * like any request; requests from any other origin are refused with 403, as Jupyter Server refuses them.
 */
public final class Cors implements Filter {
    private static final String EXPOSED = "X-Request-Id";

    private final CorsConfig config;

    private Cors(CorsConfig config) {
        this.config = config;
    }

    /**
     * Creates the filter.
     *
     * @param config the allowed origins and the rest
     * @return the filter
     */
    public static Cors create(CorsConfig config) {
        return new Cors(Objects.requireNonNull(config, "config"));
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        Optional<String> origin = request.headers().first(HeaderNames.ORIGIN);
        if (origin.isEmpty()) {
            chain.proceed();
            return;
        }
        boolean listed = config.allows(origin.get());
        boolean preflight = request.prologue().method() == Method.OPTIONS
                && request.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        if (preflight) {
            preflight(request, response, origin.get(), listed);
            return;
        }
        if (listed) {
            allowOrigin(response, origin.get());
            response.header(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
            chain.proceed();
            return;
        }
        if (sameOrigin(origin.get(), request.headers().first(HeaderNames.HOST))) {
            chain.proceed();
            return;
        }
        ErrorResponses.send(response, refused(origin.get()));
    }

    private void preflight(RoutingRequest request, RoutingResponse response, String origin, boolean listed) {
        if (!listed) {
            ErrorResponses.send(response, refused(origin));
            return;
        }
        String method = request.headers().first(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD).orElse("").strip()
                .toUpperCase(Locale.ROOT);
        if (!config.allowedMethods().contains(method)) {
            ErrorResponses.send(response, new ApiException(403, "cors_refused", "cross-origin " + method
                    + " requests are not allowed; allowed methods: " + config.allowedMethods()
                    + " (server setting cors-allowed-methods)"));
            return;
        }
        List<String> headers = request.headers().first(HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS)
                .map(value -> Arrays.stream(value.split(",")).map(String::strip).filter(name -> !name.isEmpty())
                        .map(name -> name.toLowerCase(Locale.ROOT)).toList())
                .orElse(List.of());
        List<String> refused = headers.stream().filter(name -> !config.allowedHeaders().contains(name)).toList();
        if (!refused.isEmpty()) {
            ErrorResponses.send(response, new ApiException(403, "cors_refused", "cross-origin requests may not send "
                    + "the headers " + refused + "; allowed: " + config.allowedHeaders()
                    + " (server setting cors-allowed-headers)"));
            return;
        }
        allowOrigin(response, origin);
        response.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, String.join(", ", config.allowedMethods()));
        if (!headers.isEmpty()) {
            response.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, String.join(", ", headers));
        }
        response.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, Long.toString(config.maxAge().toSeconds()));
        response.status(Status.NO_CONTENT_204).send();
    }

    private void allowOrigin(RoutingResponse response, String origin) {
        if (config.anyOrigin()) {
            response.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, CorsConfig.ANY);
        } else {
            response.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response.header(HeaderNames.VARY, "Origin");
        }
        if (config.allowCredentials()) {
            response.header(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
    }

    private static ApiException refused(String origin) {
        return new ApiException(403, "cors_refused", "cross-origin request from '" + origin + "' refused: this "
                + "server does not allow that origin (server setting cors-allowed-origins)");
    }

    /** Whether the origin names the host and port the request was sent to. */
    static boolean sameOrigin(String origin, Optional<String> host) {
        Optional<String> authority = CorsConfig.authority(origin);
        if (authority.isEmpty() || host.isEmpty()) {
            return false;
        }
        String scheme = URI.create(CorsConfig.normalise(origin).orElseThrow()).getScheme();
        String value = host.get().strip().toLowerCase(Locale.ROOT);
        boolean hasPort = value.startsWith("[") ? value.contains("]:") : value.contains(":");
        String hostWithPort = hasPort ? value : value + ":" + (scheme.equals("https") ? 443 : 80);
        return authority.get().equals(hostWithPort);
    }
}
