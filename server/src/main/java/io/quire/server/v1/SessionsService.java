package io.quire.server.v1;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.quire.contents.ContentModel;
import io.quire.contents.ContentType;
import io.quire.contents.GetOptions;
import io.quire.kernel.KernelDiedException;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.kernel.KernelOwner;
import io.quire.kernels.KernelManager;
import io.quire.notebook.Notebook;
import io.quire.server.http.ApiException;
import io.quire.server.http.JsonBodies;
import io.quire.server.http.RequestScope;
import io.quire.server.v1.ExecutionRecord.Problem;
import io.quire.sessions.KernelChoice;
import io.quire.sessions.Session;
import io.quire.sessions.SessionManager;
import java.util.Optional;

/**
 * {@code /api/v1/files/{id}/sessions} and {@code /api/v1/sessions}: kernel sessions bound to a notebook.
 *
 * <p>These are the sessions of the caller's {@link SessionManager} (one for the server in single-user mode, one per
 * organisation in team mode), the same ones {@code /api/sessions} serves:
 * a session created here is listed there (type {@code notebook}, the file's path and name), and a notebook session a
 * Jupyter client created is listed here. One session per file: creating a session for a file that has one returns it
 * (200 instead of 201), unless another kernel spec is asked for explicitly (409). Restarting or deleting a session
 * cancels its executions first; the kernel channels are told, as {@code /api/kernels} tells them.
 */
final class SessionsService {
    /** The Jupyter session type of notebook sessions, the only ones this API shows. */
    static final String NOTEBOOK = "notebook";

    private final FilesService files;
    private final RequestScope scope;
    private final KernelManager kernels;
    private final KernelSpecRegistry specs;
    private final SessionExecutor executor;
    private final KernelNotices notices;

    SessionsService(FilesService files, RequestScope scope, KernelManager kernels, KernelSpecRegistry specs,
            SessionExecutor executor, KernelNotices notices) {
        this.files = files;
        this.scope = scope;
        this.kernels = kernels;
        this.specs = specs;
        this.executor = executor;
        this.notices = notices;
    }

    /** {@code POST /api/v1/files/{id}/sessions}: 201 with a new session, 200 with the file's existing one. */
    void create(ServerRequest request, ServerResponse response) {
        String fileId = FilesService.id(request);
        ObjectNode body = JsonBodies.readObject(request);
        Optional<String> requested = Fields.optionalText(body, "kernel_spec");
        ContentModel model = files.require(request, fileId, GetOptions.metadataOnly());
        if (model.type() != ContentType.NOTEBOOK) {
            throw new ApiException(400, "not_a_notebook", "file " + fileId + " is a " + model.type().wireName()
                    + "; sessions are bound to notebooks");
        }
        String spec = requested.orElseGet(() -> defaultSpec(request, fileId));
        if (specs.find(spec).isEmpty()) {
            throw new ApiException(400, "unknown_kernel", "no kernel spec named '" + spec
                    + "'; GET /api/v1/kernelspecs lists them");
        }
        // a session runs code: it takes the right to run it (team mode: executor; viewers get 403), and its kernel
        // belongs to the caller
        Optional<KernelOwner> owner = scope.kernelOwner(request);
        SessionManager.Opened opened = scope.sessions(request).open(model.path(), model.name(), NOTEBOOK,
                KernelChoice.named(spec), owner);
        Session session = opened.session();
        if (!opened.created() && !session.type().equals(NOTEBOOK)) {
            throw new ApiException(409, "session_exists", "'" + model.path() + "' already has a session of type '"
                    + session.type() + "' (" + session.id() + ")");
        }
        if (!opened.created() && requested.isPresent() && !session.kernel().name().equals(spec)) {
            throw new ApiException(409, "session_exists", "'" + model.path() + "' already has session "
                    + session.id() + " with kernel spec '" + session.kernel().name() + "', not '" + spec
                    + "'; delete it first to switch kernels");
        }
        response.header(HeaderNames.LOCATION, "/api/v1/sessions/" + session.id());
        JsonBodies.send(response, opened.created() ? Status.CREATED_201 : Status.OK_200, resource(session));
    }

    /** {@code GET /api/v1/sessions}: the notebook sessions, oldest first. */
    void list(ServerRequest request, ServerResponse response) {
        ArrayNode list = JsonBodies.MAPPER.createArrayNode();
        scope.sessions(request).list().stream().filter(session -> session.type().equals(NOTEBOOK)
                        && scope.seesFile(request, session.path()))
                .forEach(session -> list.add(resource(session)));
        JsonBodies.ok(response, list);
    }

    /** {@code GET /api/v1/sessions/{id}}. */
    void get(ServerRequest request, ServerResponse response) {
        JsonBodies.ok(response, resource(require(request, FilesService.id(request))));
    }

