package io.quire.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads one top-level section ({@code server:}, {@code kernels:}, {@code store:}) of a server's YAML configuration
 * file, with SnakeYAML's safe constructor (plain maps, lists and scalars only; no types from the file).
 */
public final class ConfigFile {
    private ConfigFile() {
    }

    /**
     * @param file    the configuration file
     * @param section the top-level key
     * @return the section's value, or empty when the file has no such section (or is empty)
     * @throws UncheckedIOException     when the file cannot be read
     * @throws IllegalArgumentException when it is not valid YAML
     */
    public static Optional<Object> section(Path file, String section) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read configuration " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("configuration " + file + " is not valid YAML: " + e.getMessage(), e);
        }
        return document instanceof Map<?, ?> top ? Optional.ofNullable(top.get(section)) : Optional.empty();
    }
}
