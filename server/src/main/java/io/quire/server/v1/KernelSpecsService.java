package io.quire.server.v1;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.quire.kernel.KernelSpec;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.server.http.JsonBodies;
import java.util.Map;
import java.util.TreeMap;

/** {@code GET /api/v1/kernelspecs}: the kernels runs can use, by name: {@code [{name, display_name, language}]}. */
final class KernelSpecsService {
    private final KernelSpecRegistry registry;

    KernelSpecsService(KernelSpecRegistry registry) {
        this.registry = registry;
    }

    void list(ServerRequest request, ServerResponse response) {
        Map<String, KernelSpec> specs = new TreeMap<>(registry.discover().specs());
        ArrayNode list = JsonBodies.MAPPER.createArrayNode();
        specs.values().forEach(spec -> {
            ObjectNode json = list.addObject();
            json.put("name", spec.name());
            json.put("display_name", spec.displayName());
            json.put("language", spec.language());
        });
        JsonBodies.ok(response, list);
    }
}
