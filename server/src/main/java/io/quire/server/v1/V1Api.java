package io.quire.server.v1;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.quire.contents.ContentsManager;
import io.quire.execution.KernelStarter;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.kernel.KernelOwner;
import io.quire.kernels.KernelManager;
import io.quire.server.http.ApiException;
import io.quire.server.http.RequestScope;
import io.quire.sessions.SessionManager;
import io.quire.sessions.SessionStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Quire's API v1 ({@code /api/v1}) and its OpenAPI document ({@code /openapi}): wiring only. One thin service per
 * resource ({@link FilesService}, {@link VersionsService}, {@link RunsService}, {@link SessionsService}, {@link ExecutionsService},
 * {@link KernelSpecsService}, {@link OpenApiService}); runs are executed by a {@link RunExecutor} and kept in a
 * {@link RunRegistry}; executions in sessions are run by a {@link SessionExecutor}.
 *
 * <p>Register it before any catch-all route and close it when the server stops:
 * <pre>{@code
 * V1Api v1 = V1Api.builder(contents, kernels, registry).root(config.root()).version(version)
 *         .sessions(sessions).kernelNotices(notices).build();
 * v1.register(routing);
 * ...
 * v1.close();
 * }</pre>
 * Errors are thrown as {@link io.quire.server.http.ApiException} or as core's domain exceptions; the server's
 * {@code ErrorResponses} turns them into the JSON error shape.
 */
public final class V1Api implements AutoCloseable {
    private final FilesService files;
    private final VersionsService versions;
    private final RunsService runs;
    private final KernelSpecsService kernelSpecs;
    private final OpenApiService openApi;
    private final RunExecutor executor;
    private final SessionsService sessions;
    private final ExecutionsService executions;
    private final SessionExecutor sessionExecutor;
    private final ExecutorService threads;
    private final Handler login;
    private final Handler logout;

