package io.quire.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * How a Quire server runs. Read from a YAML file, then the environment, then command-line flags (later wins).
 *
 * <p>Keys (YAML under {@code server:}; environment variable in brackets):
 * <ul>
 *   <li>{@code host} ({@code QUIRE_HOST}, default {@code 127.0.0.1}) — the address to listen on;</li>
 *   <li>{@code port} ({@code QUIRE_PORT}, default 8888; 0 picks a free port);</li>
 *   <li>{@code root} ({@code QUIRE_ROOT}, default the current folder) — the folder the contents API serves;</li>
 *   <li>{@code token} ({@code QUIRE_TOKEN}, default a random token printed at start);</li>
 *   <li>{@code max-body-bytes} ({@code QUIRE_MAX_BODY_BYTES}, default 100 MiB) — larger request bodies get 413;</li>
 *   <li>{@code default-kernel} ({@code QUIRE_DEFAULT_KERNEL}, default {@code python3}).</li>
 * </ul>
 *
 * @param host          the listen address
 * @param port          the port, 0 for any free port
 * @param root          the contents root folder
 * @param token         the access token
 * @param maxBodyBytes  the largest request body accepted
 * @param defaultKernel the default kernel spec name
 */
public record ServerConfig(String host, int port, Path root, String token, long maxBodyBytes, String defaultKernel) {
    /** The default port, as Jupyter's. */
    public static final int DEFAULT_PORT = 8888;
    /** The default body limit: 100 MiB, as Jupyter Server's. */
    public static final long DEFAULT_MAX_BODY_BYTES = 100L * 1024 * 1024;

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
    }

    /**
     * Defaults: 127.0.0.1:8888, the current folder, a new random token.
     *
     * @return the configuration
     */
    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", DEFAULT_PORT, Path.of(""), randomToken(), DEFAULT_MAX_BODY_BYTES, "python3");
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
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read configuration " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("configuration " + file + " is not valid YAML: " + e.getMessage(), e);
        }
        if (!(document instanceof Map<?, ?> top) || !(top.get("server") instanceof Map<?, ?> server)) {
            return this;
        }
        ServerConfig config = this;
        for (Map.Entry<?, ?> entry : server.entrySet()) {
            config = config.with(String.valueOf(entry.getKey()), String.valueOf(entry.getValue()), file + ": server.");
        }
        return config;
    }

    private ServerConfig withEnvironment(Map<String, String> environment) {
        ServerConfig config = this;
        for (String key : new String[] {"host", "port", "root", "token", "max-body-bytes", "default-kernel"}) {
            String variable = "QUIRE_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                config = config.with(key, value, "environment variable " + variable + " (server.");
            }
        }
        return config;
    }

    /**
     * This configuration with one key set.
     *
     * @param key    a key such as {@code port}
     * @param value  its value as text
     * @param source where the value came from, for messages
     * @return the changed configuration
     * @throws IllegalArgumentException for an unknown key or a bad value
     */
    public ServerConfig with(String key, String value, String source) {
        try {
            return switch (key) {
                case "host" -> new ServerConfig(value, port, root, token, maxBodyBytes, defaultKernel);
                case "port" -> new ServerConfig(host, Integer.parseInt(value.strip()), root, token, maxBodyBytes, defaultKernel);
                case "root" -> new ServerConfig(host, port, Path.of(value), token, maxBodyBytes, defaultKernel);
                case "token" -> new ServerConfig(host, port, root, value, maxBodyBytes, defaultKernel);
                case "max-body-bytes" -> new ServerConfig(host, port, root, token, Long.parseLong(value.strip()), defaultKernel);
                case "default-kernel" -> new ServerConfig(host, port, root, token, maxBodyBytes, value);
                default -> throw new IllegalArgumentException("unknown key");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + key + ": " + e.getMessage() + " (value '" + value + "')", e);
        }
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
                + maxBodyBytes + ", defaultKernel=" + defaultKernel + "]";
    }
}
