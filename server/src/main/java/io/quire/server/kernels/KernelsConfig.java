package io.quire.server.kernels;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.kernel.InterruptMode;
import io.quire.kernel.KernelSpec;
import io.quire.kernel.docker.HardwareSize;
import io.quire.kernel.docker.NetworkMode;
import io.quire.kernel.docker.PullPolicy;
import io.quire.kernels.CullingPolicy;
import io.quire.kernels.KernelManager;
import io.quire.kernels.PoolConfig;
import io.quire.server.ConfigFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a server's kernels run and which kernels it offers: the {@code kernels:} section of the configuration file.
 *
 * <pre>{@code
 * kernels:
 *   local-specs: true              # offer the Jupyter kernel specs installed on this machine (local processes)
 *   docker:
 *     enabled: true                # needed for the images below
 *     host: unix:///var/run/docker.sock
 *     scope: team-1                # label on every container; one per Quire process sharing an engine
 *     pull-policy: never           # never | if-missing | always
 *     network: host                # host (default) | bridge: Quire's own network, ports published on 127.0.0.1
 *     network-name: quire-kernels  # the bridge network (default quire-kernels); only with network: bridge
 *   sizes:                         # hardware sizes of Docker kernels
 *     small:  {cpus: 1, memory: 2GiB, pids: 512}
 *     large:  {cpus: 4, memory: 8GiB, pids: 2048}
 *     gpu:    {cpus: 8, memory: 32GiB, pids: 4096, gpus: 1}   # gpus: a count or all (default 0: none)
 *   default-size: small
 *   images:                        # kernel specs backed by Docker images
 *     - name: python3-docker
 *       display-name: Python 3 (Docker)
 *       language: python
 *       image: quire/python-kernel:dev
 *       argv: [python3, -m, ipykernel_launcher, -f, "{connection_file}"]   # this is the default
 *       size: small                # default size of this kernel
 *   pools:                         # warm pools of ready kernels
 *     - {spec: python3-docker, min-idle: 2, max-idle: 4}   # no size: the kernel's default size
 *   quotas: {per-user: 5, per-organisation: 100, concurrent-starts: 4}   # 0 or absent: no limit
 *   culling: {idle-timeout: 1h, interval: 5m, cull-busy: false, cull-connected: false, warning: 1m}
 * }</pre>
 *
 * <p>Environment: {@code QUIRE_KERNELS_LOCAL_SPECS} ({@code true}/{@code false}) and {@code QUIRE_DOCKER_HOST}
 * override the file. Every error names the key it concerns.
 *
 * @param localSpecs  whether the host's Jupyter kernel specs are offered
 * @param docker      the Docker engine settings, when Docker kernels are enabled
 * @param sizes       the hardware sizes by name, in declaration order
 * @param defaultSize the name of the size used when neither the request nor the image names one
 * @param images      the kernel specs backed by images
 * @param pools       the warm pools
 * @param quotas      the limits on kernels per user, per organisation and on concurrent starts
 * @param culling     when idle kernels are shut down, if ever
 */
