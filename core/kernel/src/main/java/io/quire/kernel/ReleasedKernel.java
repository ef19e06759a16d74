package io.quire.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A kernel left running by {@link RunningKernel#release()}: everything a later process (a restarted server) needs to
 * take it over again with {@link KernelLauncher#reattach(ReleasedKernel, java.time.Duration)}. It holds the kernel's
 * key: store it where only the owner can read it.
 *
 * @param specName       the kernel spec it was started from
 * @param connectionInfo where it listens, with its key
 * @param locator        how its provisioner finds it again ({@link io.quire.kernel.spi.ProvisionedKernel#locator()});
 *                       opaque to everyone else
 * @param cwd            the working directory it was started in, for restarts
 * @param env            the extra environment it was started with, for restarts
 * @param info           its last {@code kernel_info_reply}, reported until it answers again
 */
public record ReleasedKernel(String specName, ConnectionInfo connectionInfo, String locator, Optional<Path> cwd,
                             Map<String, String> env, KernelInfo info) {
    /** Rejects nulls and blanks, copies the map. */
    public ReleasedKernel {
        Objects.requireNonNull(specName, "specName");
        if (specName.isBlank()) {
            throw new IllegalArgumentException("specName must not be blank");
        }
        Objects.requireNonNull(connectionInfo, "connectionInfo");
        Objects.requireNonNull(locator, "locator");
        if (locator.isBlank()) {
            throw new IllegalArgumentException("locator must not be blank");
        }
        Objects.requireNonNull(cwd, "cwd");
        env = Map.copyOf(env);
        Objects.requireNonNull(info, "info");
    }

    /**
     * Writes this record as JSON: {@code spec}, {@code connection} (a connection file document), {@code locator},
     * {@code cwd} (absent when none), {@code env} and {@code kernel_info}.
     *
     * @return the JSON object
     */
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("spec", specName);
        try {
            json.set("connection", Json.MAPPER.readTree(connectionInfo.toJson()));
        } catch (IOException e) {
            throw new IllegalStateException("connection info did not serialise to JSON", e);
        }
        json.put("locator", locator);
        cwd.ifPresent(dir -> json.put("cwd", dir.toString()));
        ObjectNode variables = json.putObject("env");
        new TreeMap<>(env).forEach(variables::put);
        json.set("kernel_info", info.raw());
        return json;
    }

    /**
     * Reads what {@link #toJson()} wrote.
     *
     * @param json the JSON object
     * @return the record
     * @throws IllegalArgumentException naming the field that is missing or malformed
     */
    public static ReleasedKernel fromJson(JsonNode json) {
        if (!json.isObject()) {
            throw new IllegalArgumentException("a released kernel must be a JSON object, not " + json.getNodeType());
        }
        String spec = requiredText(json, "spec");
        JsonNode connection = json.path("connection");
        if (!connection.isObject()) {
            throw new IllegalArgumentException("released kernel: 'connection' must be an object");
        }
        ConnectionInfo info;
        try {
            info = ConnectionInfo.parse(connection.toString());
        } catch (ConnectionFileException e) {
            throw new IllegalArgumentException("released kernel: 'connection' is not valid: " + e.getMessage(), e);
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode variables = json.path("env");
        if (!variables.isMissingNode() && !variables.isObject()) {
            throw new IllegalArgumentException("released kernel: 'env' must be an object");
        }
        variables.properties().forEach(entry -> env.put(entry.getKey(), entry.getValue().asText()));
        JsonNode kernelInfo = json.path("kernel_info");
        if (!kernelInfo.isObject()) {
            throw new IllegalArgumentException("released kernel: 'kernel_info' must be an object");
        }
        Optional<Path> cwd = json.path("cwd").isTextual() ? Optional.of(Path.of(json.path("cwd").asText()))
                : Optional.empty();
        return new ReleasedKernel(spec, info, requiredText(json, "locator"), cwd, env,
                KernelInfo.fromJson((ObjectNode) kernelInfo));
    }

    private static String requiredText(JsonNode json, String field) {
        JsonNode value = json.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("released kernel: '" + field + "' must be a non-empty string");
        }
        return value.asText();
    }
}
