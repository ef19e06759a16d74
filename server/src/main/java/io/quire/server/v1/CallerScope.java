package io.quire.server.v1;

import io.helidon.webserver.http.ServerRequest;
import io.quire.contents.ContentsManager;
import io.quire.server.http.RequestScope;
import io.quire.sessions.SessionManager;
import java.util.Objects;

/**
 * What a background job (an execution in a session) keeps of the request that started it: whose it is, the contents
 * it reads and writes (acting for the caller, with the caller's permissions) and the sessions it looks its session up
 * in. Resolved once, on the request's thread, so that the job's worker never needs the request.
 *
 * @param tenant   whose job it is ({@link RequestScope#tenant})
 * @param contents the caller's contents
 * @param sessions the caller's sessions
 */
record CallerScope(String tenant, ContentsManager contents, SessionManager sessions) {

    /** Rejects nulls. */
    CallerScope {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(contents, "contents");
        Objects.requireNonNull(sessions, "sessions");
    }

    /**
     * The scope of a request.
     *
     * @param scope   the server's request scope
     * @param request the request
     * @return the caller's scope
     */
    static CallerScope of(RequestScope scope, ServerRequest request) {
        return new CallerScope(scope.tenant(request), scope.contents(request), scope.sessions(request));
    }

    /**
     * A key for a path that is unique across tenants (two organisations may have files of the same path).
     *
     * @param path an API path
     * @return the key
     */
    String key(String path) {
        return tenant + "\u0000" + path;
    }
}