public record KernelsConfig(boolean localSpecs, Optional<Docker> docker, Map<String, HardwareSize> sizes,
                            String defaultSize, List<Image> images, List<Pool> pools, Quotas quotas,
                            Optional<CullingPolicy> culling) {

    /** The default argv of an image kernel: ipykernel. */
    public static final List<String> IPYKERNEL_ARGV =
            List.of("python3", "-m", "ipykernel_launcher", "-f", "{connection_file}");

    /**
     * How to reach the Docker engine.
     *
     * @param host       the engine address, e.g. {@code unix:///var/run/docker.sock}
     * @param scope      the label of this server's containers, used by orphan reaping
     * @param pullPolicy when images are pulled
     * @param network    the host network or Quire's bridge network
     */
    public record Docker(String host, String scope, PullPolicy pullPolicy, NetworkMode network) {
        /** Rejects blanks. */
        public Docker {
            requireText(host, "kernels.docker.host");
            requireText(scope, "kernels.docker.scope");
            Objects.requireNonNull(pullPolicy, "pullPolicy");
            Objects.requireNonNull(network, "network");
        }
    }

    /**
     * A kernel spec backed by a Docker image.
     *
     * @param name          the spec name
     * @param displayName   the name shown to users
     * @param language      the kernel's language
     * @param image         the image
     * @param argv          the kernel's command line inside the container, with {@code {connection_file}}
     * @param env           extra environment variables
     * @param interruptMode how the kernel is interrupted
     * @param size          the default size of this kernel, when not the server's default
     */
    public record Image(String name, String displayName, String language, String image, List<String> argv,
                        Map<String, String> env, InterruptMode interruptMode, Optional<String> size) {
        /** Validates and copies. */
        public Image {
            requireText(name, "name");
            if (!name.matches("[a-zA-Z0-9._-]+")) {
                throw new IllegalArgumentException("name must use letters, digits, '.', '_' or '-' but was '" + name + "'");
            }
            requireText(displayName, "display-name");
            requireText(language, "language");
            requireText(image, "image");
            argv = List.copyOf(argv);
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("argv must not be empty");
            }
            env = Map.copyOf(env);
            Objects.requireNonNull(interruptMode, "interruptMode");
            Objects.requireNonNull(size, "size");
        }

        /**
         * The kernel spec of this image: {@code metadata.quire.docker} holds the image and the default size.
         *
         * @param resourceDir the spec's resource folder (no kernel files are read from it)
         * @return the spec
         */
        public KernelSpec toSpec(Path resourceDir) {
            ObjectNode metadata = JsonNodeFactory.instance.objectNode();
            ObjectNode docker = metadata.putObject("quire").putObject("docker");
            docker.put("image", image);
            size.ifPresent(value -> docker.put("size", value));
            return new KernelSpec(name.toLowerCase(Locale.ROOT), displayName, language, argv, env, interruptMode,
                    metadata, resourceDir, Map.of());
        }
    }

    /**
     * A warm pool of ready kernels of one spec.
     *
     * @param spec    the kernel spec name
     * @param size    the hardware size name; empty for the kernel's default size, which is what Jupyter clients
     *                (which never name a size) get
     * @param minIdle refill when fewer idle and starting kernels remain
     * @param maxIdle fill up to this many
     */
    public record Pool(String spec, Optional<String> size, int minIdle, int maxIdle) {
        /** Validates. */
        public Pool {
            requireText(spec, "spec");
            Objects.requireNonNull(size, "size");
            new PoolConfig(spec, size, minIdle, maxIdle, false, Set.of()); // the same checks as the manager's
        }
    }

    /**
     * Limits on kernels; 0 means no limit.
     *
     * @param perUser          kernels one user may have (waiting, starting, running or dead)
     * @param perOrganisation  kernels one organisation may have
     * @param concurrentStarts kernels starting at once; more starts wait for capacity
     */
    public record Quotas(int perUser, int perOrganisation, int concurrentStarts) {
        /** Rejects negative limits. */
        public Quotas {
            if (perUser < 0 || perOrganisation < 0 || concurrentStarts < 0) {
                throw new IllegalArgumentException("quotas must not be negative: per-user " + perUser
                        + ", per-organisation " + perOrganisation + ", concurrent-starts " + concurrentStarts);
            }
        }
    }

    /** Validates and copies. */
    public KernelsConfig {
        Objects.requireNonNull(docker, "docker");
        pools = List.copyOf(pools);
        Objects.requireNonNull(quotas, "quotas");
        Objects.requireNonNull(culling, "culling");
        sizes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sizes));
        images = List.copyOf(images);
        if (!sizes.containsKey(defaultSize)) {
            throw new IllegalArgumentException("kernels.default-size: no size named '" + defaultSize + "' in "
                    + sizes.keySet());
        }
        List<String> names = new ArrayList<>();
        for (Image image : images) {
            if (names.contains(image.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("kernels.images: the name '" + image.name() + "' is used twice");
            }
            names.add(image.name().toLowerCase(Locale.ROOT));
            if (image.size().isPresent() && !sizes.containsKey(image.size().get())) {
                throw new IllegalArgumentException("kernels.images[" + image.name() + "].size: no size named '"
                        + image.size().get() + "' in " + sizes.keySet());
            }
        }
        if (!images.isEmpty() && docker.isEmpty()) {
            throw new IllegalArgumentException("kernels.images needs kernels.docker.enabled: true");
        }
        for (Pool pool : pools) {
            if (pool.size().isPresent() && !sizes.containsKey(pool.size().get())) {
                throw new IllegalArgumentException("kernels.pools[" + pool.spec() + "].size: no size named '"
                        + pool.size().get() + "' in " + sizes.keySet());
            }
        }
    }

    /**
     * Applies the pools, quotas and culling to a kernel manager being built. Pools of image kernels serve starts
     * that name a working directory too (Docker kernels always work in their own home directory).
     *
     * @param builder the manager's builder
     * @return the builder
     */
    public KernelManager.Builder configure(KernelManager.Builder builder) {
        List<String> imageNames = images.stream().map(image -> image.name().toLowerCase(Locale.ROOT)).toList();
        builder.pools(pools.stream()
                .map(pool -> PoolConfig.of(pool.spec(), pool.size(), pool.minIdle(), pool.maxIdle())
                        .withCwdIgnored(imageNames.contains(pool.spec().toLowerCase(Locale.ROOT))))
                .toList());
        if (quotas.perUser() > 0) {
            builder.maxKernelsPerUser(quotas.perUser());
        }
        if (quotas.perOrganisation() > 0) {
            builder.maxKernelsPerOrganisation(quotas.perOrganisation());
        }
        if (quotas.concurrentStarts() > 0) {
            builder.maxConcurrentStarts(quotas.concurrentStarts());
        }
        culling.ifPresent(builder::culling);
        return builder;
    }

    /** @return local kernel specs only, no Docker: the configuration without a {@code kernels:} section */
    public static KernelsConfig defaults() {
        HardwareSize size = HardwareSize.defaults();
        return new KernelsConfig(true, Optional.empty(), Map.of(size.name(), size), size.name(), List.of(), List.of(),
                new Quotas(0, 0, 0), Optional.empty());
    }

    /**
     * Reads the {@code kernels:} section of a YAML file (if given), then the environment.
     *
     * @param file        the configuration file, or empty
     * @param environment the environment variables
     * @return the configuration
     * @throws IllegalArgumentException when a value is invalid; the message names the key
     */
    public static KernelsConfig load(Optional<Path> file, Map<String, String> environment) {
        KernelsConfig config = defaults();
        if (file.isPresent()) {
            Optional<Object> section = ConfigFile.section(file.get(), "kernels");
            if (section.isPresent()) {
                try {
                    config = parse(map(section.get(), "kernels"), environment);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file.get() + ": " + e.getMessage(), e);
                }
            }
        }
        String local = environment.get("QUIRE_KERNELS_LOCAL_SPECS");
        if (local != null && !local.isBlank()) {
            config = new KernelsConfig(bool(local, "QUIRE_KERNELS_LOCAL_SPECS"), config.docker, config.sizes,
                    config.defaultSize, config.images, config.pools, config.quotas, config.culling);
        }
        String dockerHost = environment.get("QUIRE_DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank() && config.docker.isPresent()) {
            Docker d = config.docker.get();
            config = new KernelsConfig(config.localSpecs, Optional.of(new Docker(dockerHost, d.scope(), d.pullPolicy(),
                    d.network())),
                    config.sizes, config.defaultSize, config.images, config.pools, config.quotas, config.culling);
        }
        return config;
    }

    /**
     * Parses a {@code kernels:} section already read from YAML.
     *
     * @param section     the section's keys and values
     * @param environment the environment (for defaults such as {@code DOCKER_HOST})
     * @return the configuration
     * @throws IllegalArgumentException when a value is invalid; the message names the key
     */
    public static KernelsConfig parse(Map<?, ?> section, Map<String, String> environment) {
        known(section, "kernels", "local-specs", "docker", "sizes", "default-size", "images", "pools", "quotas",
                "culling");
        boolean localSpecs = section.containsKey("local-specs")
                ? bool(String.valueOf(section.get("local-specs")), "kernels.local-specs") : true;

        Optional<Docker> docker = Optional.empty();
        if (section.get("docker") != null) {
            Map<?, ?> d = map(section.get("docker"), "kernels.docker");
            known(d, "kernels.docker", "enabled", "host", "scope", "pull-policy", "network", "network-name");
            boolean enabled = !d.containsKey("enabled") || bool(String.valueOf(d.get("enabled")), "kernels.docker.enabled");
            if (enabled) {
                String defaultHost = environment.getOrDefault("DOCKER_HOST", "");
                String host = text(d, "host", "kernels.docker", defaultHost.isBlank()
                        ? "unix:///var/run/docker.sock" : defaultHost);
                String scope = text(d, "scope", "kernels.docker", "server-" + System.getProperty("user.name", "user"));
                String policy = text(d, "pull-policy", "kernels.docker", "never");
                PullPolicy pullPolicy = switch (policy.toLowerCase(Locale.ROOT)) {
                    case "never" -> PullPolicy.NEVER;
                    case "if-missing" -> PullPolicy.IF_MISSING;
                    case "always" -> PullPolicy.ALWAYS;
                    default -> throw new IllegalArgumentException("kernels.docker.pull-policy must be never, if-missing "
                            + "or always but was '" + policy + "'");
                };
                docker = Optional.of(new Docker(host, scope, pullPolicy, network(d)));
            }
        }

        Map<String, HardwareSize> sizes = new LinkedHashMap<>();
        if (section.get("sizes") != null) {
            for (Map.Entry<?, ?> entry : map(section.get("sizes"), "kernels.sizes").entrySet()) {
                String name = String.valueOf(entry.getKey());
                String where = "kernels.sizes." + name;
                Map<?, ?> s = map(entry.getValue(), where);
                known(s, where, "cpus", "memory", "pids", "gpus");
                try {
                    double cpus = Double.parseDouble(text(s, "cpus", where, "1"));
                    long memory = bytes(text(s, "memory", where, "2GiB"), where + ".memory");
                    long pids = Long.parseLong(text(s, "pids", where, "512"));
                    String gpus = text(s, "gpus", where, "0").strip();
                    sizes.put(name, new HardwareSize(name, cpus, memory, pids,
                            gpus.equalsIgnoreCase("all") ? HardwareSize.ALL_GPUS : nonNegative(gpus, where + ".gpus")));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + ": not a number: " + e.getMessage(), e);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
        }
        if (sizes.isEmpty()) {
            HardwareSize size = HardwareSize.defaults();
            sizes.put(size.name(), size);
        }
        String defaultSize = section.get("default-size") != null ? String.valueOf(section.get("default-size"))
                : sizes.keySet().iterator().next();

        List<Image> images = new ArrayList<>();
        if (section.get("images") != null) {
            if (!(section.get("images") instanceof List<?> list)) {
                throw new IllegalArgumentException("kernels.images must be a list");
            }
            for (int i = 0; i < list.size(); i++) {
                String where = "kernels.images[" + i + "]";
                Map<?, ?> m = map(list.get(i), where);
                known(m, where, "name", "display-name", "language", "image", "argv", "env", "interrupt-mode", "size");
                try {
                    String name = text(m, "name", where, null);
                    List<String> argv = IPYKERNEL_ARGV;
                    if (m.get("argv") != null) {
                        if (!(m.get("argv") instanceof List<?> raw)) {
                            throw new IllegalArgumentException("argv must be a list");
                        }
                        argv = raw.stream().map(String::valueOf).toList();
                    }
                    Map<String, String> env = new LinkedHashMap<>();
                    if (m.get("env") != null) {
                        map(m.get("env"), "env").forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
                    }
                    String mode = text(m, "interrupt-mode", where, "signal");
                    InterruptMode interrupt = switch (mode) {
                        case "signal" -> InterruptMode.SIGNAL;
                        case "message" -> InterruptMode.MESSAGE;
                        default -> throw new IllegalArgumentException("interrupt-mode must be signal or message but was '"
                                + mode + "'");
                    };
                    images.add(new Image(name, text(m, "display-name", where, name), text(m, "language", where, "python"),
                            text(m, "image", where, null), argv, env, interrupt,
                            Optional.ofNullable(m.get("size")).map(String::valueOf)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
        }
        List<Pool> pools = new ArrayList<>();
        if (section.get("pools") != null) {
            if (!(section.get("pools") instanceof List<?> list)) {
                throw new IllegalArgumentException("kernels.pools must be a list");
            }
            for (int i = 0; i < list.size(); i++) {
                String where = "kernels.pools[" + i + "]";
                Map<?, ?> m = map(list.get(i), where);
                known(m, where, "spec", "size", "min-idle", "max-idle");
                try {
                    int minIdle = Integer.parseInt(text(m, "min-idle", where, "1"));
                    pools.add(new Pool(text(m, "spec", where, null), Optional.ofNullable(m.get("size")).map(String::valueOf),
                            minIdle, Integer.parseInt(text(m, "max-idle", where, String.valueOf(minIdle)))));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
        }
        Quotas quotas = new Quotas(0, 0, 0);
        if (section.get("quotas") != null) {
            Map<?, ?> q = map(section.get("quotas"), "kernels.quotas");
            known(q, "kernels.quotas", "per-user", "per-organisation", "concurrent-starts");
            try {
                quotas = new Quotas(Integer.parseInt(text(q, "per-user", "kernels.quotas", "0")),
                        Integer.parseInt(text(q, "per-organisation", "kernels.quotas", "0")),
                        Integer.parseInt(text(q, "concurrent-starts", "kernels.quotas", "0")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("kernels.quotas: " + e.getMessage(), e);
            }
        }
        Optional<CullingPolicy> culling = Optional.empty();
        if (section.get("culling") != null) {
            Map<?, ?> c = map(section.get("culling"), "kernels.culling");
            known(c, "kernels.culling", "idle-timeout", "interval", "cull-busy", "cull-connected", "warning");
            try {
                CullingPolicy defaults = CullingPolicy.idleFor(duration(text(c, "idle-timeout", "kernels.culling", null),
                        "kernels.culling.idle-timeout"));
                culling = Optional.of(new CullingPolicy(defaults.idleTimeout(),
                        c.containsKey("interval") ? duration(String.valueOf(c.get("interval")), "kernels.culling.interval")
                                : defaults.checkInterval(),
                        c.containsKey("cull-busy") && bool(String.valueOf(c.get("cull-busy")), "kernels.culling.cull-busy"),
                        c.containsKey("cull-connected")
                                && bool(String.valueOf(c.get("cull-connected")), "kernels.culling.cull-connected"),
                        c.containsKey("warning") ? duration(String.valueOf(c.get("warning")), "kernels.culling.warning")
                                : defaults.warning()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().startsWith("kernels.") ? e.getMessage()
                        : "kernels.culling: " + e.getMessage(), e);
            }
        }
        return new KernelsConfig(localSpecs, docker, sizes, defaultSize, images, pools, quotas, culling);
    }

    private static NetworkMode network(Map<?, ?> docker) {
        String mode = text(docker, "network", "kernels.docker", "host").strip().toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "host" -> {
                if (docker.get("network-name") != null) {
                    throw new IllegalArgumentException("kernels.docker.network-name needs kernels.docker.network: bridge");
                }
                yield NetworkMode.host();
            }
            case "bridge" -> {
                try {
                    yield NetworkMode.bridge(text(docker, "network-name", "kernels.docker",
                            NetworkMode.DEFAULT_NETWORK_NAME));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("kernels.docker.network-name: " + e.getMessage(), e);
                }
            }
            default -> throw new IllegalArgumentException("kernels.docker.network must be host or bridge but was '"
                    + mode + "'");
        };
    }

    private static int nonNegative(String text, String where) {
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 0) {
            throw new IllegalArgumentException(where + " must be a number of GPUs (0 for none) or 'all' but was '"
                    + text + "'");
        }
        return value;
    }

    private static final Pattern DURATION = Pattern.compile("(?i)\\s*(\\d+)\\s*(ms|s|m|h|d)\\s*");

    /**
     * Parses a duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, or ISO-8601
     * ({@code PT1H}).
     *
     * @param text  the duration
     * @param where the key, for messages
     * @return the duration
     */
    static Duration duration(String text, String where) {
        Matcher matcher = DURATION.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(where + " must be a duration such as 30s, 5m, 1h or PT1H but was '"
                    + text + "'", e);
        }
    }

    private static final Pattern BYTES = Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)\\s*");

    /**
     * Parses a memory amount: bytes, or with a unit ({@code 512m}, {@code 2GiB}; k/m/g/t are powers of 1024).
     *
     * @param text  the amount
     * @param where the key, for messages
     * @return the bytes
     */
    static long bytes(String text, String where) {
        Matcher matcher = BYTES.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(where + " must be an amount such as 512MiB or 2g but was '" + text + "'");
        }
        double value = Double.parseDouble(matcher.group(1));
        int power = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 0;
            case "k", "kb", "kib" -> 1;
            case "m", "mb", "mib" -> 2;
            case "g", "gb", "gib" -> 3;
            default -> 4;
        };
        return Math.round(value * Math.pow(1024, power));
    }

    private static Map<?, ?> map(Object value, String where) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(where + " must be a mapping but was '" + value + "'");
        }
        return m;
    }

    private static void known(Map<?, ?> map, String where, String... keys) {
        List<String> allowed = List.of(keys);
        for (Object key : map.keySet()) {
            if (!allowed.contains(String.valueOf(key))) {
                throw new IllegalArgumentException(where + "." + key + ": unknown key (known: " + allowed + ")");
            }
        }
    }

    private static String text(Map<?, ?> map, String key, String where, String fallback) {
        Object value = map.get(key);
        if (value == null) {
            if (fallback == null) {
                throw new IllegalArgumentException(where + "." + key + " is required");
            }
            return fallback;
        }
        return String.valueOf(value);
    }

    private static boolean bool(String value, String where) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException(where + " must be true or false but was '" + value + "'");
        };
    }

    private static void requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
