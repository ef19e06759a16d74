package io.quire.server.team;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.server.v1.V1Route;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenScopesTest {

    @Test
    void contentsRoutes_needReadForReadsAndWriteForChanges() {
        assertThat(TokenScopes.required("GET", "/api/contents")).contains(TokenScopes.CONTENTS_READ);
        assertThat(TokenScopes.required("GET", "/api/contents/a/b.ipynb")).contains(TokenScopes.CONTENTS_READ);
        assertThat(TokenScopes.required("PUT", "/api/contents/a/b.ipynb")).contains(TokenScopes.CONTENTS_WRITE);
        assertThat(TokenScopes.required("POST", "/api/contents/b.ipynb/checkpoints"))
                .contains(TokenScopes.CONTENTS_WRITE);
        assertThat(TokenScopes.required("GET", "/api/v1/files/f_x/versions")).contains(TokenScopes.CONTENTS_READ);
        assertThat(TokenScopes.required("POST", "/api/v1/files/f_x/versions/v/restore"))
                .contains(TokenScopes.CONTENTS_WRITE);
    }

    @Test
    void kernelRoutes_needKernelScopes_includingAFilesRunsAndSessions() {
        assertThat(TokenScopes.required("GET", "/api/kernels")).contains(TokenScopes.KERNELS_READ);
        assertThat(TokenScopes.required("POST", "/api/kernels/k/interrupt")).contains(TokenScopes.KERNELS_EXECUTE);
        assertThat(TokenScopes.required("POST", "/api/sessions")).contains(TokenScopes.KERNELS_EXECUTE);
        assertThat(TokenScopes.required("POST", "/api/v1/files/f_x/runs")).contains(TokenScopes.KERNELS_EXECUTE);
        assertThat(TokenScopes.required("GET", "/api/v1/files/f_x/runs")).contains(TokenScopes.KERNELS_READ);
        assertThat(TokenScopes.required("POST", "/api/v1/files/f_x/sessions")).contains(TokenScopes.KERNELS_EXECUTE);
        assertThat(TokenScopes.required("POST", "/api/v1/sessions/s/executions"))
                .contains(TokenScopes.KERNELS_EXECUTE);
        assertThat(TokenScopes.required("GET", "/api/v1/executions/e")).contains(TokenScopes.KERNELS_READ);
    }

    @Test
    void describingRoutes_needNoScope_andPrefixesDoNotMatchLongerNames() {
        assertThat(TokenScopes.required("GET", "/api")).isEmpty();
        assertThat(TokenScopes.required("GET", "/api/me")).isEmpty();
        assertThat(TokenScopes.required("GET", "/api/kernelspecs")).isEmpty();
        assertThat(TokenScopes.required("GET", "/api/v1/kernelspecs")).isEmpty();
        assertThat(TokenScopes.required("POST", "/api/v1/auth/logout")).isEmpty();
        assertThat(TokenScopes.required("GET", "/api/contentsx")).isEmpty();
    }

    @Test
    void everyV1RouteThatTouchesAFileOrAKernel_hasAScope() {
        for (V1Route route : V1Route.values()) {
            String path = route.template().replaceAll("\\{[^}]+}", "x");
            Optional<String> scope = TokenScopes.required(route.method().text(), path);
            boolean describing = path.startsWith("/api/v1/auth/") || path.equals("/api/v1/kernelspecs")
                    || !path.startsWith("/api/v1/");
            assertThat(scope.isPresent()).as(route + " " + path).isEqualTo(!describing);
        }
    }
}
