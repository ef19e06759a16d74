package io.quire.server.team;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.quire.contents.ContentsManager;
import io.quire.kernel.KernelOwner;
import io.quire.kernels.KernelManager;
import io.quire.kernels.ManagedKernelInfo;
import io.quire.server.http.ApiException;
import io.quire.server.http.ErrorResponses;
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
import io.quire.store.contents.DatabaseContentsManager;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

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
 * starting a kernel needs the {@code executor} role on the project. v1 routes that run code or write outputs into
 * notebooks in the background are not scoped yet and answer 501 here ({@link #refuseUnscopedRoutes}).
 *
 * <p>Thread-safe. Closing it closes the store.
 */
public final class TeamMode implements AutoCloseable {
    /** The v1 routes that work per caller in team mode; the others answer 501. */
    private static final Set<V1Route> SCOPED_V1 = EnumSet.of(V1Route.FILE_BY_PATH, V1Route.FILE,
            V1Route.FILE_CONTENT, V1Route.SAVE_FILE_CONTENT, V1Route.FILE_VERSIONS, V1Route.FILE_VERSION,
            V1Route.NAME_FILE_VERSION, V1Route.FILE_VERSION_DIFF, V1Route.RESTORE_FILE_VERSION, V1Route.KERNEL_SPECS,
            V1Route.OPENAPI);

    private final Store store;
    private final Clock clock;
    private final DatabaseContentsManager.Options options;
    private final Map<OrgId, ProjectId> projects = new ConcurrentHashMap<>();
    private final Map<OrgId, SessionManager> sessions = new ConcurrentHashMap<>();

    private TeamMode(Store store, Clock clock, DatabaseContentsManager.Options options) {
        this.store = store;
        this.clock = clock;
        this.options = options;
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
     * The authentication filter: every path but the public ones needs a valid store token.
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
                if (open.stream().anyMatch(path::startsWith)) {
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
        return new Caller(token.orgId(), token.userId(), token.id());
    }

    /**
     * Who may attach to a kernel's channels: a caller with a valid token of the kernel's organisation.
     *
     * @return the rule for {@link io.quire.server.jupyter.KernelChannels}
     */
    public BiPredicate<String, ManagedKernelInfo> channelsAccess() {
        return (token, kernel) -> !token.isEmpty() && authenticate(token).map(caller -> sees(caller, kernel))
                .orElse(false);
    }

    /**
     * Each request's world: its organisation's default project as contents, its organisation's sessions and kernels.
     *
     * @param kernels the kernel manager (shared by all organisations; quotas count per owner)
     * @return the scope
     */
    public RequestScope scope(KernelManager kernels) {
        Objects.requireNonNull(kernels, "kernels");
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
                        org -> SessionManager.create(kernels, SessionStore.inMemory(), Optional.empty(), clock));
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
                return TeamMode.sees(Caller.require(request), kernel);
            }
        };
    }

    /**
     * Answers 501 on the v1 routes that are not scoped to the caller yet (runs, v1 sessions and executions: they
     * write outputs into notebooks in the background). Register before the v1 API, whose routes these then shadow.
     *
     * @param routing the routing builder
     */
    public void refuseUnscopedRoutes(HttpRouting.Builder routing) {
        for (V1Route route : V1Route.values()) {
            if (!SCOPED_V1.contains(route)) {
                routing.route(route.method(), route.template(), (request, response) -> {
                    throw new ApiException(501, "not_implemented", route.method().text() + " "
                            + route.template() + " is not available in team mode yet (runs, sessions and executions"
                            + " of the v1 API); use the Jupyter API (/api/sessions, /api/kernels)");
                });
            }
        }
    }

    private static boolean sees(Caller caller, ManagedKernelInfo kernel) {
        return kernel.owner().map(owner -> owner.organisation().equals(caller.organisation().toString()))
                .orElse(false);
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
