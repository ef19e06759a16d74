package io.quire.server.http;

import io.helidon.webserver.http.ServerRequest;
import io.quire.contents.ContentsManager;
import io.quire.kernel.KernelOwner;
import io.quire.kernels.ManagedKernelInfo;
import io.quire.sessions.SessionManager;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a request may see and act on: which contents, which sessions, which kernels, and whose quota a kernel it
 * starts counts against. Services ask it per request instead of holding one backend, so that one server can serve
 * one shared folder (single-user mode, {@link #shared}) or each caller's organisation (team mode).
 *
 * <p>Implementations are called after authentication, so they may rely on what the authentication filter put in the
 * request's context.
 */
public interface RequestScope {

    /**
     * The contents the caller sees.
     *
     * @param request the request
     * @return the contents backend for this caller
     */
    ContentsManager contents(ServerRequest request);

    /**
     * The sessions the caller sees (and in which session paths are unique).
     *
     * @param request the request
     * @return the session manager for this caller
     */
    SessionManager sessions(ServerRequest request);

    /**
     * Who a kernel started by this request belongs to.
     *
     * @param request the request
     * @return the owner, or empty for nobody (no quota applies)
     */
    Optional<KernelOwner> kernelOwner(ServerRequest request);

    /**
     * Whether the caller may see and use a kernel; kernels the caller may not see answer as if they did not exist.
     *
     * @param request the request
     * @param kernel  the kernel
     * @return true if visible
     */
    boolean sees(ServerRequest request, ManagedKernelInfo kernel);

    /**
     * Whether the caller may see records (runs, sessions, executions) bound to a file path: in team mode only while
     * they can see the file itself, so that revoking a grant also hides its runs. Single-user mode sees every path.
     *
     * @param request the request
     * @param path    the file's API path
     * @return true if the caller may see records of that file
     */
    default boolean seesFile(ServerRequest request, String path) {
        return true;
    }

    /**
     * A folder of the caller's own that kernels they start work in, instead of their notebook's folder under the
     * server root (team mode: one scratch folder per organisation, since the organisation's files live in the
     * database, not under the root). Empty in single-user mode: kernels start in the notebook's folder.
     *
     * @param request the request
     * @return the folder, created if needed, or empty
     */
    default Optional<Path> kernelDirectory(ServerRequest request) {
        return Optional.empty();
    }

    /**
     * The key that separates the caller's runs and executions from everybody else's: records made under one tenant
     * are not found under another (team mode: the organisation's id; single-user mode: one shared key).
     *
     * @param request the request
     * @return the tenant key
     */
    default String tenant(ServerRequest request) {
        return "";
    }

    /**
     * Single-user mode: everyone who passed the shared token sees the same contents, sessions and kernels, and
     * kernels belong to nobody.
     *
     * @param contents the contents
     * @param sessions the sessions
     * @return the scope
     */
    static RequestScope shared(ContentsManager contents, SessionManager sessions) {
        Objects.requireNonNull(contents, "contents");
        Objects.requireNonNull(sessions, "sessions");
        return new RequestScope() {
            @Override
            public ContentsManager contents(ServerRequest request) {
                return contents;
            }

            @Override
            public SessionManager sessions(ServerRequest request) {
                return sessions;
            }

            @Override
            public Optional<KernelOwner> kernelOwner(ServerRequest request) {
                return Optional.empty();
            }

            @Override
            public boolean sees(ServerRequest request, ManagedKernelInfo kernel) {
                return true;
            }
        };
    }
}
