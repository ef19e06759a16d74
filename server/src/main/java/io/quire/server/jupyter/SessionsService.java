package io.quire.server.jupyter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.quire.kernels.KernelManager;
import io.quire.server.http.ApiException;
import io.quire.server.http.JsonBodies;
import io.quire.server.http.RequestScope;
import io.quire.sessions.KernelChoice;
import io.quire.sessions.Session;
import io.quire.sessions.SessionManager;
import io.quire.sessions.SessionNotFoundException;
import io.quire.sessions.SessionUpdate;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code /api/sessions}: a session binds a path to a kernel. Creating a session for a path that has one returns the
 * existing session, as Jupyter Server does.
 */
public final class SessionsService implements HttpService {
    private final RequestScope scope;
    private final KernelManager kernels;
    private final KernelChannels channels;

    /**
     * Creates the service.
     *
     * @param scope    the sessions a caller sees, and who owns the kernels it starts
     * @param kernels  the kernel manager
     * @param channels the WebSocket endpoint, told about kernels a session change shut down
     */
    public SessionsService(RequestScope scope, KernelManager kernels, KernelChannels channels) {
        this.scope = Objects.requireNonNull(scope, "scope");
        this.kernels = kernels;
        this.channels = channels;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::create)
                .get("/{id}", this::get)
                .patch("/{id}", this::update)
                .delete("/{id}", this::delete);
    }

    private void list(ServerRequest request, ServerResponse response) {
        ArrayNode models = JsonBodies.MAPPER.createArrayNode();
        scope.sessions(request).list().stream().filter(session -> visible(request, session))
                .forEach(session -> models.add(session.toJson()));
        JsonBodies.ok(response, models);
    }

    private void create(ServerRequest request, ServerResponse response) {
        ObjectNode body = JsonBodies.readObject(request);
        String path = Requests.optionalText(body, "path").or(() -> notebookPath(body))
                .orElseThrow(() -> ApiException.badRequest("'path' is required"));
        String type = Requests.optionalText(body, "type").orElse("notebook");
        String name = Requests.optionalText(body, "name").orElse("");
        KernelChoice kernel = kernelChoice(body).orElse(KernelChoice.defaultSpec());
        if (kernel instanceof KernelChoice.Existing(String kernelId)
                && kernels.get(kernelId).filter(k -> scope.sees(request, k)).isEmpty()) {
            throw Requests.noKernel(kernelId);
        }
        Session session = scope.sessions(request).open(path, name, type, kernel, scope.kernelOwner(request))
                .session();
        response.header(HeaderNames.LOCATION, "/api/sessions/" + session.id());
        JsonBodies.send(response, Status.CREATED_201, session.toJson());
    }

    private void get(ServerRequest request, ServerResponse response) {
        String id = request.path().pathParameters().get("id");
        JsonBodies.ok(response, find(request, id).toJson());
    }

    private void update(ServerRequest request, ServerResponse response) {
        String id = request.path().pathParameters().get("id");
        ObjectNode body = JsonBodies.readObject(request);
        SessionUpdate changes = SessionUpdate.none();
        Optional<String> path = Requests.optionalText(body, "path").or(() -> notebookPath(body));
        if (path.isPresent()) {
            changes = changes.withPath(path.get());
        }
        Optional<String> name = Requests.optionalText(body, "name");
        if (name.isPresent()) {
            changes = changes.withName(name.get());
        }
        Optional<String> type = Requests.optionalText(body, "type");
        if (type.isPresent()) {
            changes = changes.withType(type.get());
        }
        Optional<KernelChoice> kernel = kernelChoice(body);
        if (kernel.isPresent() && kernel.get() instanceof KernelChoice.Existing(String kernelId)
                && kernels.get(kernelId).filter(k -> scope.sees(request, k)).isEmpty()) {
            throw Requests.noKernel(kernelId);
        }
        if (kernel.isPresent()) {
            changes = changes.withKernel(kernel.get());
        }
        SessionManager sessions = scope.sessions(request);
        String before = find(request, id).kernel().id();
        scope.kernelOwner(request); // changing a session's kernel takes the right to run code
        Session updated = sessions.update(id, changes);
        closeIfGone(before);
        JsonBodies.ok(response, updated.toJson());
    }

    /** A session the caller may see (its kernel is one the caller may see); 404 otherwise. */
    private Session find(ServerRequest request, String id) {
        return scope.sessions(request).get(id).filter(session -> visible(request, session))
                .orElseThrow(() -> new SessionNotFoundException(id));
    }

    private boolean visible(ServerRequest request, Session session) {
        return kernels.get(session.kernel().id()).map(kernel -> scope.sees(request, kernel)).orElse(false);
    }

    /** A kernel that a session change shut down: its WebSocket clients are told and disconnected. */
    private void closeIfGone(String kernelId) {
        if (kernels.get(kernelId).isEmpty()) {
            channels.shutDown(kernelId);
        }
    }

    private void delete(ServerRequest request, ServerResponse response) {
        String id = request.path().pathParameters().get("id");
        SessionManager sessions = scope.sessions(request);
        String kernelId = find(request, id).kernel().id();
        scope.kernelOwner(request); // shutting a kernel down takes the right to run code
        sessions.delete(id);
        closeIfGone(kernelId);
        response.status(Status.NO_CONTENT_204).send();
    }

    /** The deprecated {@code notebook: {path}} form that old clients still send. */
    private static Optional<String> notebookPath(ObjectNode body) {
        JsonNode notebook = body.get("notebook");
        return notebook instanceof ObjectNode object ? Requests.optionalText(object, "path") : Optional.empty();
    }

    /** {@code kernel: {id}} picks a running kernel (it wins over a name); {@code kernel: {name}} starts one. */
    private static Optional<KernelChoice> kernelChoice(ObjectNode body) {
        JsonNode kernel = body.get("kernel");
        if (kernel == null || kernel.isNull()) {
            return Optional.empty();
        }
        if (!(kernel instanceof ObjectNode object)) {
            throw ApiException.badRequest("'kernel' must be an object with an 'id' or a 'name'");
        }
        Optional<String> id = Requests.optionalText(object, "id");
        if (id.isPresent()) {
            return Optional.of(KernelChoice.existing(id.get()));
        }
        return Requests.optionalText(object, "name").map(KernelChoice::named);
    }
}
