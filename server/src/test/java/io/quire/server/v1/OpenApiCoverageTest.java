package io.quire.server.v1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

class OpenApiCoverageTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options",
            "trace");

    @Test
    void everyRegisteredRouteIsDocumented_andEveryDocumentedRouteIsRegistered() throws Exception {
        Set<String> documented = documented();
        Set<String> registered = new TreeSet<>();
        V1Api.routes().forEach(route -> registered.add(route.method().text() + " " + route.template()));

        assertThat(documented).as("routes in openapi.yaml").containsExactlyInAnyOrderElementsOf(registered);
    }

    @Test
    void document_isOpenApi31_withTheErrorShape() throws Exception {
        Map<String, Object> document = load();
        assertThat(document.get("openapi")).isEqualTo("3.1.0");
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) document
                .get("components")).get("schemas")).get("Error");
        assertThat(error.get("required")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .containsExactly("code", "message", "reason");
    }

    @SuppressWarnings("unchecked")
    private static Set<String> documented() throws Exception {
        Set<String> routes = new TreeSet<>();
        Map<String, Object> paths = (Map<String, Object>) load().get("paths");
        paths.forEach((path, item) -> ((Map<String, Object>) item).keySet().stream()
                .filter(METHODS::contains)
                .forEach(method -> routes.add(method.toUpperCase(Locale.ROOT) + " " + path)));
        return routes;
    }

    private static Map<String, Object> load() throws Exception {
        try (InputStream in = OpenApiService.class.getResourceAsStream(OpenApiService.RESOURCE)) {
            assertThat(in).as("openapi.yaml on the class path").isNotNull();
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
    }
}