    /** {@code DELETE /api/v1/sessions/{id}}: cancels its executions and shuts its kernel down; 204. */
    void delete(ServerRequest request, ServerResponse response) {
        Session session = requireToRun(request);
        executor.cancelSession(session.id(), Problem.of("session_deleted", "the session was deleted"));
        scope.sessions(request).delete(session.id());
        if (kernels.get(session.kernel().id()).isEmpty()) {
            notices.shutDown(session.kernel().id());
        }
        response.status(Status.NO_CONTENT_204).send();
    }

    /** {@code POST /api/v1/sessions/{id}/interrupt}: interrupts what the kernel runs; 200 with the session. */
    void interrupt(ServerRequest request, ServerResponse response) {
        Session session = requireToRun(request);
        try {
            kernels.interrupt(session.kernel().id());
        } catch (KernelDiedException e) {
            throw new ApiException(409, "kernel_dead", "the kernel of session " + session.id()
                    + " is dead; restart the session: " + e.getMessage());
        }
        JsonBodies.ok(response, resource(require(request, session.id())));
    }

    /** {@code POST /api/v1/sessions/{id}/restart}: cancels its executions and restarts its kernel; 200. */
    void restart(ServerRequest request, ServerResponse response) {
        Session session = requireToRun(request);
        String kernelId = session.kernel().id();
        executor.cancelSession(session.id(), Problem.of("kernel_restarted", "the session's kernel was restarted"));
        notices.restarting(kernelId);
        try {
            kernels.restart(kernelId);
        } finally {
            notices.restarted(kernelId);
        }
        JsonBodies.ok(response, resource(require(request, session.id())));
    }

    /**
     * A notebook session the caller may see: one of their sessions, bound to a file they can see.
     *
     * @throws ApiException 404 when there is none with that id (or it is not the caller's to see)
     */
    Session require(ServerRequest request, String id) {
        return scope.sessions(request).get(id).filter(session -> session.type().equals(NOTEBOOK)
                        && scope.seesFile(request, session.path()))
                .orElseThrow(() -> ApiException.notFound("no session with id '" + id + "'"));
    }

    /**
     * The session a request names, for acting on its kernel: 404 as {@link #require}, then the right to run code
     * (team mode: executor; 403 for viewers, who may see the session).
     */
    Session requireToRun(ServerRequest request) {
        Session session = require(request, FilesService.id(request));
        runs(request);
        return session;
    }

    /** The caller's scope, for executions that run in the background after the request. */
    CallerScope caller(ServerRequest request) {
        return CallerScope.of(scope, request);
    }

    /** Checks the caller may run (or stop) code; team mode: executor, else 403 (404 without any role). */
    void runs(ServerRequest request) {
        scope.kernelOwner(request);
    }

    /** Whether a record of a tenant about a file (by id) is the caller's to see. */
    boolean sees(ServerRequest request, String tenant, String fileId) {
        return tenant.equals(scope.tenant(request)) && FileIds.path(fileId)
                .map(path -> scope.seesFile(request, path)).orElse(false);
    }

    /** The notebook's own kernel ({@code metadata.kernelspec.name}) when the server has it, else the default. */
    private String defaultSpec(ServerRequest request, String fileId) {
        ContentModel model = files.require(request, fileId, GetOptions.defaults().withType(ContentType.NOTEBOOK));
        return Notebook.fromJson(model.content().orElseThrow()).kernelName().filter(name -> specs.find(name)
                .isPresent()).orElseGet(kernels::defaultKernelName);
    }

    /**
     * The session resource: {id, file_id, path, name, kernel_id, kernel_spec, state, reason?, kernel_phase,
     * kernel_size?, owner?, created_at, last_activity}.
     */
    static ObjectNode resource(Session session) {
        ObjectNode json = JsonBodies.MAPPER.createObjectNode();
        json.put("id", session.id());
        json.put("file_id", FileIds.of(session.path()));
        json.put("path", session.path());
        json.put("name", session.name());
        json.put("kernel_id", session.kernel().id());
        json.put("kernel_spec", session.kernel().name());
        json.put("state", session.kernel().executionState().wireName());
        session.kernel().reason().filter(text -> !text.isEmpty()).ifPresent(text -> json.put("reason", text));
        json.put("kernel_phase", session.kernel().phase().name().toLowerCase(java.util.Locale.ROOT));
        session.kernel().size().ifPresent(size -> json.put("kernel_size", size));
        session.kernel().owner().ifPresent(owner -> json.putObject("owner").put("user", owner.user())
                .put("organisation", owner.organisation()));
        json.put("created_at", session.created().toString());
        json.put("last_activity", session.kernel().lastActivity().toString());
        return json;
    }
}