    private V1Api(Builder builder) {
        this.threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("quire-run-", 0).factory());
        RequestScope scope = builder.scope.orElseGet(() -> RequestScope.shared(builder.contents,
                builder.sessions.orElseGet(() -> SessionManager.create(builder.kernels, SessionStore.inMemory(),
                        builder.root, builder.clock))));
        this.files = new FilesService(scope::contents, builder.notebookSaves, builder.notebookHistory);
        this.versions = new VersionsService(scope::contents, builder.notebookRestores);
        Function<Optional<KernelOwner>, KernelStarter> starters = builder.starter
                .<Function<Optional<KernelOwner>, KernelStarter>>map(starter -> owner -> starter)
                .orElseGet(() -> owner -> new ManagedKernelStarter(builder.kernels, owner));
        this.executor = new RunExecutor(starters, builder.runs, threads, builder.clock, builder.ids, builder.version);
        this.runs = new RunsService(files, scope, executor, builder.runs, builder.specs, builder.root);
        this.kernelSpecs = new KernelSpecsService(builder.specs);
        this.openApi = OpenApiService.create();
        NotebookCells notebooks = new NotebookCells();
        ExecutionRegistry executionRegistry = new ExecutionRegistry(builder.keptExecutions);
        this.sessionExecutor = new SessionExecutor(builder.kernels, notebooks, executionRegistry, threads,
                builder.clock, () -> UUID.randomUUID().toString());
        this.sessions = new SessionsService(files, scope, builder.kernels, builder.specs, sessionExecutor,
                builder.notices);
        this.executions = new ExecutionsService(sessions, notebooks, sessionExecutor, executionRegistry);
        this.login = builder.login.orElse(V1Api::noPasswords);
        this.logout = builder.logout.orElse(V1Api::noPasswords);
    }

    private static void noPasswords(ServerRequest request, ServerResponse response) {
        throw ApiException.notFound("this server has no accounts to sign in to (single-user mode): use the server"
                + " token; password login is part of team mode");
    }

    /**
     * A builder over the server's backends.
     *
     * @param contents where files live
     * @param kernels  starts each run's kernel (and lists it with the others)
     * @param specs    the kernel specs runs may use
     * @return the builder
     */
    public static Builder builder(ContentsManager contents, KernelManager kernels, KernelSpecRegistry specs) {
        return new Builder(contents, kernels, specs);
    }

    /**
     * Every route of the v1 API, as registered by {@link #register}.
     *
     * @return the routes
     */
    public static List<V1Route> routes() {
        return Arrays.asList(V1Route.values());
    }

    /**
     * Adds every route of {@link #routes()} to a routing.
     *
     * @param routing the routing builder; call before any catch-all route
     */
    public void register(HttpRouting.Builder routing) {
        for (V1Route route : V1Route.values()) {
            routing.route(route.method(), route.template(), handler(route));
        }
    }

    private Handler handler(V1Route route) {
        return switch (route) {
            case FILE_BY_PATH -> files::byPath;
            case FILE -> files::get;
            case FILE_CONTENT -> this::content;
            case FILE_VERSIONS -> versions::list;
            case FILE_VERSION -> versions::get;
            case NAME_FILE_VERSION -> versions::name;
            case FILE_VERSION_DIFF -> versions::diff;
            case RESTORE_FILE_VERSION -> versions::restore;
            case SAVE_FILE_CONTENT -> files::save;
            case START_RUN -> runs::start;
            case FILE_RUNS -> runs::ofFile;
            case RUN -> runs::get;
            case CANCEL_RUN -> runs::cancel;
            case CREATE_SESSION -> sessions::create;
            case SESSIONS -> sessions::list;
            case SESSION -> sessions::get;
            case DELETE_SESSION -> sessions::delete;
            case INTERRUPT_SESSION -> sessions::interrupt;
            case RESTART_SESSION -> sessions::restart;
            case START_EXECUTION -> executions::start;
            case EXECUTION -> executions::get;
            case CANCEL_EXECUTION -> executions::cancel;
            case LOGIN -> login;
            case LOGOUT -> logout;
            case KERNEL_SPECS -> kernelSpecs::list;
            case OPENAPI -> openApi::handle;
        };
    }

    /**
     * A file's content now, as of a time from its versions ({@code ?as_of=T}), or at a time from its delta log
     * ({@code ?at=T}).
     */
    private void content(ServerRequest request, ServerResponse response) {
        boolean asOf = request.query().contains("as_of");
        if (asOf && request.query().contains("at")) {
            throw ApiException.badRequest("give either 'as_of' (saved versions) or 'at' (the delta log), not both");
        }
        if (request.query().contains("cells")) {
            if (asOf || request.query().contains("at")) {
                throw ApiException.badRequest("'cells' reads the current notebook's first cells; it cannot be given"
                        + " with 'as_of' or 'at'");
            }
            files.contentHead(request, response);
        } else if (request.query().contains("at")) {
            files.contentAt(request, response);
        } else if (asOf) {
            versions.contentAsOf(request, response);
        } else {
            files.content(request, response);
        }
    }

    /**
     * Cancels every active run and execution and stops accepting new ones. Runs and executions save what they have as
     * they stop; their kernels are shut down by the kernel manager.
     */
    @Override
    public void close() {
        executor.cancelAll();
        sessionExecutor.cancelAll();
        threads.shutdown();
    }

    /** Settings of a {@link V1Api}; only the three backends are required. Not thread-safe. */
    public static final class Builder {
        private final ContentsManager contents;
        private final KernelManager kernels;
        private final KernelSpecRegistry specs;
        private Optional<Path> root = Optional.empty();
        private Optional<KernelStarter> starter = Optional.empty();
        private RunRegistry runs = RunRegistry.inMemory();
        private Clock clock = Clock.systemUTC();
        private Supplier<String> ids = () -> UUID.randomUUID().toString();
        private String version = "unknown";
        private Optional<SessionManager> sessions = Optional.empty();
        private KernelNotices notices = KernelNotices.none();
        private int keptExecutions = 1000;
        private Optional<RequestScope> scope = Optional.empty();
        private NotebookSaves notebookSaves = NotebookSaves.NONE;
        private NotebookHistory notebookHistory = NotebookHistory.NONE;
        private NotebookRestores notebookRestores = NotebookRestores.NONE;
        private Optional<Handler> login = Optional.empty();
        private Optional<Handler> logout = Optional.empty();

        private Builder(ContentsManager contents, KernelManager kernels, KernelSpecRegistry specs) {
            this.contents = Objects.requireNonNull(contents, "contents");
            this.kernels = Objects.requireNonNull(kernels, "kernels");
            this.specs = Objects.requireNonNull(specs, "specs");
        }

        /**
         * The folder on disk that contents paths are relative to; a run's kernel then starts in the notebook's folder.
         * Without it, kernels start in the provisioner's default folder.
         *
         * @param folder the contents root
         * @return this builder
         */
        public Builder root(Path folder) {
            this.root = Optional.of(Objects.requireNonNull(folder, "root"));
            return this;
        }

        /**
         * Starts run kernels with this instead of through the kernel manager.
         *
         * @param value the starter
         * @return this builder
         */
        public Builder kernelStarter(KernelStarter value) {
            this.starter = Optional.of(Objects.requireNonNull(value, "kernelStarter"));
            return this;
        }

        /**
         * Where runs are kept (default: in memory).
         *
         * @param value the registry
         * @return this builder
         */
        public Builder runRegistry(RunRegistry value) {
            this.runs = Objects.requireNonNull(value, "runRegistry");
            return this;
        }

        /**
         * The clock of run timestamps (default: system UTC).
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Makes run ids (default: random UUIDs).
         *
         * @param value the id supplier; must not repeat
         * @return this builder
         */
        public Builder runIds(Supplier<String> value) {
            this.ids = Objects.requireNonNull(value, "runIds");
            return this;
        }

        /**
         * Quire's version, recorded in {@code metadata.papermill.version} of run notebooks.
         *
         * @param value the version
         * @return this builder
         */
        public Builder version(String value) {
            this.version = Objects.requireNonNull(value, "version");
            return this;
        }

        /**
         * The session manager whose sessions the v1 API serves; pass the one behind {@code /api/sessions} so both APIs
         * see the same sessions. Default: a manager of its own, over the same kernel manager.
         *
         * @param value the session manager
         * @return this builder
         */
        public Builder sessions(SessionManager value) {
            this.sessions = Optional.of(Objects.requireNonNull(value, "sessions"));
            return this;
        }

        /**
         * Who hears of kernels the v1 API restarts or shuts down (the kernel channels WebSocket). Default: nobody.
         *
         * @param value the notices
         * @return this builder
         */
        public Builder kernelNotices(KernelNotices value) {
            this.notices = Objects.requireNonNull(value, "kernelNotices");
            return this;
        }

        /**
         * How many finished executions (with their outputs) are kept readable, the oldest forgotten first (default
         * 1000).
         *
         * @param value a positive count
         * @return this builder
         */
        public Builder keptExecutions(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("keptExecutions must be positive, got " + value);
            }
            this.keptExecutions = value;
            return this;
        }

        /**
         * Chooses per request what the API serves and acts on (team mode: the caller's organisation's project as
         * contents, the organisation's sessions, the caller as kernel owner). Runs and executions carry the scope of
         * the request that started them, so their outputs are written with the caller's permissions, and they are
         * found only under the same {@link RequestScope#tenant tenant}. When set, {@link #sessions} and the
         * builder's contents are not used by the API. Default: the builder's contents and sessions for every
         * request.
         *
         * @param value the scope of a request
         * @return this builder
         */
        public Builder scope(RequestScope value) {
            this.scope = Optional.of(Objects.requireNonNull(value, "scope"));
            return this;
        }

        /**
         * Where {@code PUT /api/v1/files/{id}/content} tries a notebook save first (the real-time channel's path for
         * notebooks edited live). Default: {@link NotebookSaves#NONE}.
         *
         * @param value the save path
         * @return this builder
         */
        public Builder notebookSaves(NotebookSaves value) {
            this.notebookSaves = Objects.requireNonNull(value, "notebookSaves");
            return this;
        }

        /**
         * Where {@code GET /api/v1/files/{id}/content?at=T} reads a notebook's past state from its delta log.
         * Default: {@link NotebookHistory#NONE} (404 {@code no_history}).
         *
         * @param value the history
         * @return this builder
         */
        public Builder notebookHistory(NotebookHistory value) {
            this.notebookHistory = Objects.requireNonNull(value, "notebookHistory");
            return this;
        }

        /**
         * Where {@code POST /api/v1/files/{id}/versions/{version}/restore} applies the restored notebook to the
         * file's delta log when the file is edited live (decision 0034). Default: {@link NotebookRestores#NONE}
         * (the contents backend only).
         *
         * @param value the restore path
         * @return this builder
         */
        public Builder notebookRestores(NotebookRestores value) {
            this.notebookRestores = Objects.requireNonNull(value, "notebookRestores");
            return this;
        }

        /**
         * Serves password sign-in and sign-out ({@link V1Route#LOGIN}, {@link V1Route#LOGOUT}; team mode). Default:
         * both answer 404, since a single-user server has no accounts.
         *
         * @param signIn  the handler of {@code POST /api/v1/auth/login}
         * @param signOut the handler of {@code POST /api/v1/auth/logout}
         * @return this builder
         */
        public Builder auth(Handler signIn, Handler signOut) {
            this.login = Optional.of(Objects.requireNonNull(signIn, "signIn"));
            this.logout = Optional.of(Objects.requireNonNull(signOut, "signOut"));
            return this;
        }

        /**
         * Builds the API.
         *
         * @return the API, ready to {@link V1Api#register}
         * @throws IllegalStateException if {@code openapi.yaml} is missing or malformed
         */
        public V1Api build() {
            return new V1Api(this);
        }
    }
}
