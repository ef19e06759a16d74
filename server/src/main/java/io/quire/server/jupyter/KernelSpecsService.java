package io.quire.server.jupyter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.quire.kernel.KernelSpec;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.server.http.ApiException;
import io.quire.server.http.JsonBodies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/kernelspecs}, {@code /api/kernelspecs/{name}} and the spec resources under
 * {@code /kernelspecs/{name}/{file}} (logos), in Jupyter Server's JSON shapes.
 */
public final class KernelSpecsService {
    private final KernelSpecRegistry registry;
    private final String defaultName;

    /**
     * Creates the service.
     *
     * @param registry    where kernel specs are found
     * @param defaultName the default kernel spec name
     */
    public KernelSpecsService(KernelSpecRegistry registry, String defaultName) {
        this.registry = registry;
        this.defaultName = defaultName;
    }

    /**
     * The {@code /api/kernelspecs} routes.
     *
     * @return the service
     */
    public HttpService api() {
        return rules -> rules.get("/", this::list).get("/{name}", this::one);
    }

    /**
     * The {@code /kernelspecs} resource routes.
     *
     * @return the service
     */
    public HttpService resources() {
        return (HttpRules rules) -> rules.get("/{name}/{file}", this::resource);
    }

    private void list(ServerRequest request, ServerResponse response) {
        Map<String, KernelSpec> specs = new TreeMap<>(registry.discover().specs());
        ObjectNode body = JsonBodies.MAPPER.createObjectNode();
        body.put("default", specs.containsKey(defaultName) || specs.isEmpty() ? defaultName : specs.keySet().iterator().next());
        ObjectNode all = body.putObject("kernelspecs");
        specs.forEach((name, spec) -> all.set(name, model(spec)));
        JsonBodies.ok(response, body);
    }

    private void one(ServerRequest request, ServerResponse response) {
        String name = request.path().pathParameters().get("name");
        KernelSpec spec = registry.find(name).orElseThrow(() -> ApiException.notFound("no kernel spec named '" + name + "'"));
        JsonBodies.ok(response, model(spec));
    }

    private void resource(ServerRequest request, ServerResponse response) {
        String name = request.path().pathParameters().get("name");
        String file = request.path().pathParameters().get("file");
        KernelSpec spec = registry.find(name).orElseThrow(() -> ApiException.notFound("no kernel spec named '" + name + "'"));
        Path path = spec.resources().get(file);
        if (path == null) {
            throw ApiException.notFound("kernel spec '" + name + "' has no resource '" + file + "'");
        }
        try {
            byte[] bytes = Files.readAllBytes(path);
            response.header(HeaderNames.CONTENT_TYPE, contentType(file));
            response.send(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel spec resource " + path, e);
        }
    }

    private static String contentType(String file) {
        if (file.endsWith(".png")) {
            return "image/png";
        }
        if (file.endsWith(".svg")) {
            return "image/svg+xml";
        }
        if (file.endsWith(".js")) {
            return "application/javascript";
        }
        if (file.endsWith(".json")) {
            return "application/json";
        }
        return "application/octet-stream";
    }

    /** A spec in Jupyter Server's shape: name, spec (kernel.json fields) and resources (name to URL). */
    static ObjectNode model(KernelSpec spec) {
        ObjectNode model = JsonBodies.MAPPER.createObjectNode();
        model.put("name", spec.name());
        ObjectNode body = model.putObject("spec");
        var argv = body.putArray("argv");
        spec.argv().forEach(argv::add);
        ObjectNode env = body.putObject("env");
        spec.env().forEach(env::put);
        body.put("display_name", spec.displayName());
        body.put("language", spec.language());
        body.put("interrupt_mode", spec.interruptMode().name().toLowerCase(java.util.Locale.ROOT));
        body.set("metadata", spec.metadata().deepCopy());
        ObjectNode resources = model.putObject("resources");
        spec.resources().keySet().stream().sorted().forEach(file -> {
            String key = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
            resources.put(key, "/kernelspecs/" + spec.name() + "/" + file);
        });
        return model;
    }
}
