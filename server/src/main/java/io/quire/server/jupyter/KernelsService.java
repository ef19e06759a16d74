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
import io.quire.kernels.ManagedKernelInfo;
import io.quire.server.http.JsonBodies;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code /api/kernels}: start, list, get, delete, interrupt and restart kernels, in Jupyter Server's JSON shapes.
 */
public final class KernelsService implements HttpService {
    private final KernelManager kernels;
    private final Path root;
    private final KernelChannels channels;

    /**
     * Creates the service.
     *
     * @param kernels  the kernel manager
     * @param root     the contents root; a kernel started for a path runs in that path's folder
     * @param channels the WebSocket endpoint, told about restarts and shutdowns
     */
    public KernelsService(KernelManager kernels, Path root, KernelChannels channels) {
        this.kernels = kernels;
        this.root = root;
        this.channels = channels;
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
        kernels.list().forEach(kernel -> models.add(kernel.toJson()));
        JsonBodies.ok(response, models);
    }

    private void start(ServerRequest request, ServerResponse response) {
        ObjectNode body = JsonBodies.readObject(request);
        String name = Requests.optionalText(body, "name").orElse(kernels.defaultKernelName());
        Optional<Path> cwd = Requests.optionalText(body, "path").map(path -> Requests.folderOf(root, path));
        ManagedKernelInfo kernel = kernels.start(name, cwd);
        response.header(HeaderNames.LOCATION, "/api/kernels/" + kernel.id());
        JsonBodies.send(response, Status.CREATED_201, kernel.toJson());
    }

    private void get(ServerRequest request, ServerResponse response) {
        String id = request.path().pathParameters().get("id");
        JsonBodies.ok(response, kernels.get(id).orElseThrow(() -> Requests.noKernel(id)).toJson());
    }

    private void delete(ServerRequest request, ServerResponse response) {
        String id = request.path().pathParameters().get("id");
        kernels.shutdown(id);
        channels.shutDown(id);
        response.status(Status.NO_CONTENT_204).send();
    }

    private void interrupt(ServerRequest request, ServerResponse response) {
        kernels.interrupt(request.path().pathParameters().get("id"));
        response.status(Status.NO_CONTENT_204).send();
    }

    private void restart(ServerRequest request, ServerResponse response) {
        String id = request.path().pathParameters().get("id");
        if (kernels.get(id).isEmpty()) {
            throw Requests.noKernel(id);
        }
        channels.restarting(id);
        ManagedKernelInfo restarted = kernels.restart(id);
        channels.restarted(id);
        JsonBodies.ok(response, restarted.toJson());
    }
}
