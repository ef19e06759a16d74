package io.quire.server.team;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The scopes an API token can be limited to in team mode, and which one each request needs. A token without scopes
 * may do whatever its user may; a token with scopes may in addition only do what they name. Scopes never grant
 * anything the user's roles do not (a viewer's {@code contents:write} token still cannot save).
 *
 * <ul>
 *   <li>{@value #CONTENTS_READ}: read notebooks, files, folders, checkpoints and versions ({@code GET} and
 *       {@code HEAD} on {@code /api/contents}, {@code /api/v1/files}), and subscribe to a file's real-time
 *       channel.</li>
 *   <li>{@value #CONTENTS_WRITE}: create, save, rename, delete, checkpoint, restore.</li>
 *   <li>{@value #KERNELS_READ}: list and read kernels, sessions, executions and runs (also a file's runs).</li>
 *   <li>{@value #KERNELS_EXECUTE}: start, stop, interrupt and restart kernels and sessions, execute, start runs,
 *       attach to a kernel's channels.</li>
 * </ul>
 *
 * <p>Routes that only describe the server or the caller ({@code /api}, {@code /api/status}, {@code /api/me},
 * kernel specs, {@code /openapi}, logout) need no scope.
 */
public final class TokenScopes {
    /** Read contents. */
    public static final String CONTENTS_READ = "contents:read";
    /** Change contents. */
    public static final String CONTENTS_WRITE = "contents:write";
    /** Read kernels, sessions, executions and runs. */
    public static final String KERNELS_READ = "kernels:read";
    /** Run code. */
    public static final String KERNELS_EXECUTE = "kernels:execute";
    /** Every scope there is. */
    public static final Set<String> ALL = Set.of(CONTENTS_READ, CONTENTS_WRITE, KERNELS_READ, KERNELS_EXECUTE);

    private static final List<String> KERNEL_PREFIXES = List.of("/api/kernels", "/api/sessions", "/api/v1/sessions",
            "/api/v1/executions", "/api/v1/runs");
    /** A file's runs and kernel sessions, under the files prefix but about running code. */
    private static final Pattern FILE_KERNEL_ROUTES = Pattern.compile("^/api/v1/files/[^/]+/(runs|sessions)/?$");
    private static final List<String> CONTENTS_PREFIXES = List.of("/api/contents", "/api/v1/files");

    private TokenScopes() {
    }

    /**
     * The scope a request needs.
     *
     * @param method the HTTP method
     * @param path   the raw path
     * @return the scope, or empty when the route needs none
     */
    public static Optional<String> required(String method, String path) {
        boolean reads = method.equals("GET") || method.equals("HEAD");
        if (under(path, KERNEL_PREFIXES) || FILE_KERNEL_ROUTES.matcher(path).matches()) {
            return Optional.of(reads ? KERNELS_READ : KERNELS_EXECUTE);
        }
        if (under(path, CONTENTS_PREFIXES)) {
            return Optional.of(reads ? CONTENTS_READ : CONTENTS_WRITE);
        }
        return Optional.empty();
    }

    private static boolean under(String path, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }
}
