package io.quire.server.jupyter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.quire.kernels.KernelManager;
import io.quire.kernels.KernelRequest;
import io.quire.kernels.ManagedKernelInfo;
import io.quire.server.http.JsonBodies;
import io.quire.server.http.RequestScope;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code /api/kernels}: start, list, get, delete, interrupt and restart kernels, in Jupyter Server's JSON shapes.
 */
public final class KernelsService implements HttpService {
    private final KernelManager kernels;
    private final Path root;
    private final KernelChannels channels;
    private final RequestScope scope;

    /**
     * Creates the service.
     *
     * @param kernels  the kernel manager
     * @param root     the contents root; a kernel started for a path runs in that path's folder
     * @param channels the WebSocket endpoint, told about restarts and shutdowns
     * @param scope    which kernels a caller sees, and who owns the kernels it starts
     */
    public KernelsService(KernelManager kernels, Path root, KernelChannels channels, RequestScope scope) {
        this.kernels = kernels;
        this.root = root;
        this.channels = channels;
        this.scope = Objects.requireNonNull(scope, "scope");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::start)
                .get("/{id}", this::get)
                .delete("/{id}", this::delete)
                .post("/{id}/interrupt", this::interrupt)
                .post("/{id}/restart", this::restart);
    }

    private void list(ServerRequest request, ServerResponse response) {
        ArrayNode models = JsonBodies.MAPPER.createArrayNode();
        kernels.list().stream().filter(kernel -> scope.sees(request, kernel))
                .forEach(kernel -> models.add(kernel.toJson()));
        JsonBodies.ok(response, models);
    }

    private void start(ServerRequest request, ServerResponse response) {
        ObjectNode body = JsonBodies.readObject(request);
        String name = Requests.optionalText(body, "name").orElse(kernels.defaultKernelName());
        Optional<Path> cwd = scope.kernelDirectory(request).or(() -> Requests.optionalText(body, "path")
                .map(path -> Requests.folderOf(root, path)));
        KernelRequest start = KernelRequest.of(name).withCwd(cwd);
        ManagedKernelInfo kernel = kernels.start(scope.kernelOwner(request).map(start::withOwner).orElse(start));
        response.header(HeaderNames.LOCATION, "/api/kernels/" + kernel.id());
        JsonBodies.send(response, Status.CREATED_201, kernel.toJson());
    }

    private void get(ServerRequest request, ServerResponse response) {
        JsonBodies.ok(response, visible(request).toJson());
    }

    private void delete(ServerRequest request, ServerResponse response) {
        String id = visible(request).id();
        scope.kernelOwner(request); // shutting a kernel down takes the right to run code
        kernels.shutdown(id);
        channels.shutDown(id);
        response.status(Status.NO_CONTENT_204).send();
    }

    private void interrupt(ServerRequest request, ServerResponse response) {
        String id = visible(request).id();
        scope.kernelOwner(request);
        kernels.interrupt(id);
        response.status(Status.NO_CONTENT_204).send();
    }

    private void restart(ServerRequest request, ServerResponse response) {
        String id = visible(request).id();
        scope.kernelOwner(request);
        channels.restarting(id);
        ManagedKernelInfo restarted = kernels.restart(id);
        channels.restarted(id);
        JsonBodies.ok(response, restarted.toJson());
    }

    /** The kernel of the path's id, if the caller may see it; 404 otherwise (existence is not revealed). */
    private ManagedKernelInfo visible(ServerRequest request) {
        String id = request.path().pathParameters().get("id");
        return kernels.get(id).filter(kernel -> scope.sees(request, kernel)).orElseThrow(() -> Requests.noKernel(id));
    }
}
