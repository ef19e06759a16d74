package io.quire.server.kernels;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.kernel.InterruptMode;
import io.quire.kernel.KernelSpec;
import io.quire.kernel.docker.HardwareSize;
import io.quire.kernel.docker.PullPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

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
 *   sizes:                         # hardware sizes of Docker kernels
 *     small:  {cpus: 1, memory: 2GiB, pids: 512}
 *     large:  {cpus: 4, memory: 8GiB, pids: 2048}
 *   default-size: small
 *   images:                        # kernel specs backed by Docker images
 *     - name: python3-docker
 *       display-name: Python 3 (Docker)
 *       language: python
 *       image: quire/python-kernel:dev
 *       argv: [python3, -m, ipykernel_launcher, -f, "{connection_file}"]   # this is the default
 *       size: small                # default size of this kernel
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
 */
public record KernelsConfig(boolean localSpecs, Optional<Docker> docker, Map<String, HardwareSize> sizes,
                            String defaultSize, List<Image> images) {

    /** The default argv of an image kernel: ipykernel. */
    public static final List<String> IPYKERNEL_ARGV =
            List.of("python3", "-m", "ipykernel_launcher", "-f", "{connection_file}");

    /**
     * How to reach the Docker engine.
     *
     * @param host       the engine address, e.g. {@code unix:///var/run/docker.sock}
     * @param scope      the label of this server's containers, used by orphan reaping
     * @param pullPolicy when images are pulled
     */
    public record Docker(String host, String scope, PullPolicy pullPolicy) {
        /** Rejects blanks. */
        public Docker {
            requireText(host, "kernels.docker.host");
            requireText(scope, "kernels.docker.scope");
            Objects.requireNonNull(pullPolicy, "pullPolicy");
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

    /** Validates and copies. */
    public KernelsConfig {
        Objects.requireNonNull(docker, "docker");
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
    }

    /** @return local kernel specs only, no Docker: the configuration without a {@code kernels:} section */
    public static KernelsConfig defaults() {
        HardwareSize size = HardwareSize.defaults();
        return new KernelsConfig(true, Optional.empty(), Map.of(size.name(), size), size.name(), List.of());
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
            Object document;
            try {
                document = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file.get()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read configuration " + file.get(), e);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("configuration " + file.get() + " is not valid YAML: "
                        + e.getMessage(), e);
            }
            if (document instanceof Map<?, ?> top && top.get("kernels") != null) {
                try {
                    config = parse(map(top.get("kernels"), "kernels"), environment);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file.get() + ": " + e.getMessage(), e);
                }
            }
        }
        String local = environment.get("QUIRE_KERNELS_LOCAL_SPECS");
        if (local != null && !local.isBlank()) {
            config = new KernelsConfig(bool(local, "QUIRE_KERNELS_LOCAL_SPECS"), config.docker, config.sizes,
                    config.defaultSize, config.images);
        }
        String dockerHost = environment.get("QUIRE_DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank() && config.docker.isPresent()) {
            Docker d = config.docker.get();
            config = new KernelsConfig(config.localSpecs, Optional.of(new Docker(dockerHost, d.scope(), d.pullPolicy())),
                    config.sizes, config.defaultSize, config.images);
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
        known(section, "kernels", "local-specs", "docker", "sizes", "default-size", "images");
        boolean localSpecs = section.containsKey("local-specs")
                ? bool(String.valueOf(section.get("local-specs")), "kernels.local-specs") : true;

        Optional<Docker> docker = Optional.empty();
        if (section.get("docker") != null) {
            Map<?, ?> d = map(section.get("docker"), "kernels.docker");
            known(d, "kernels.docker", "enabled", "host", "scope", "pull-policy");
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
                docker = Optional.of(new Docker(host, scope, pullPolicy));
            }
        }

        Map<String, HardwareSize> sizes = new LinkedHashMap<>();
        if (section.get("sizes") != null) {
            for (Map.Entry<?, ?> entry : map(section.get("sizes"), "kernels.sizes").entrySet()) {
                String name = String.valueOf(entry.getKey());
                String where = "kernels.sizes." + name;
                Map<?, ?> s = map(entry.getValue(), where);
                known(s, where, "cpus", "memory", "pids");
                try {
                    double cpus = Double.parseDouble(text(s, "cpus", where, "1"));
                    long memory = bytes(text(s, "memory", where, "2GiB"), where + ".memory");
                    long pids = Long.parseLong(text(s, "pids", where, "512"));
                    sizes.put(name, new HardwareSize(name, cpus, memory, pids));
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
        return new KernelsConfig(localSpecs, docker, sizes, defaultSize, images);
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
