package io.quire.server.team;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.quire.contents.ContentsManager;
import io.quire.kernel.KernelOwner;
import io.quire.kernels.KernelManager;
import io.quire.kernels.ManagedKernelInfo;
import io.quire.server.http.ApiException;
import io.quire.server.http.ErrorResponses;
import io.quire.server.http.JsonBodies;
import io.quire.server.http.RequestScope;
import io.quire.server.http.TokenAuth;
import io.quire.server.v1.V1Route;
import io.quire.sessions.SessionManager;
import io.quire.sessions.SessionStore;
import io.quire.store.ApiToken;
import io.quire.store.OrgId;
import io.quire.store.ProjectId;
import io.quire.store.ResourceRef;
import io.quire.store.ResourceRole;
import io.quire.store.Store;
import io.quire.store.StoreException;
import io.quire.store.contents.DatabaseContentsManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's team mode: authentication by the store's API tokens, and each caller scoped to their organisation.
 *
 * <p>Design. A request passes {@link #authentication} first: the presented token ({@code Authorization: token|Bearer},
 * or {@code ?token=}) is verified by the store (hash, revocation, expiry, membership), and the {@link Caller} is
 * registered in the request's context; anything else is 401. The {@link #scope} then gives each request its
 * organisation's world: the contents are a {@link DatabaseContentsManager} over the organisation's default project
 * acting for the caller (so the store's effective roles decide: viewers read, editors write, and members without a
 * grant see nothing), sessions live in one session manager per organisation (so paths of two organisations never
 * meet), kernels are owned by the caller (so kernel quotas apply) and visible only within their organisation, and
 * starting a kernel needs the {@code executor} role on the project. The v1 API's runs, sessions and executions carry
 * the scope of the request that started them (the caller's contents, sessions and kernel ownership, and the
 * organisation as tenant key), so their background writes go through the caller's permissions and other
 * organisations never find them.
 *
 * <p>Thread-safe. Closing it closes the store.
 */
