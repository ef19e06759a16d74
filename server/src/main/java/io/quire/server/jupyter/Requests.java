package io.quire.server.jupyter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.server.http.ApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Small helpers shared by the Jupyter API services for reading request bodies. */
final class Requests {
    private Requests() {
    }

    static Optional<String> optionalText(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("'" + field + "' must be a string, got " + value.getNodeType().name().toLowerCase(
                    java.util.Locale.ROOT));
        }
        return Optional.of(value.textValue());
    }

    static String requiredText(ObjectNode body, String field) {
        return optionalText(body, field).orElseThrow(() -> ApiException.badRequest("'" + field + "' is required"));
    }

    /**
     * The folder a kernel for an API path should run in: the path's parent folder under the root, if it exists and
     * stays inside the root; else the root.
     */
    static Path folderOf(Path root, String apiPath) {
        Path file = root.resolve(apiPath.replace('\\', '/').replaceAll("^/+", "")).normalize();
        Path folder = file.getParent() == null ? root : file.getParent();
        if (!folder.startsWith(root) || !Files.isDirectory(folder)) {
            return root;
        }
        return folder;
    }

    static ApiException noKernel(String id) {
        return ApiException.notFound("no kernel with id '" + id + "'");
    }
}
