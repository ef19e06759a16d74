package io.quire.server.v1;

import io.helidon.http.Method;
import java.util.List;
import java.util.Objects;

/**
 * Every route of the v1 API, once. {@link V1Api} registers exactly these (an exhaustive switch gives each a
 * handler), {@code openapi.yaml} must document exactly these (checked by a test), and metrics use
 * {@link #templates()} as route labels.
 */
public enum V1Route {
    /** {@code GET /api/v1/files?path=P}: a file resource looked up by path. */
    FILE_BY_PATH(Method.GET, "/api/v1/files"),
    /** {@code GET /api/v1/files/{id}}: a file resource. */
    FILE(Method.GET, "/api/v1/files/{id}"),
    /**
     * {@code GET /api/v1/files/{id}/content}: a notebook's JSON, or a file's text or base64; with
     * {@code ?as_of=T}, as it was at that time (team mode).
     */
    FILE_CONTENT(Method.GET, "/api/v1/files/{id}/content"),
    /** {@code PUT /api/v1/files/{id}/content}: replaces a notebook. */
    SAVE_FILE_CONTENT(Method.PUT, "/api/v1/files/{id}/content"),
    /** {@code GET /api/v1/files/{id}/versions}: a file's versions, newest first (team mode). */
    FILE_VERSIONS(Method.GET, "/api/v1/files/{id}/versions"),
    /** {@code GET /api/v1/files/{id}/versions/{version}}: a version with its content. */
    FILE_VERSION(Method.GET, "/api/v1/files/{id}/versions/{version}"),
    /** {@code PATCH /api/v1/files/{id}/versions/{version}}: names a version. */
    NAME_FILE_VERSION(Method.PATCH, "/api/v1/files/{id}/versions/{version}"),
    /** {@code GET /api/v1/files/{id}/versions/{version}/diff?from=V}: what changed from another version. */
    FILE_VERSION_DIFF(Method.GET, "/api/v1/files/{id}/versions/{version}/diff"),
    /** {@code POST /api/v1/files/{id}/versions/{version}/restore}: adds a version equal to this one. */
    RESTORE_FILE_VERSION(Method.POST, "/api/v1/files/{id}/versions/{version}/restore"),
    /** {@code POST /api/v1/files/{id}/runs}: starts a run of a notebook. */
    START_RUN(Method.POST, "/api/v1/files/{id}/runs"),
    /** {@code GET /api/v1/files/{id}/runs}: the runs of a notebook. */
    FILE_RUNS(Method.GET, "/api/v1/files/{id}/runs"),
    /** {@code GET /api/v1/runs/{id}}: a run. */
    RUN(Method.GET, "/api/v1/runs/{id}"),
    /** {@code POST /api/v1/runs/{id}/cancel}: asks a run to stop. */
    CANCEL_RUN(Method.POST, "/api/v1/runs/{id}/cancel"),
    /** {@code POST /api/v1/files/{id}/sessions}: opens the kernel session of a notebook (or returns its existing one). */
    CREATE_SESSION(Method.POST, "/api/v1/files/{id}/sessions"),
    /** {@code GET /api/v1/sessions}: the notebook sessions. */
    SESSIONS(Method.GET, "/api/v1/sessions"),
    /** {@code GET /api/v1/sessions/{id}}: a session. */
    SESSION(Method.GET, "/api/v1/sessions/{id}"),
    /** {@code DELETE /api/v1/sessions/{id}}: ends a session and shuts its kernel down. */
    DELETE_SESSION(Method.DELETE, "/api/v1/sessions/{id}"),
    /** {@code POST /api/v1/sessions/{id}/interrupt}: interrupts the session's kernel. */
    INTERRUPT_SESSION(Method.POST, "/api/v1/sessions/{id}/interrupt"),
    /** {@code POST /api/v1/sessions/{id}/restart}: restarts the session's kernel. */
    RESTART_SESSION(Method.POST, "/api/v1/sessions/{id}/restart"),
    /** {@code POST /api/v1/sessions/{id}/executions}: queues an execution of cells in a session. */
    START_EXECUTION(Method.POST, "/api/v1/sessions/{id}/executions"),
    /** {@code GET /api/v1/executions/{id}}: an execution with its outputs. */
    EXECUTION(Method.GET, "/api/v1/executions/{id}"),
    /** {@code POST /api/v1/executions/{id}/cancel}: cancels an execution. */
    CANCEL_EXECUTION(Method.POST, "/api/v1/executions/{id}/cancel"),
    /**
     * {@code POST /api/v1/auth/login}: signs in with an e-mail address and a password and makes a session token
     * (team mode); the only v1 route that needs no token.
     */
    LOGIN(Method.POST, "/api/v1/auth/login"),
    /** {@code POST /api/v1/auth/logout}: revokes the token the request presents (team mode). */
    LOGOUT(Method.POST, "/api/v1/auth/logout"),
    /** {@code GET /api/v1/kernelspecs}: the kernels runs can use. */
    KERNEL_SPECS(Method.GET, "/api/v1/kernelspecs"),
    /** {@code GET /openapi}: the OpenAPI document of this API. */
    OPENAPI(Method.GET, "/openapi");

    private final Method method;
    private final String template;

    V1Route(Method method, String template) {
        this.method = Objects.requireNonNull(method);
        this.template = Objects.requireNonNull(template);
    }

    /**
     * The HTTP method.
     *
     * @return the method
     */
    public Method method() {
        return method;
    }

    /**
     * The path template, with {@code {name}} for a path parameter (one segment), as Helidon and OpenAPI write it.
     *
     * @return the template
     */
    public String template() {
        return template;
    }

    /**
     * The distinct path templates, most specific first, for {@code RouteTemplates.quire().and(...)}.
     *
     * @return the templates
     */
    public static List<String> templates() {
        return java.util.Arrays.stream(values()).map(V1Route::template).distinct().toList();
    }
}
