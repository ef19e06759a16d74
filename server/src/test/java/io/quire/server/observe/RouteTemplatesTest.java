package io.quire.server.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTemplatesTest {
    private final RouteTemplates routes = RouteTemplates.quire();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/api, /api",
            "/api/, /api",
            "/api/status, /api/status",
            "/api/kernels, /api/kernels",
            "/api/kernels/, /api/kernels",
            "/api/kernels/6f1c0d7e-1111-2222-3333-444455556666, /api/kernels/{id}",
            "/api/kernels/6f1c0d7e/interrupt, /api/kernels/{id}/interrupt",
            "/api/kernels/6f1c0d7e/restart, /api/kernels/{id}/restart",
            "/api/kernels/6f1c0d7e/channels, /api/kernels/{id}/channels",
            "/api/sessions/abc, /api/sessions/{id}",
            "/api/kernelspecs/python3, /api/kernelspecs/{name}",
            "/kernelspecs/python3/logo-64x64.png, /kernelspecs/{name}/{file}",
            "/api/contents, /api/contents",
            "/api/contents/, /api/contents",
            "/api/contents/a.ipynb, /api/contents/{path}",
            "/api/contents/deep/er/notebook.ipynb, /api/contents/{path}",
            "/api/contents/dir/a.ipynb/checkpoints, /api/contents/{path}/checkpoints",
            "/api/contents/a.ipynb/checkpoints/checkpoint, /api/contents/{path}/checkpoints/{checkpoint_id}",
            "/api/contents/checkpoints, /api/contents/{path}/checkpoints",
            "/health/live, /health/live",
            "/health/ready, /health/ready",
            "/metrics, /metrics",
    })
    void template_mapsQuireRoutesToTheirTemplates(String path, String template) {
        assertThat(routes.template(path)).isEqualTo(template);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/",
            "/wp-admin/setup.php",
            "/api/kernels/abc/def/ghi",
            "/api/kernels/abc/unknown",
            "/api/sessions/a/b",
            "/api/kernelz",
            "/health",
    })
    void template_mapsEveryOtherPathToUnmatched(String path) {
        assertThat(routes.template(path)).isEqualTo(RouteTemplates.UNMATCHED);
    }

    @Test
    void template_doesNotMatchAnEmptySegmentAsAnId() {
        assertThat(routes.template("/api/kernels//restart")).isEqualTo(RouteTemplates.UNMATCHED);
    }

    @Test
    void and_addsTemplatesTriedAfterTheFirst() {
        RouteTemplates more = routes.and(List.of("/api/v1/notebooks/{path...}", "/api/kernels/{id}/{anything}"));

        assertThat(more.template("/api/v1/notebooks/a/b.ipynb")).isEqualTo("/api/v1/notebooks/{path}");
        assertThat(more.template("/api/kernels/k/restart")).isEqualTo("/api/kernels/{id}/restart");
        assertThat(more.template("/api/kernels/k/other")).isEqualTo("/api/kernels/{id}/{anything}");
    }

    @Test
    void of_rejectsInvalidTemplates() {
        assertThatThrownBy(() -> RouteTemplates.of(List.of("api"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'api'");
        assertThatThrownBy(() -> RouteTemplates.of(List.of("/a//b"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty segment");
        assertThatThrownBy(() -> RouteTemplates.of(List.of("/{a...}/{b...}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than one");
    }

    @Test
    void method_keepsStandardMethodsAndBoundsTheRest() {
        assertThat(RouteTemplates.method("GET")).isEqualTo("GET");
        assertThat(RouteTemplates.method("patch")).isEqualTo("PATCH");
        assertThat(RouteTemplates.method("PROPFIND")).isEqualTo("other");
    }
}
