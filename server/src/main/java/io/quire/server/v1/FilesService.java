package io.quire.server.v1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.contents.ContentModel;
import io.quire.contents.ContentType;
import io.quire.contents.ContentsManager;
import io.quire.contents.ContentsNotFoundException;
import io.quire.contents.GetOptions;
import io.quire.contents.SaveRequest;
import io.quire.server.http.ApiException;
import io.quire.server.http.JsonBodies;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code /api/v1/files}: file resources by opaque id ({@link FileIds}), a notebook's JSON, and saving a notebook.
 * Failures of the contents backend propagate as its domain exceptions; unknown ids are 404.
 */
final class FilesService {
    private final Function<ServerRequest, ContentsManager> resolver;
    private final NotebookSaves saves;
    private final NotebookHistory history;

    FilesService(Function<ServerRequest, ContentsManager> resolver, NotebookSaves saves, NotebookHistory history) {
        this.resolver = resolver;
        this.saves = saves;
        this.history = history;
    }

    /** {@code GET /api/v1/files?path=P}. */
    void byPath(ServerRequest request, ServerResponse response) {
        String path = request.query().first("path").asOptional()
                .orElseThrow(() -> ApiException.badRequest("the query parameter 'path' is required"));
        String normalised = strip(path);
        JsonBodies.ok(response, resource(resolver.apply(request).get(normalised, GetOptions.metadataOnly())));
    }

    /** {@code GET /api/v1/files/{id}}. */
    void get(ServerRequest request, ServerResponse response) {
        JsonBodies.ok(response, resource(require(request, id(request), GetOptions.metadataOnly())));
    }

    /** {@code GET /api/v1/files/{id}/content}. */
    void content(ServerRequest request, ServerResponse response) {
        String id = id(request);
        if (sendStored(resolver.apply(request), id, response)) {
            return;
        }
        ContentModel model = require(request, id, GetOptions.defaults());
        switch (model.type()) {
            case NOTEBOOK -> JsonBodies.ok(response, model.content().orElseThrow());
            case FILE -> {
                ObjectNode body = JsonBodies.MAPPER.createObjectNode();
                body.put("format", model.format().orElseThrow().wireName());
                body.put("mimetype", model.mimetype().orElse("application/octet-stream"));
                body.set("content", model.content().orElseThrow());
                JsonBodies.ok(response, body);
            }
            case DIRECTORY -> throw ApiException.badRequest("file " + id + " is a folder, which has no content");
        }
    }

    /** The most cells a head read returns. */
    static final int MAX_HEAD_CELLS = 10_000;

    /**
     * {@code GET /api/v1/files/{id}/content?cells=N}: a notebook's metadata and its first N cells, with the number of
     * cells it has in {@code Quire-Cells-Total} (decision 0035: an editor shows them while the rest is on its way).
     */
    void contentHead(ServerRequest request, ServerResponse response) {
        String text = request.query().first("cells").asOptional().orElse("");
        int cells;
        try {
            cells = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            cells = -1;
        }
        if (cells < 0 || cells > MAX_HEAD_CELLS) {
            throw ApiException.badRequest("'cells' must be a whole number from 0 to " + MAX_HEAD_CELLS + ", got '"
                    + text + "'");
        }
        String id = id(request);
        ContentsManager contents = resolver.apply(request);
        ContentModel model = requireNotebook(contents, id, "has cells to read with 'cells'");
        io.quire.notebook.NotebookHead head;
        try {
            head = contents.notebookHead(model.path(), cells).orElseThrow(() -> ApiException.badRequest("file " + id
                    + " is not a notebook"));
        } catch (ContentsNotFoundException e) {
            throw noFile(id);
        }
        response.header("Quire-Cells-Total", Integer.toString(head.totalCells()));
        JsonBodies.ok(response, head.notebook().toJson());
    }

    /**
     * The fast path for an unchanged notebook, as the Jupyter contents API has it: the stored bytes as they are, when
     * the backend knows them to be the notebook a read would return (for the filesystem: read and checked before,
     * unchanged since), so a large notebook is not parsed and written out again on every read.
     */
    private static boolean sendStored(ContentsManager contents, String id, ServerResponse response) {
        Optional<String> path = FileIds.path(id);
        if (path.isEmpty() || !path.get().endsWith(".ipynb")) {
            return false;
        }
        Optional<byte[]> stored;
        try {
            stored = contents.storedNotebookJson(path.get());
        } catch (ContentsNotFoundException e) {
            throw noFile(id);
        }
        if (stored.isEmpty()) {
            return false;
        }
        JsonBodies.okParts(response, stored.get());
        return true;
    }

