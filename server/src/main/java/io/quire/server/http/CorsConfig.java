package io.quire.server.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which browser pages of other origins may use the server (CORS). Off by default: no origin is listed, so pages of
 * other origins are refused and nothing answers their pre-flights; pages served by the server itself (same origin)
 * and clients that send no {@code Origin} (JupyterLab's server extension, VS Code, the SDK) are not affected.
 *
 * <p>{@code *} allows every origin, and only without credentials: Quire authenticates with a token the page
 * sends in the {@code Authorization} header, never with cookies, so browsers need no credentials mode (and refuse
 * {@code *} with it). WebSockets authenticate with {@code ?token=}, not with that header, so {@code *} does not
 * apply to them: a kernel channel may be opened from a listed origin (or the same origin when none is listed).
 *
 * @param allowedOrigins   origins such as {@code https://lab.example.org}, normalised (lower case, default port
 *                         dropped), or just {@code *}; empty turns CORS off
 * @param allowedMethods   methods a pre-flight may ask for, upper case
 * @param allowedHeaders   request headers a pre-flight may ask for, lower case
 * @param allowCredentials whether to answer {@code Access-Control-Allow-Credentials: true}
 * @param maxAge           how long browsers may cache a pre-flight answer
 */
public record CorsConfig(List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders,
                         boolean allowCredentials, Duration maxAge) {
    /** The wildcard origin. */
    public static final String ANY = "*";
    /** Methods allowed by default. */
    public static final List<String> DEFAULT_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    /** Request headers allowed by default (those Jupyter clients send). */
    public static final List<String> DEFAULT_HEADERS = List.of("authorization", "content-type", "x-requested-with",
            "x-xsrftoken", "x-request-id");
    /** How long pre-flight answers are cached by default. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);

    /**
     * Validates and normalises.
     *
     * @throws IllegalArgumentException naming the bad origin, method or header, or when {@code *} is combined with
     *                                  other origins or with credentials
     */
    public CorsConfig {
        List<String> origins = new ArrayList<>(new LinkedHashSet<>(allowedOrigins.stream()
                .map(CorsConfig::normaliseListedOrigin).toList()));
        if (origins.contains(ANY) && origins.size() > 1) {
            throw new IllegalArgumentException("'*' allows every origin and cannot be listed with others " + origins);
        }
        if (origins.contains(ANY) && allowCredentials) {
            throw new IllegalArgumentException("'*' cannot be combined with credentials (browsers refuse it, and "
                    + "Quire's token header needs none): list the origins, or turn credentials off");
        }
        allowedOrigins = List.copyOf(origins);
        allowedMethods = allowedMethods.stream().map(method -> {
            if (!method.matches("[A-Za-z]+")) {
                throw new IllegalArgumentException("'" + method + "' is not an HTTP method");
            }
            return method.toUpperCase(Locale.ROOT);
        }).distinct().toList();
        allowedHeaders = allowedHeaders.stream().map(header -> {
            if (!header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                throw new IllegalArgumentException("'" + header + "' is not an HTTP header name");
            }
            return header.toLowerCase(Locale.ROOT);
        }).distinct().toList();
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("the pre-flight max age must not be negative, got " + maxAge);
        }
    }

    /**
     * CORS off, with the default methods, headers and max age ready for when origins are listed.
     *
     * @return the configuration
     */
    public static CorsConfig disabled() {
        return new CorsConfig(List.of(), DEFAULT_METHODS, DEFAULT_HEADERS, false, DEFAULT_MAX_AGE);
    }

    /** @return whether any origin is listed */
    public boolean enabled() {
        return !allowedOrigins.isEmpty();
    }

    /** @return whether every origin is allowed ({@code *}) */
    public boolean anyOrigin() {
        return allowedOrigins.equals(List.of(ANY));
    }

    /**
     * Whether a page of this origin may use the HTTP API.
     *
     * @param origin the {@code Origin} header as sent
     * @return true when {@code *} or the (normalised) origin is listed
     */
    public boolean allows(String origin) {
        return anyOrigin() || normalise(origin).map(allowedOrigins::contains).orElse(false);
    }

    /**
     * @param origins origins as in {@link #allowedOrigins()}, not yet normalised
     * @return a copy with them
     */
    public CorsConfig withAllowedOrigins(List<String> origins) {
        return new CorsConfig(origins, allowedMethods, allowedHeaders, allowCredentials, maxAge);
    }

    /**
     * @param methods HTTP methods
     * @return a copy with them
     */
    public CorsConfig withAllowedMethods(List<String> methods) {
        return new CorsConfig(allowedOrigins, methods, allowedHeaders, allowCredentials, maxAge);
    }

    /**
     * @param headers request header names
     * @return a copy with them
     */
    public CorsConfig withAllowedHeaders(List<String> headers) {
        return new CorsConfig(allowedOrigins, allowedMethods, headers, allowCredentials, maxAge);
    }

    /**
     * @param credentials whether to allow credentials
     * @return a copy with it
     */
    public CorsConfig withAllowCredentials(boolean credentials) {
        return new CorsConfig(allowedOrigins, allowedMethods, allowedHeaders, credentials, maxAge);
    }

    /**
     * @param age how long browsers may cache a pre-flight answer
     * @return a copy with it
     */
    public CorsConfig withMaxAge(Duration age) {
        return new CorsConfig(allowedOrigins, allowedMethods, allowedHeaders, allowCredentials, age);
    }

    private static String normaliseListedOrigin(String origin) {
        String trimmed = origin.strip();
        if (trimmed.equals(ANY)) {
            return ANY;
        }
        return normalise(trimmed).orElseThrow(() -> new IllegalArgumentException("'" + origin + "' is not an origin "
                + "(scheme://host[:port], such as https://lab.example.org, without a path), nor '*'"));
    }

    /**
     * An origin as browsers send it: {@code scheme://host[:port]}, lower case, without the scheme's default port.
     *
     * @param origin an origin
     * @return the normalised origin, or empty when it is not an http(s) origin
     */
    static Optional<String> normalise(String origin) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawUserInfo() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            return Optional.empty();
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
    }

    /**
     * {@code host:port} of an origin, with the scheme's default port filled in, for comparing with a {@code Host}
     * header.
     */
    static Optional<String> authority(String origin) {
        return normalise(origin).map(URI::create).map(uri -> uri.getHost() + ":" + (uri.getPort() != -1 ? uri.getPort()
                : uri.getScheme().equals("https") ? 443 : 80));
    }
}
