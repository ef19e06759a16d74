package io.quire.server;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import io.quire.collab.DeltaLog;
import io.quire.collab.DeltaStores;
import io.quire.collab.KernelLeases;
import io.quire.collab.spi.DeltaStore;
import io.quire.contents.ContentsBadRequestException;
import io.quire.contents.ContentsConflictException;
import io.quire.contents.ContentsException;
import io.quire.contents.ContentsForbiddenException;
import io.quire.contents.ContentsManager;
import io.quire.contents.ContentsNotFoundException;
import io.quire.contents.ContentsStorageException;
import io.quire.contents.fs.FileContentsManager;
import io.quire.kernel.KernelClientOptions;
import io.quire.kernel.KernelException;
import io.quire.kernel.KernelLauncher;
import io.quire.kernel.KernelSpecException;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.kernel.local.LocalProcessProvisioner;
import io.quire.kernel.spi.KernelProvisioner;
import io.quire.kernels.KernelEvents;
import io.quire.kernels.KernelManager;
import io.quire.kernels.KernelNotFoundException;
import io.quire.kernels.KernelQuotaExceededException;
import io.quire.server.http.ApiException;
import io.quire.server.http.BodyLimit;
import io.quire.server.http.Cors;
import io.quire.server.http.ErrorResponses;
import io.quire.server.http.JsonDirectHandler;
import io.quire.server.http.RequestIds;
import io.quire.server.http.RequestScope;
import io.quire.server.http.TokenAuth;
import io.quire.server.jupyter.ApiRootService;
import io.quire.server.jupyter.ContentsService;
import io.quire.server.jupyter.KernelChannels;
import io.quire.server.rtu.CollabSaves;
import io.quire.server.rtu.RtuAccess;
import io.quire.server.rtu.RtuEndpoint;
import io.quire.server.rtu.RtuExecution;
import io.quire.server.collab.SharedExecutions;
import io.quire.server.rtu.RtuHub;
import io.quire.server.jupyter.KernelSpecsService;
import io.quire.server.jupyter.KernelsService;
import io.quire.server.jupyter.SessionsService;
import io.quire.server.kernels.KernelBackend;
import io.quire.server.observe.AccessLog;
import io.quire.server.team.TeamMode;
import io.quire.server.observe.HealthChecks;
import io.quire.server.observe.HealthService;
import io.quire.server.observe.HttpMetricsFilter;
import io.quire.server.observe.MetricsService;
import io.quire.server.observe.RouteTemplates;
import io.quire.server.observe.ServerMetrics;
import io.quire.server.v1.KernelNotices;
import io.quire.server.runtime.KernelHandover;
import io.quire.server.v1.V1Api;
import io.quire.server.v1.V1Route;
import io.quire.sessions.SessionException;
import io.quire.sessions.SessionManager;
import io.quire.sessions.SessionNotFoundException;
import io.quire.sessions.SessionStore;
import io.quire.store.StoreBadRequestException;
import io.quire.store.StoreConflictException;
import io.quire.store.StoreContentionException;
import io.quire.store.StoreException;
import io.quire.store.StoreFailureException;
import io.quire.store.StoreForbiddenException;
import io.quire.store.StoreNotFoundException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A running Quire server: the Jupyter Server REST and kernel WebSocket API under {@code /api}, Quire's own API under
 * {@code /api/v1} (described at {@code /openapi}), health under {@code /health}, Prometheus metrics at
 * {@code /metrics}.
 *
 * <p>Design: this class only wires things. Each resource has one thin service class that parses the request, calls
 * core, and maps the result; every failure becomes a JSON error in one place ({@link ErrorResponses} and
 * {@link #toApiError}). Filters run in this order: request id, metrics, access log, CORS, body limit, token. The
 * server listens on the configured address only (127.0.0.1 by default). At start it takes over the kernels a previous
 * run left running with the same state directory; closing it stops accepting, lets in-flight requests finish, and
 * shuts every kernel down (or leaves them running, when so configured).
 */
public final class QuireServer implements AutoCloseable {
    private final WebServer server;
    private final ServerConfig config;
    private final KernelManager kernels;
    private final V1Api v1;
    private final KernelChannels channels;
    private final KernelHandover handover;
    private final KernelBackend backend;
    private final Optional<TeamMode> team;
    private final RtuHub rtu;
    private final RtuExecution rtuExecution;

    private QuireServer(WebServer server, ServerConfig config, KernelManager kernels, V1Api v1,
            KernelChannels channels, KernelHandover handover, KernelBackend backend, Optional<TeamMode> team,
            RtuHub rtu, RtuExecution rtuExecution) {
        this.server = server;
        this.config = config;
        this.kernels = kernels;
        this.v1 = v1;
        this.channels = channels;
        this.handover = handover;
        this.backend = backend;
        this.team = team;
        this.rtu = rtu;
        this.rtuExecution = rtuExecution;
    }

    /**
     * Starts a server with local process kernels.
     *
     * @param config   how to run
     * @param registry where kernel specs are found
     * @param version  Quire's version, reported by {@code GET /api}
     * @return the started server
     */
    public static QuireServer start(ServerConfig config, KernelSpecRegistry registry, String version) {
        // kernels that may be left running for the next start must not die with this JVM
        return start(config, registry, LocalProcessProvisioner.create().detached(!config.shutdownKernels()), version);
    }

    /**
     * Starts a server.
     *
     * @param config      how to run
     * @param registry    where kernel specs are found
     * @param provisioner launches kernels (local processes, containers, ...)
     * @param version     Quire's version, reported by {@code GET /api}
     * @return the started server
     * @throws IllegalStateException when it cannot listen (kernels it took over are handed on again)
     */
    public static QuireServer start(ServerConfig config, KernelSpecRegistry registry, KernelProvisioner provisioner,
            String version) {
        return start(config, KernelBackend.of(registry, provisioner), version);
    }

    /**
     * Starts a server on a kernel backend (e.g. one built from the {@code kernels:} configuration, with Docker
     * kernels). Closing the server closes the backend.
     *
     * @param config  how to run
     * @param backend the kernel specs offered and where they run
     * @param version Quire's version, reported by {@code GET /api}
     * @return the started server
     */
    public static QuireServer start(ServerConfig config, KernelBackend backend, String version) {
        return start(config, backend, Optional.empty(), version);
    }

    /**
     * Starts a server, in team mode when given one: callers then authenticate with the store's API tokens instead of
     * the shared token, and see their organisation's contents, sessions and kernels (decision record 0015). Closing
     * the server closes the backend and team mode (with its store).
     *
     * @param config  how to run
     * @param backend the kernel specs offered and where they run
     * @param team    team mode over a store, or empty for single-user mode (the configured root and token)
     * @param version Quire's version, reported by {@code GET /api}
     * @return the started server
     */
    public static QuireServer start(ServerConfig config, KernelBackend backend, Optional<TeamMode> team,
            String version) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(team, "team");
        KernelSpecRegistry registry = backend.registry();
        KernelProvisioner provisioner = backend.provisioner();
        if (!Files.isDirectory(config.root())) {
            throw new IllegalArgumentException("the server root " + config.root() + " is not a folder");
        }
        Clock clock = Clock.systemUTC();
        KernelLauncher launcher = KernelLauncher.create(provisioner, registry, KernelClientOptions.defaults());
        KernelManager kernels = backend.config().configure(KernelManager.builder(launcher)).clock(clock)
                .defaultKernelName(config.defaultKernel()).startTimeout(Duration.ofSeconds(60))
                .workingDirectory(config.root().toAbsolutePath()).build(); // as Jupyter Server: its root_dir
        SessionStore sessionStore = SessionStore.inMemory();
        KernelHandover handover = KernelHandover.create(config.stateDir(), kernels, sessionStore);
        handover.takeOver(launcher, Duration.ofSeconds(10));
        ServerMetrics metrics = ServerMetrics.create(kernels::list);
        SessionManager sessions = SessionManager.create(kernels, sessionStore, Optional.of(config.root()));
        KernelChannels channels = team.map(t -> new KernelChannels(kernels, t.channelsAccess(), metrics,
                config.channels(), System::nanoTime)).orElseGet(() -> new KernelChannels(kernels, config.token(),
                metrics, config.channels(), System::nanoTime));
        metrics.webSocketConnections(channels::connections);
        metrics.pools(kernels::poolStatus);
        kernels.addListener(new KernelEvents() {
            @Override
            public void onCullWarning(String kernelId, Duration remaining) {
                channels.notice(kernelId, "cull", "Quire will shut this idle kernel down in " + remaining.toSeconds()
                        + " s unless it is used.\n");
            }

            @Override
            public void onCulled(String kernelId) {
                channels.shutDown(kernelId);
            }
        });
        ContentsManager contents = FileContentsManager.create(config.root());
        RequestScope scope = team.map(t -> t.scope(kernels, config.stateDir().resolve("scratch"))).orElseGet(() -> RequestScope.shared(contents, sessions));
        // collaboration: the store's delta log in team mode (shared by every node, polled for their deltas); in
        // single-user mode one process owns the log, kept in memory
        DeltaStore deltaStore = team.map(t -> DeltaStores.jdbc(t.store())).orElseGet(DeltaStores::inMemory);
        RtuHub rtu = new RtuHub(deltaStore, DeltaLog.Config.defaults(), team.isPresent() ? config.rtu()
                : config.rtu().withPollInterval(Duration.ZERO));
        RtuAccess rtuAccess = team.map(RtuAccess::team).orElseGet(() -> RtuAccess.singleUser(config.token(), contents));
        // shared execution (decisions 0020, 0025): one per node, a random node id per process; leases in the store
        // in team mode, in memory (one process) in single-user mode
        KernelLeases leases = team.map(t -> KernelLeases.jdbc(t.store(), clock))
                .orElseGet(() -> KernelLeases.inMemory(deltaStore, clock));
        RtuExecution rtuExecution = new RtuExecution(rtu, SharedExecutions.builder(kernels, leases)
                .leaseTtl(config.rtu().kernelLeaseTtl()).build(), team.map(TeamMode::store), clock,
                config.rtu().kernelLeaseTtl());
        // presence and execution events reach the other nodes' clients through the store (decision 0028)
        team.ifPresent(t -> rtu.relayThrough(t.store(), rtuExecution.executions().nodeId(), clock));
        RtuEndpoint rtuEndpoint = new RtuEndpoint(rtu, rtuAccess, Optional.of(rtuExecution));
        CollabSaves collabSaves = new CollabSaves(rtu, rtuAccess);
        V1Api.Builder v1Builder = V1Api.builder(contents, kernels, registry).root(config.root()).version(version)
                .scope(scope).notebookSaves(collabSaves).notebookHistory(collabSaves)
                .notebookRestores(collabSaves);
        team.ifPresent(t -> v1Builder.auth(t.login(), t.logout()));
        V1Api v1 = v1Builder
                .kernelNotices(KernelNotices.of(channels::restarting, channels::restarted, channels::shutDown)).build();
        HealthService health = HealthService.builder()
                .check("contents", HealthChecks.contentsRoot(config.root()))
                .check("kernels", HealthChecks.kernels(kernels::list))
                .check("kernel-engine", HealthChecks.kernelEngine(kernels::health))
                .build();
        KernelSpecsService kernelSpecs = new KernelSpecsService(registry, config.defaultKernel());
        ApiRootService root = new ApiRootService(version, clock, () -> kernels.list().size(), channels::connections,
                System.getProperty("user.name", "quire"));

        HttpRouting.Builder routing = HttpRouting.builder()
                .addFilter(new RequestIds())
                .addFilter(HttpMetricsFilter.create(metrics, RouteTemplates.quire().and(V1Route.templates()), System::nanoTime))
                .addFilter(AccessLog.create())
                .addFilter(Cors.create(config.cors()))
                .addFilter(new BodyLimit(config.maxBodyBytes()))
                .addFilter(team.map(t -> t.authentication(List.of("/health/")))
                        .orElseGet(() -> TokenAuth.create(config.token(), List.of("/health/"))))
                .register(HealthService.PATH, health)
                .register(MetricsService.PATH, MetricsService.create(metrics.registry()))
                .register("/api", root)
                .register("/api/kernelspecs", kernelSpecs.api())
                .register("/api/kernels", new KernelsService(kernels, config.root(), channels, scope))
                .register("/api/sessions", new SessionsService(scope, kernels, channels))
                .register("/kernelspecs", kernelSpecs.resources());
        team.ifPresent(t -> routing.addFilter(t.deniedAudit())); // after the authentication filter
        new ContentsService(scope::contents, Optional.of(collabSaves)).register(routing);
        v1.register(routing);
        routing.any((request, response) -> {
                    throw ApiException.notFound("no route for " + request.prologue().method().text() + " "
                            + request.path().rawPath());
                });
        ErrorResponses.register(routing, QuireServer::toApiError);

        WebServer server = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .maxPayloadSize(config.maxBodyBytes())
                .directHandlers(JsonDirectHandler.all())
                // kernel messages are small and latency-bound: never let Nagle's algorithm hold them back
                .connectionOptions(options -> options.tcpNoDelay(true))
                // a plain socket writes a large body in 128 KiB pieces; Helidon's NIO socket copies it through an
                // 8 KiB buffer, one system call each (decision 0041: GET of a 1 MB notebook, +40 % requests/s)
                .useNio(false)
                .shutdownHook(false)
                .shutdownGracePeriod(config.shutdownGrace())
                // Helidon checks the Origin of WebSocket upgrades: the listed origins, else the same origin only
                .addProtocol(WsConfig.builder().origins(config.cors().anyOrigin() ? Set.of()
                        : Set.copyOf(config.cors().allowedOrigins())).build())
                .routing(routing)
                .addRouting(WsRouting.builder().endpoint("/api/kernels/{id}/channels", channels::newConnection)
                        .endpoint("/api/v1/rtu", rtuEndpoint::newConnection))
                .build();
        QuireServer quire = new QuireServer(server, config, kernels, v1, channels, handover, backend, team,
                rtu, rtuExecution);
        try {
            server.start();
            if (!server.isRunning()) { // Helidon logs a failed bind and returns a stopped server
                throw new IllegalStateException("the server could not listen on " + config.host() + ":"
                        + config.port() + " (is the port in use? the log above says why)");
            }
        } catch (RuntimeException e) {
            try {
                quire.close(); // e.g. the port is taken: kernels taken over are handed on again, not orphaned
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return quire;
    }

    /**
     * Maps the domain exceptions of core to API errors.
     *
     * @param e the exception
     * @return the API error, or null for anything unexpected (answered with a 500)
     */
    public static ApiException toApiError(RuntimeException e) {
        return switch (e) {
            case ContentsException contents -> new ApiException(switch (contents) {
                case ContentsNotFoundException ignored -> 404;
                case ContentsConflictException ignored -> 409;
                case ContentsForbiddenException ignored -> 403;
                case ContentsBadRequestException ignored -> 400;
                case ContentsStorageException ignored -> 500;
            }, contents.code(), contents.getMessage());
            case StoreException store -> {
                int status = switch (store) {
                    case StoreNotFoundException ignored -> 404;
                    case StoreForbiddenException ignored -> 403;
                    case StoreConflictException ignored -> 409;
                    case StoreBadRequestException ignored -> 400;
                    case StoreContentionException ignored -> 503;
                    case StoreFailureException ignored -> 500;
                };
                yield new ApiException(status, ErrorResponses.codeFor(status), store.getMessage());
            }
            case KernelQuotaExceededException quota -> new ApiException(429, "kernel_quota_exceeded", quota.getMessage());
            case KernelNotFoundException notFound -> ApiException.notFound(notFound.getMessage());
            case KernelSpecException spec -> ApiException.notFound(spec.getMessage());
            case SessionNotFoundException notFound -> ApiException.notFound(notFound.getMessage());
            case SessionException session -> ApiException.badRequest(session.getMessage());
            case KernelException kernel -> new ApiException(500, "kernel_error", kernel.getMessage());
            case IllegalArgumentException illegal -> ApiException.badRequest(illegal.getMessage());
            default -> null;
        };
    }

    /**
     * The kernel manager, to inspect kernels (e.g. their owners) beyond what the API shows.
     *
     * @return the kernel manager
     */
    public KernelManager kernels() {
        return kernels;
    }

    /**
     * The real-time channel's fan-out on this node, where shared execution publishes kernel status, cell state and
     * output events ({@link RtuHub#publish}).
     *
     * @return the hub
     */
    public RtuHub rtu() {
        return rtu;
    }

    /**
     * The shared execution of this node's collaborative files (decisions 0020, 0025).
     *
     * @return it
     */
    public RtuExecution rtuExecution() {
        return rtuExecution;
    }

    /**
     * The port the server listens on.
     *
     * @return the port
     */
    public int port() {
        return server.port();
    }

    /**
     * The server's base URL, such as {@code http://127.0.0.1:8888/}.
     *
     * @return the URL
     */
    public String url() {
        return "http://" + config.host() + ":" + port() + "/";
    }

    /**
     * The URL with the token, as Jupyter prints it at start.
     *
     * @return the URL with {@code ?token=...}; in team mode, where each user has tokens of their own, the bare URL
     */
    public String urlWithToken() {
        return team.isPresent() ? url() : url() + "?token=" + config.token();
    }

    /**
     * Stops accepting connections, closes kernel WebSockets (1001), lets in-flight requests finish (up to
     * {@link ServerConfig#shutdownGrace()}), then shuts every kernel down, or, with
     * {@link ServerConfig#shutdownKernels()} false, leaves them running for the next start ({@link KernelHandover}).
     */
    @Override
    public void close() {
        try {
            v1.close();
            channels.closeAll("server shutting down");
            server.stop();
            try {
                rtuExecution.close(); // shared kernels stop, their leases are released for other nodes
            } finally {
                rtu.close();
            }
        } finally {
            try {
                if (config.shutdownKernels()) {
                    kernels.shutdownAll();
                } else {
                    handover.leaveRunning();
                }
            } finally {
                try {
                    backend.close();
                } finally {
                    team.ifPresent(TeamMode::close);
                }
            }
        }
    }
}