public final class TeamMode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TeamMode.class);

    private final Store store;
    private final Clock clock;
    private final DatabaseContentsManager.Options options;
    private final Map<OrgId, ProjectId> projects = new ConcurrentHashMap<>();
    private final Map<OrgId, SessionManager> sessions = new ConcurrentHashMap<>();
    private final PasswordLogin passwords;

    private TeamMode(Store store, Clock clock, DatabaseContentsManager.Options options) {
        this.store = store;
        this.clock = clock;
        this.options = options;
        this.passwords = new PasswordLogin(store, clock);
    }

    /**
     * Team mode over an open store, which it closes when closed.
     *
     * @param store the store
     * @return team mode
     */
    public static TeamMode over(Store store) {
        return new TeamMode(Objects.requireNonNull(store, "store"), Clock.systemUTC(),
                DatabaseContentsManager.Options.defaults());
    }

    /**
     * Opens the configured store (migrating its schema) and serves it in team mode.
     *
     * @param settings where the store is
     * @return team mode
     * @throws io.quire.store.StoreFailureException if the database cannot be reached or migrated
     */
    public static TeamMode open(StoreSettings settings) {
        return over(Store.open(settings.storeConfig().build()));
    }

    /** @return the store */
    public Store store() {
        return store;
    }

    /**
     * The handler of {@code POST /api/v1/auth/login}: password sign-in, answered with a new session token (see
     * {@link PasswordLogin}). The authentication filter lets this one path through without a token.
     *
     * @return the handler
     */
    public Handler login() {
        return passwords::login;
    }

    /**
     * The handler of {@code POST /api/v1/auth/logout}: revokes the presented token.
     *
     * @return the handler
     */
    public Handler logout() {
        return passwords::logout;
    }

    /**
     * Records denied requests in the audit log of the caller's organisation: every answer 403 or 404 to an
     * authenticated request under {@code /api/} (action {@code request.denied}, with method, path and status), so
     * that probing for other organisations' resources leaves a trace. Register after {@link #authentication}.
     *
     * @return the filter
     */
    public Filter deniedAudit() {
        return (chain, request, response) -> {
            chain.proceed();
            int status = response.status().code();
            Optional<Caller> caller = Caller.of(request);
            if ((status == 403 || status == 404) && caller.isPresent()
                    && request.path().rawPath().startsWith("/api/")) {
                ObjectNode details = JsonBodies.MAPPER.createObjectNode()
                        .put("method", request.prologue().method().text())
                        .put("path", request.path().rawPath())
                        .put("status", status);
                try {
                    store.audit().record(caller.get().organisation(), Optional.of(caller.get().user()),
                            "request.denied", Optional.empty(), details);
                } catch (StoreException e) {
                    LOG.warn("could not audit a denied request: {}", e.getMessage());
                }
            }
        };
    }

    /**
     * The authentication filter: every path but the public ones (and {@code POST /api/v1/auth/login}) needs a valid
     * store token.
     *
     * @param publicPrefixes path prefixes that need no token (health probes)
     * @return the filter
     */
    public Filter authentication(List<String> publicPrefixes) {
        List<String> open = List.copyOf(publicPrefixes);
        return new Filter() {
            @Override
            public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
                String path = request.path().rawPath();
                if (open.stream().anyMatch(path::startsWith) || path.equals(V1Route.LOGIN.template())) {
                    chain.proceed();
                    return;
                }
                Optional<Caller> caller = TokenAuth.presented(request).flatMap(TeamMode.this::authenticate);
                if (caller.isEmpty()) {
                    ErrorResponses.send(response, new ApiException(401, "unauthorized", "this server needs a valid"
                            + " API token (unknown, revoked and expired tokens are refused): send"
                            + " 'Authorization: token <token>' or add ?token=<token>"));
                    return;
                }
                Optional<String> needed = TokenScopes.required(request.prologue().method().text(), path);
                if (needed.isPresent() && !caller.get().allows(needed.get())) {
                    ErrorResponses.send(response, new ApiException(403, "insufficient_scope", "this API token may not"
                            + " be used for " + request.prologue().method().text() + " " + path + ": it needs the"
                            + " scope '" + needed.get() + "' (the token has " + caller.get().scopes() + ")"));
                    return;
                }
                request.context().register(caller.get());
                chain.proceed();
            }
        };
    }

    /**
     * Verifies a token with the store.
     *
     * @param token the presented token text
     * @return the caller, or empty when the token is unknown, malformed, revoked or expired, or its user left the
     *         organisation
     */
    public Optional<Caller> authenticate(String token) {
        return store.tokens().verify(token).map(TeamMode::caller);
    }

    private static Caller caller(ApiToken token) {
        return new Caller(token.orgId(), token.userId(), token.id(), token.scopes());
    }

    /**
     * Who may attach to a kernel's channels (and so run code on it): a caller with a valid token who sees the kernel
     * and has the {@code executor} role on their organisation's project.
     *
     * @return the rule for {@link io.quire.server.jupyter.KernelChannels}
     */
    public BiPredicate<String, ManagedKernelInfo> channelsAccess() {
        return (token, kernel) -> !token.isEmpty() && authenticate(token).map(caller -> caller.allows(
                TokenScopes.KERNELS_EXECUTE) && sees(caller, kernel)
                && projectRole(caller).map(role -> role.atLeast(ResourceRole.EXECUTOR)).orElse(false)).orElse(false);
    }

    /**
     * Each request's world: its organisation's default project as contents, its organisation's sessions and kernels.
     *
     * <p>Kernels of an organisation work in its own scratch folder, {@code scratch/<organisation id>} (created on
     * first use), never in the server root: the organisation's files are in the database, and the root may hold
     * anybody's files.
     *
     * @param kernels the kernel manager (shared by all organisations; quotas count per owner)
     * @param scratch the folder holding each organisation's scratch folder (e.g. under the server's state folder)
     * @return the scope
     */
    public RequestScope scope(KernelManager kernels, Path scratch) {
        Objects.requireNonNull(kernels, "kernels");
        Path scratchRoot = scratch.toAbsolutePath().normalize();
        return new RequestScope() {
            @Override
            public ContentsManager contents(ServerRequest request) {
                Caller caller = Caller.require(request);
                return DatabaseContentsManager.create(store, caller.organisation(), project(caller.organisation()),
                        caller.user(), options);
            }

            @Override
            public SessionManager sessions(ServerRequest request) {
                return sessions.computeIfAbsent(Caller.require(request).organisation(),
                        org -> SessionManager.create(kernels, SessionStore.inMemory(),
                                Optional.of(scratchFolder(scratchRoot, org)), clock));
            }

            @Override
            public Optional<KernelOwner> kernelOwner(ServerRequest request) {
                Caller caller = Caller.require(request);
                // running code needs executor on the project; without any role the project does not exist for them
                store.permissions().require(caller.organisation(), caller.user(),
                        ResourceRef.project(project(caller.organisation())), ResourceRole.EXECUTOR);
                return Optional.of(caller.kernelOwner());
            }

            @Override
            public boolean sees(ServerRequest request, ManagedKernelInfo kernel) {
                return TeamMode.this.sees(Caller.require(request), kernel);
            }

            @Override
            public boolean seesFile(ServerRequest request, String path) {
                return contents(request).exists(path);
            }

            @Override
            public Optional<Path> kernelDirectory(ServerRequest request) {
                return Optional.of(scratchFolder(scratchRoot, Caller.require(request).organisation()));
            }

            @Override
            public String tenant(ServerRequest request) {
                return Caller.require(request).organisation().toString();
            }
        };
    }

    /**
     * Kernels (and the Jupyter sessions on them) are visible within their organisation, to their owner and to members
     * with a role on the organisation's project; a member without any grant sees none.
     */
    private boolean sees(Caller caller, ManagedKernelInfo kernel) {
        return kernel.owner().map(owner -> owner.organisation().equals(caller.organisation().toString())
                && (owner.user().equals(caller.user().toString()) || projectRole(caller).isPresent())).orElse(false);
    }

    private Optional<ResourceRole> projectRole(Caller caller) {
        return store.permissions().effectiveRole(caller.organisation(), caller.user(),
                ResourceRef.project(project(caller.organisation())));
    }

    /** An organisation's scratch folder, created if missing (owner-only where the file system has permissions). */
    private static Path scratchFolder(Path root, OrgId org) {
        Path folder = root.resolve(org.toString());
        try {
            if (!Files.isDirectory(folder)) {
                Files.createDirectories(root);
                try {
                    Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException e) {
                    Files.createDirectory(folder);
                } catch (FileAlreadyExistsException e) {
                    // made by a concurrent request
                }
            }
            return folder;
        } catch (IOException e) {
            throw new ApiException(500, "internal_error", "cannot create the kernels' scratch folder " + folder
                    + ": " + e.getMessage());
        }
    }

    private ProjectId project(OrgId org) {
        return projects.computeIfAbsent(org, id -> TeamAdmin.defaultProject(store, id));
    }

    /** Closes the store. */
    @Override
    public void close() {
        store.close();
    }
}
