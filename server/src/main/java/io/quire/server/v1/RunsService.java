package io.quire.server.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.quire.contents.ContentModel;
import io.quire.contents.ContentType;
import io.quire.contents.ContentsManager;
import io.quire.contents.GetOptions;
import io.quire.execution.parameters.ParameterTranslator;
import io.quire.execution.parameters.ParameterValue;
import io.quire.kernel.KernelOwner;
import io.quire.kernel.KernelSpec;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.notebook.Notebook;
import io.quire.server.http.ApiException;
import io.quire.server.http.JsonBodies;
import io.quire.server.http.RequestScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/files/{id}/runs} and {@code /api/v1/runs}: starting, reading and cancelling server-side runs of
 * whole notebooks. Everything a client can get wrong (unknown kernel, parameters of the wrong shape, a kernel without
 * a parameter translator, a file that is not a notebook) is checked here, before a run is queued, and answered 400.
 */
final class RunsService {
    /** The longest cell timeout accepted: a year, far below what overflows a Duration in milliseconds. */
    private static final double MAX_TIMEOUT_SECONDS = 365.0 * 24 * 3600;

    private final FilesService files;
    private final RequestScope scope;
    private final RunExecutor executor;
    private final RunRegistry registry;
    private final KernelSpecRegistry specs;
    private final Optional<Path> root;

    RunsService(FilesService files, RequestScope scope, RunExecutor executor, RunRegistry registry,
            KernelSpecRegistry specs, Optional<Path> root) {
        this.files = files;
        this.scope = scope;
        this.executor = executor;
        this.registry = registry;
        this.specs = specs;
        this.root = root;
    }

    /** {@code POST /api/v1/files/{id}/runs}: 202 with the queued run. */
    void start(ServerRequest request, ServerResponse response) {
        String fileId = FilesService.id(request);
        ObjectNode body = JsonBodies.readObject(request);
        Optional<String> kernelField = Fields.optionalText(body, "kernel");
        Map<String, ParameterValue> parameters = ParameterValues.read(body.get("parameters"));
        Optional<Duration> timeout = timeout(body.get("timeout_seconds"));

        ContentsManager contents = scope.contents(request);
        ContentModel model = FilesService.require(contents, fileId, GetOptions.defaults()
                .withType(ContentType.NOTEBOOK));
        // running code needs the right to run it (team mode: executor; viewers get 403)
        Optional<KernelOwner> owner = scope.kernelOwner(request);
        Notebook notebook = Notebook.fromJson(model.content().orElseThrow());
        String kernel = kernelField.or(notebook::kernelName).orElseThrow(() -> new ApiException(400, "no_kernel",
                "the notebook names no kernel (metadata.kernelspec.name); pass 'kernel'"));
        KernelSpec spec = specs.find(kernel).orElseThrow(() -> new ApiException(400, "unknown_kernel",
                "no kernel spec named '" + kernel + "'; GET /api/v1/kernelspecs lists them"));
        Optional<String> language = notebook.language().or(() -> Optional.of(spec.language()));
        if (!parameters.isEmpty() && ParameterTranslator.find(kernel, language).isEmpty()) {
            throw ApiException.badRequest("parameters cannot be injected for kernel '" + kernel + "' (language '"
                    + language.orElse("") + "'): Quire renders parameters for Python only");
        }
        RunRecord run = executor.start(fileId, model.path(), new RunExecutor.Plan(scope.tenant(request), contents,
                owner, notebook, kernel, language, parameters, timeout,
                scope.kernelDirectory(request).or(() -> cwd(model.path()))));
        response.header(HeaderNames.LOCATION, "/api/v1/runs/" + run.id());
        JsonBodies.send(response, Status.ACCEPTED_202, run.toJson());
    }

    /** {@code GET /api/v1/files/{id}/runs}: runs of a file, oldest first. */
    void ofFile(ServerRequest request, ServerResponse response) {
        String fileId = FilesService.id(request);
        files.require(request, fileId, GetOptions.metadataOnly()); // 404 for an unknown or invisible file
        List<RunRecord> runs = registry.forFile(scope.tenant(request), fileId);
        ArrayNode list = JsonBodies.MAPPER.createArrayNode();
        runs.forEach(run -> list.add(run.toJson()));
        JsonBodies.ok(response, list);
    }

    /** {@code GET /api/v1/runs/{id}}. */
    void get(ServerRequest request, ServerResponse response) {
        JsonBodies.ok(response, require(request).toJson());
    }

    /** {@code POST /api/v1/runs/{id}/cancel}: 202 with the run as it stands; a finished run is left alone. */
    void cancel(ServerRequest request, ServerResponse response) {
        RunRecord found = require(request);
        scope.kernelOwner(request); // stopping code takes the right to run it
        RunRecord run = executor.cancel(found.id()).orElseThrow(() -> noRun(found.id()));
        JsonBodies.send(response, Status.ACCEPTED_202, run.toJson());
    }

    /**
     * The run a request names, when the caller may see it: a run of their tenant whose file they can still see.
     *
     * @throws ApiException 404 otherwise, exactly as for an unknown id
     */
    private RunRecord require(ServerRequest request) {
        String id = FilesService.id(request);
        return registry.find(id).filter(found -> found.tenant().equals(scope.tenant(request))
                && scope.seesFile(request, found.path())).orElseThrow(() -> noRun(id));
    }

    private Optional<Path> cwd(String path) {
        return root.map(folder -> {
            Path file = folder.resolve(path).normalize();
            Path parent = file.getParent();
            return parent != null && parent.startsWith(folder) && Files.isDirectory(parent) ? parent : folder;
        });
    }

    private static ApiException noRun(String id) {
        return ApiException.notFound("no run with id '" + id + "'");
    }

    private static Optional<Duration> timeout(JsonNode value) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isNumber() || !(value.doubleValue() > 0) || value.doubleValue() > MAX_TIMEOUT_SECONDS) {
            throw ApiException.badRequest("'timeout_seconds' must be a positive number of seconds (at most "
                    + (long) MAX_TIMEOUT_SECONDS + "), got " + Fields.describe(value));
        }
        long millis = Math.max(1, Math.round(value.doubleValue() * 1000));
        return Optional.of(Duration.ofMillis(millis));
    }
}
