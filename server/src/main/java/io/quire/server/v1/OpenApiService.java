package io.quire.server.v1;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.quire.server.http.JsonBodies;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code GET /openapi}: the OpenAPI 3.1 document of the v1 API ({@code openapi.yaml} on the class path), as
 * {@code application/yaml}, or as {@code application/json} when the {@code Accept} header asks for JSON and not YAML.
 * Both forms are prepared once, at construction.
 */
public final class OpenApiService {
    /** The class path resource holding the document. */
    public static final String RESOURCE = "/openapi.yaml";

    private final byte[] yaml;
    private final byte[] json;

    private OpenApiService(byte[] yaml, byte[] json) {
        this.yaml = yaml;
        this.json = json;
    }

    /**
     * Loads the document from the class path.
     *
     * @return the service
     * @throws IllegalStateException if the document is missing or is not valid YAML
     */
    public static OpenApiService create() {
        byte[] yaml;
        try (InputStream in = OpenApiService.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is not on the class path");
            }
            yaml = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(yaml, StandardCharsets.UTF_8));
        try {
            JsonNode json = JsonBodies.MAPPER.valueToTree(tree);
            return new OpenApiService(yaml, JsonBodies.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("the OpenAPI document cannot be rendered as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Sends the document.
     *
     * @param request  the request; its {@code Accept} header picks the format
     * @param response the response
     */
    public void handle(ServerRequest request, ServerResponse response) {
        String accept = request.headers().first(HeaderNames.ACCEPT).orElse("").toLowerCase(Locale.ROOT);
        boolean wantsJson = accept.contains("application/json") && !accept.contains("yaml");
        response.status(Status.OK_200);
        response.header(HeaderNames.CONTENT_TYPE, wantsJson ? "application/json" : "application/yaml");
        response.send(wantsJson ? json : yaml);
    }
}
