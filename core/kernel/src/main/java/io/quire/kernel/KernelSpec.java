package io.quire.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A kernel spec: a {@code kernel.json} and the files beside it.
 *
 * @param name          the spec name (the directory name, lower-cased)
 * @param displayName   the name shown to users
 * @param language      the language
 * @param argv          the command line; may contain {@code {connection_file}} and {@code {resource_dir}}
 * @param env           environment variables to set for the kernel
 * @param interruptMode how to interrupt the kernel
 * @param metadata      the open {@code metadata} object, empty when absent
 * @param resourceDir   the spec directory
 * @param resources     the other files of the directory by file name (logos etc.)
 */
public record KernelSpec(String name, String displayName, String language, List<String> argv, Map<String, String> env,
                         InterruptMode interruptMode, JsonNode metadata, Path resourceDir, Map<String, Path> resources) {

    /** Validates and copies. */
    public KernelSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(language, "language");
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        Objects.requireNonNull(interruptMode, "interruptMode");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(resourceDir, "resourceDir");
        resources = Map.copyOf(resources);
        if (argv.isEmpty()) {
            throw new KernelSpecException("kernel spec '" + name + "' has an empty argv");
        }
    }

    /**
     * Reads {@code <dir>/kernel.json}; the name is the directory name, lower-cased.
     *
     * @param dir the spec directory
     * @return the spec
     * @throws KernelSpecException when the file is missing, not JSON, or lacks {@code argv},
     *                             {@code display_name} or {@code language}, or has a bad {@code interrupt_mode}
     */
    public static KernelSpec read(Path dir) {
        Path file = dir.resolve("kernel.json");
        String name = dir.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new KernelSpecException(file + " is not readable JSON: " + e.getMessage(), e);
        }
        if (!(json instanceof ObjectNode object)) {
            throw new KernelSpecException(file + " must hold a JSON object");
        }
        JsonNode argvNode = object.path("argv");
        if (!argvNode.isArray() || argvNode.isEmpty()) {
            throw new KernelSpecException(file + ": 'argv' must be a non-empty array of strings");
        }
        List<String> argv = new ArrayList<>();
        for (JsonNode arg : argvNode) {
            if (!arg.isTextual()) {
                throw new KernelSpecException(file + ": 'argv' entries must be strings but found " + arg);
            }
            argv.add(arg.asText());
        }
        String displayName = requiredText(object, "display_name", file);
        String language = requiredText(object, "language", file);
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode envNode = object.path("env");
        if (!envNode.isMissingNode() && !envNode.isNull()) {
            if (!envNode.isObject()) {
                throw new KernelSpecException(file + ": 'env' must be an object");
            }
            envNode.properties().forEach(entry -> env.put(entry.getKey(), entry.getValue().asText()));
        }
        InterruptMode mode = switch (object.path("interrupt_mode").asText("signal")) {
            case "signal" -> InterruptMode.SIGNAL;
            case "message" -> InterruptMode.MESSAGE;
            default -> throw new KernelSpecException(file + ": 'interrupt_mode' must be signal or message but was '"
                    + object.path("interrupt_mode").asText() + "'");
        };
        JsonNode metadata = object.path("metadata").isObject() ? object.get("metadata") : Json.object();
        return new KernelSpec(name, displayName, language, argv, env, mode, metadata, dir, resources(dir));
    }

    private static Map<String, Path> resources(Path dir) {
        Map<String, Path> files = new LinkedHashMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals("kernel.json"))
                    .sorted()
                    .forEach(p -> files.put(p.getFileName().toString(), p));
        } catch (IOException e) {
            throw new KernelSpecException("cannot list kernel spec directory " + dir + ": " + e.getMessage(), e);
        }
        return files;
    }

    private static String requiredText(ObjectNode json, String field, Path file) {
        JsonNode value = json.path(field);
        if (!value.isTextual()) {
            throw new KernelSpecException(file + ": '" + field + "' must be a string");
        }
        return value.asText();
    }

    /** @return the 32x32 PNG logo, when the spec has one */
    public Optional<Path> logo32() {
        return Optional.ofNullable(resources.get("logo-32x32.png"));
    }

    /** @return the 64x64 PNG logo, when the spec has one */
    public Optional<Path> logo64() {
        return Optional.ofNullable(resources.get("logo-64x64.png"));
    }

    /** @return the SVG logo, when the spec has one */
    public Optional<Path> logoSvg() {
        return Optional.ofNullable(resources.get("logo-svg.svg"));
    }

    /**
     * The command line with {@code {connection_file}} and {@code {resource_dir}} substituted.
     *
     * @param connectionFile the connection file path
     * @return the command line
     */
    public List<String> argvFor(Path connectionFile) {
        return argv.stream()
                .map(arg -> arg.replace("{connection_file}", connectionFile.toString())
                        .replace("{resource_dir}", resourceDir.toString()))
                .toList();
    }
}
