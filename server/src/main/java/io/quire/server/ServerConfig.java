package io.quire.server;

import io.quire.kernel.local.LocalProcessProvisioner;
import io.quire.server.http.CorsConfig;
import io.quire.server.jupyter.ChannelsOptions;
import io.quire.server.rtu.RtuOptions;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a Quire server runs. Read from a YAML file, then the environment, then command-line flags (later wins).
 *
 * <p>Keys (YAML under {@code server:}; each also as the environment variable {@code QUIRE_} + the key in upper case
 * with {@code _} for {@code -}, e.g. {@code QUIRE_IOPUB_MSG_RATE_LIMIT}). Durations are seconds (decimals allowed),
 * sizes are bytes, lists are YAML lists or comma-separated text:
 * <ul>
 *   <li>{@code host} (default {@code 127.0.0.1}) — the address to listen on;</li>
 *   <li>{@code port} (default 8888; 0 picks a free port);</li>
 *   <li>{@code root} (default the current folder) — the folder the contents API serves;</li>
 *   <li>{@code token} (default a random token printed at start);</li>
 *   <li>{@code max-body-bytes} (default 100 MiB) — larger request bodies get 413;</li>
 *   <li>{@code default-kernel} (default {@code python3});</li>
 *   <li>kernel channels, as Jupyter Server's options of the same names: {@code iopub-msg-rate-limit} (messages/s,
 *       default 1000, 0 off), {@code iopub-data-rate-limit} (bytes/s of stream output, default 1000000, 0 off),
 *       {@code rate-limit-window} (default 3); and Quire's own: {@code ws-queue-max-messages} (10000) and
 *       {@code ws-queue-max-bytes} (32 MiB) a WebSocket client may fall behind before it is disconnected,
 *       {@code ws-close-grace} (10), {@code ws-replay-timeout} (60; 0 off), {@code ws-replay-max-messages} (1000)
 *       and {@code ws-replay-max-bytes} (10 MiB) kept for a client that reconnects, {@code ws-direct-write-budget}
 *       (1048576 bytes/s per client written without a thread hand-off; 0 off) (see {@link ChannelsOptions});</li>
 *   <li>CORS (see {@link CorsConfig}): {@code cors-allowed-origins} (default none: off), {@code cors-allowed-methods},
 *       {@code cors-allowed-headers}, {@code cors-allow-credentials} (false), {@code cors-max-age} (600);</li>
 *   <li>shutdown: {@code shutdown-grace} (default 10) — how long in-flight requests may take to finish;
 *       {@code shutdown-kernels} (default true) — false leaves local kernels running, recorded in
 *       {@code state-dir} (default {@code <runtime dir>/server}), for the next start with that state dir to take
 *       over.</li>
 *   <li>the real-time channel (see {@link RtuOptions}): {@code rtu-queue-max-events} (10000) and
 *       {@code rtu-queue-max-bytes} (32 MiB) a client may fall behind before it is told to resync,
 *       {@code rtu-poll-interval} (0.05; how often deltas other server nodes sequenced are fanned out, 0 off) and
 *       {@code rtu-max-catch-up} (1000 deltas; further behind, a subscriber gets a snapshot),
 *       {@code rtu-idle-timeout} (60; seconds a connection may stay silent, pings answered included, before it is
 *       dropped with its subscriptions and presence; 0 off),
 *       {@code rtu-kernel-lease-ttl} (15; seconds a node's kernel lease on a file lasts unrenewed, decision 0020),
 *       {@code rtu-presence-ttl} (15; seconds another node's client stays present without its node repeating it,
 *       decision 0028), and {@code rtu-write-after} (5; seconds a live notebook's log must be quiet before its
 *       document is written to the file or a new version; also written when its last subscriber leaves; 0: only
 *       then; decision 0029).</li>
 * </ul>
 *
 * @param host            the listen address
 * @param port            the port, 0 for any free port
 * @param root            the contents root folder
 * @param token           the access token
 * @param maxBodyBytes    the largest request body accepted
 * @param defaultKernel   the default kernel spec name
 * @param channels        limits of the kernel channels WebSocket
 * @param cors            which other origins may use the server
 * @param shutdownGrace   how long in-flight requests may take to finish when the server stops
 * @param shutdownKernels whether stopping the server shuts its kernels down (else they are left for the next start)
 * @param stateDir        where kernels left running are recorded
 * @param rtu             limits of the real-time channel {@code /api/v1/rtu}
 */
public record ServerConfig(String host, int port, Path root, String token, long maxBodyBytes, String defaultKernel,
                           ChannelsOptions channels, CorsConfig cors, Duration shutdownGrace, boolean shutdownKernels,
                           Path stateDir, RtuOptions rtu) {
    /** The default port, as Jupyter's. */
    public static final int DEFAULT_PORT = 8888;
    /** The default body limit: 100 MiB, as Jupyter Server's. */
    public static final long DEFAULT_MAX_BODY_BYTES = 100L * 1024 * 1024;
    /** The default {@link #shutdownGrace()}. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
    /** Every key, in the order they are documented. */
    public static final List<String> KEYS = List.of("host", "port", "root", "token", "max-body-bytes",
            "default-kernel", "iopub-msg-rate-limit", "iopub-data-rate-limit", "rate-limit-window",
            "ws-queue-max-messages", "ws-queue-max-bytes", "ws-close-grace", "ws-replay-timeout",
            "ws-replay-max-messages", "ws-replay-max-bytes", "ws-direct-write-budget", "cors-allowed-origins", "cors-allowed-methods",
            "cors-allowed-headers", "cors-allow-credentials", "cors-max-age", "shutdown-grace", "shutdown-kernels",
            "state-dir", "rtu-queue-max-events", "rtu-queue-max-bytes", "rtu-poll-interval", "rtu-max-catch-up",
            "rtu-idle-timeout", "rtu-kernel-lease-ttl", "rtu-presence-ttl", "rtu-write-after");

    /** Validates the fields. */
    public ServerConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
        }
        root = root.toAbsolutePath().normalize();
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the token must not be blank");
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("max-body-bytes must be positive, got " + maxBodyBytes);
        }
        Objects.requireNonNull(defaultKernel, "defaultKernel");
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(cors, "cors");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdown-grace must not be negative, got " + shutdownGrace);
        }
        stateDir = stateDir.toAbsolutePath().normalize();
        Objects.requireNonNull(rtu, "rtu");
    }

    /**
     * Defaults: 127.0.0.1:8888, the current folder, a new random token, the documented limits, CORS off, kernels
     * shut down with the server.
     *
     * @return the configuration
     */
    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", DEFAULT_PORT, Path.of(""), randomToken(), DEFAULT_MAX_BODY_BYTES,
                "python3", ChannelsOptions.defaults(), CorsConfig.disabled(), DEFAULT_SHUTDOWN_GRACE, true,
                LocalProcessProvisioner.defaultRuntimeDir().resolve("server"), RtuOptions.defaults());
    }

    /**
     * Reads the configuration: defaults, then the YAML file (if given), then the environment.
     *
     * @param file        a YAML file with a {@code server:} section, or empty
     * @param environment the environment variables
     * @return the configuration
     * @throws IllegalArgumentException if a value is invalid (the message names the key)
     */
    public static ServerConfig load(Optional<Path> file, Map<String, String> environment) {
        ServerConfig config = defaults();
        if (file.isPresent()) {
            config = config.withYaml(file.get());
        }
        return config.withEnvironment(environment);
    }

    private ServerConfig withYaml(Path file) {
        if (!(ConfigFile.section(file, "server").orElse(null) instanceof Map<?, ?> server)) {
            return this;
        }
        ServerConfig config = this;
        for (Map.Entry<?, ?> entry : server.entrySet()) {
            Object value = entry.getValue();
            String text = value instanceof List<?> list
                    ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
                    : String.valueOf(value);
            config = config.with(String.valueOf(entry.getKey()), text, file + ": server.");
        }
        return config;
    }

    private ServerConfig withEnvironment(Map<String, String> environment) {
        ServerConfig config = this;
        for (String key : KEYS) {
            String variable = environmentVariable(key);
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                config = config.with(key, value, "environment variable " + variable + " (server.");
            }
        }
        return config;
    }

    /**
     * The environment variable of a key.
     *
     * @param key a key such as {@code iopub-msg-rate-limit}
     * @return the variable, such as {@code QUIRE_IOPUB_MSG_RATE_LIMIT}
     */
    public static String environmentVariable(String key) {
        return "QUIRE_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * This configuration with one key set.
     *
     * @param key    a key such as {@code port}
     * @param value  its value as text (a list as comma-separated text)
     * @param source where the value came from, for messages
     * @return the changed configuration
     * @throws IllegalArgumentException for an unknown key or a bad value, naming the key
     */
    public ServerConfig with(String key, String value, String source) {
        Draft draft = new Draft(this);
        ChannelsOptions ch = channels;
        try {
            switch (key) {
                case "host" -> draft.host = value;
                case "port" -> draft.port = wholeNumber(value, Integer.MAX_VALUE).intValue();
                case "root" -> draft.root = Path.of(value);
                case "token" -> draft.token = value;
                case "max-body-bytes" -> draft.maxBodyBytes = wholeNumber(value, Long.MAX_VALUE);
                case "default-kernel" -> draft.defaultKernel = value;
                case "iopub-msg-rate-limit" -> draft.channels = ch.withRateLimits(number(value),
                        ch.iopubDataRateLimit(), ch.rateLimitWindow());
                case "iopub-data-rate-limit" -> draft.channels = ch.withRateLimits(ch.iopubMsgRateLimit(),
                        number(value), ch.rateLimitWindow());
                case "rate-limit-window" -> draft.channels = ch.withRateLimits(ch.iopubMsgRateLimit(),
                        ch.iopubDataRateLimit(), seconds(value));
                case "ws-queue-max-messages" -> draft.channels = ch.withQueue(
                        wholeNumber(value, Integer.MAX_VALUE).intValue(), ch.maxQueuedBytes(), ch.closeGrace());
                case "ws-queue-max-bytes" -> draft.channels = ch.withQueue(ch.maxQueuedMessages(),
                        wholeNumber(value, Long.MAX_VALUE), ch.closeGrace());
                case "ws-close-grace" -> draft.channels = ch.withQueue(ch.maxQueuedMessages(), ch.maxQueuedBytes(),
                        seconds(value));
                case "ws-replay-timeout" -> draft.channels = ch.withBuffering(seconds(value),
                        ch.maxBufferedMessages(), ch.maxBufferedBytes());
                case "ws-replay-max-messages" -> draft.channels = ch.withBuffering(ch.bufferTimeout(),
                        wholeNumber(value, Integer.MAX_VALUE).intValue(), ch.maxBufferedBytes());
                case "ws-replay-max-bytes" -> draft.channels = ch.withBuffering(ch.bufferTimeout(),
                        ch.maxBufferedMessages(), wholeNumber(value, Long.MAX_VALUE));
                case "ws-direct-write-budget" -> draft.channels = ch.withDirectWrites(
                        wholeNumber(value, Long.MAX_VALUE), ch.directWriteStall());
                case "cors-allowed-origins" -> draft.cors = cors.withAllowedOrigins(list(value));
                case "cors-allowed-methods" -> draft.cors = cors.withAllowedMethods(list(value));
                case "cors-allowed-headers" -> draft.cors = cors.withAllowedHeaders(list(value));
                case "cors-allow-credentials" -> draft.cors = cors.withAllowCredentials(bool(value));
                case "cors-max-age" -> draft.cors = cors.withMaxAge(seconds(value));
                case "shutdown-grace" -> draft.shutdownGrace = seconds(value);
                case "shutdown-kernels" -> draft.shutdownKernels = bool(value);
                case "state-dir" -> draft.stateDir = Path.of(value);
                case "rtu-queue-max-events" -> draft.rtu = rtu.withQueue(
                        wholeNumber(value, Integer.MAX_VALUE).intValue(), rtu.maxQueuedBytes());
                case "rtu-queue-max-bytes" -> draft.rtu = rtu.withQueue(rtu.maxQueuedEvents(),
                        wholeNumber(value, Long.MAX_VALUE));
                case "rtu-poll-interval" -> draft.rtu = rtu.withPollInterval(seconds(value));
                case "rtu-kernel-lease-ttl" -> draft.rtu = rtu.withKernelLeaseTtl(seconds(value));
                case "rtu-presence-ttl" -> draft.rtu = rtu.withPresenceTtl(seconds(value));
                case "rtu-write-after" -> draft.rtu = rtu.withWriteAfter(seconds(value));
                case "rtu-max-catch-up" -> draft.rtu = rtu.withMaxCatchUp(
                        wholeNumber(value, Integer.MAX_VALUE).intValue());
                case "rtu-idle-timeout" -> draft.rtu = rtu.withIdleTimeout(seconds(value));
                default -> throw new IllegalArgumentException("unknown key; known keys: " + String.join(", ", KEYS));
            }
            return draft.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + key + ": " + e.getMessage() + " (value '" + value + "')", e);
        }
    }

    /** The record's fields, one of which a {@code with} call changes. */
    private static final class Draft {
        String host;
        int port;
        Path root;
        String token;
        long maxBodyBytes;
        String defaultKernel;
        ChannelsOptions channels;
        CorsConfig cors;
        Duration shutdownGrace;
        boolean shutdownKernels;
        Path stateDir;
        RtuOptions rtu;

        Draft(ServerConfig config) {
            host = config.host;
            port = config.port;
            root = config.root;
            token = config.token;
            maxBodyBytes = config.maxBodyBytes;
            defaultKernel = config.defaultKernel;
            channels = config.channels;
            cors = config.cors;
            shutdownGrace = config.shutdownGrace;
            shutdownKernels = config.shutdownKernels;
            stateDir = config.stateDir;
            rtu = config.rtu;
        }

        ServerConfig build() {
            return new ServerConfig(host, port, root, token, maxBodyBytes, defaultKernel, channels, cors,
                    shutdownGrace, shutdownKernels, stateDir, rtu);
        }
    }

    private static Long wholeNumber(String value, long max) {
        try {
            long parsed = Long.parseLong(value.strip().replace("_", ""));
            if (parsed > max) {
                throw new IllegalArgumentException("must be at most " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number", e);
        }
    }

    private static double number(String value) {
        try {
            return new BigDecimal(value.strip().replace("_", "")).doubleValue();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a number", e);
        }
    }

    private static Duration seconds(String value) {
        BigDecimal seconds;
        try {
            seconds = new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a number of seconds, such as 3 or 0.5", e);
        }
        if (seconds.signum() < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
        if (seconds.compareTo(BigDecimal.valueOf(365L * 24 * 3600)) > 0) {
            throw new IllegalArgumentException("must be at most a year");
        }
        return Duration.ofNanos(seconds.movePointRight(9).longValue());
    }

    private static boolean bool(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
    }

    /**
     * A new random token: 24 bytes, hex.
     *
     * @return the token
     */
    public static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", root=" + root + ", token=<hidden>, maxBodyBytes="
                + maxBodyBytes + ", defaultKernel=" + defaultKernel + ", channels=" + channels + ", cors=" + cors
                + ", shutdownGrace=" + shutdownGrace + ", shutdownKernels=" + shutdownKernels + ", stateDir="
                + stateDir + ", rtu=" + rtu + "]";
    }
}