    /**
     * {@code GET /api/v1/files/{id}/content?at=T}: a notebook as its delta log had it at T (decision 0029); the
     * log's seq of that state in the {@code Quire-Log-Seq} header.
     */
    void contentAt(ServerRequest request, ServerResponse response) {
        String text = request.query().first("at").asOptional().orElse("");
        Instant time;
        try {
            time = Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                time = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException again) {
                throw ApiException.badRequest("'at' must be an ISO-8601 time such as 2026-01-31T12:00:00Z, got '"
                        + text + "'");
            }
        }
        String id = id(request);
        ContentsManager contents = resolver.apply(request);
        ContentModel model = requireNotebook(contents, id, "has a delta log to read with 'at'");
        NotebookHistory.Historical then = history.at(request, contents, model.path(), time);
        response.header("Quire-Log-Seq", Long.toString(then.seq()));
        JsonBodies.ok(response, then.notebook().toJson());
    }

    /** {@code PUT /api/v1/files/{id}/content}: replaces an existing notebook. */
    void save(ServerRequest request, ServerResponse response) {
        String id = id(request);
        ContentsManager contents = resolver.apply(request);
        ContentModel existing = require(contents, id, GetOptions.metadataOnly());
        if (existing.type() != ContentType.NOTEBOOK) {
            throw ApiException.badRequest("file " + id + " is a " + existing.type().wireName()
                    + "; only notebooks can be saved through this API");
        }
        ObjectNode notebook = JsonBodies.readObject(request);
        Optional<ContentModel> live = saves.save(request, contents, existing.path(), notebook, Optional.empty());
        JsonBodies.ok(response, resource(live.orElseGet(() -> contents.save(existing.path(),
                SaveRequest.notebook(notebook)))));
    }

    /**
     * The model of the file an id stands for.
     *
     * @throws ApiException 404 for an unknown id or a file that no longer exists
     */
    ContentModel require(ServerRequest request, String id, GetOptions options) {
        return require(resolver.apply(request), id, options);
    }

    /**
     * The model of the file an id stands for, in given contents.
     *
     * @throws ApiException 404 for an unknown id or a file that no longer exists
     */
    static ContentModel require(ContentsManager contents, String id, GetOptions options) {
        String path = FileIds.path(id).orElseThrow(() -> noFile(id));
        try {
            return contents.get(path, options);
        } catch (ContentsNotFoundException e) {
            throw noFile(id);
        }
    }

    /** The file's metadata, or 404; 400 naming what the request wanted when it is not a notebook. */
    private static ContentModel requireNotebook(ContentsManager contents, String id, String wanted) {
        ContentModel model = require(contents, id, GetOptions.metadataOnly());
        if (model.type() != ContentType.NOTEBOOK) {
            throw ApiException.badRequest("file " + id + " is a " + model.type().wireName() + "; only a notebook "
                    + wanted);
        }
        return model;
    }

    static ApiException noFile(String id) {
        return ApiException.notFound("no file with id '" + id + "'");
    }

    static String id(ServerRequest request) {
        return request.path().pathParameters().get("id");
    }

    /** The file resource: {id, path, name, type, size, last_modified, writable}. */
    static ObjectNode resource(ContentModel model) {
        ObjectNode json = JsonBodies.MAPPER.createObjectNode();
        json.put("id", FileIds.of(model.path()));
        json.put("path", model.path());
        json.put("name", model.name());
        json.put("type", model.type().wireName());
        json.put("size", model.size().orElse(null));
        json.put("last_modified", model.lastModified().toString());
        json.put("writable", model.writable());
        return json;
    }

    private static String strip(String path) {
        String stripped = path.strip();
        while (stripped.startsWith("/")) {
            stripped = stripped.substring(1);
        }
        while (stripped.endsWith("/")) {
            stripped = stripped.substring(0, stripped.length() - 1);
        }
        return stripped;
    }
}
