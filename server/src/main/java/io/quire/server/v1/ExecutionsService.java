package io.quire.server.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.quire.contents.ContentsNotFoundException;
import io.quire.notebook.Cell;
import io.quire.notebook.CodeCell;
import io.quire.notebook.Notebook;
import io.quire.server.http.ApiException;
import io.quire.server.http.JsonBodies;
import io.quire.sessions.Session;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/sessions/{id}/executions} and {@code /api/v1/executions}: executing cells of a session's notebook on
 * the server, reading the outcome with the outputs, and cancelling.
 *
 * <p>What to run is checked against the notebook as it is when the request arrives: exactly one of
 * {@code cell_id}, {@code cell_ids} or {@code all: true}; every named cell must exist (409 {@code cell_not_found}) and
 * be a code cell (409 {@code not_code_cell}). {@code all} means the code cells present now, in notebook order; a
 * notebook older than nbformat 4.5 gets cell ids first (saved), so its cells can be found again. The source that
 * runs is the one in the file when the cell's turn comes.
 */
final class ExecutionsService {
    private final SessionsService sessions;
    private final NotebookCells notebooks;
    private final SessionExecutor executor;
    private final ExecutionRegistry registry;

    ExecutionsService(SessionsService sessions, NotebookCells notebooks, SessionExecutor executor,
            ExecutionRegistry registry) {
        this.sessions = sessions;
        this.notebooks = notebooks;
        this.executor = executor;
        this.registry = registry;
    }

    /** {@code POST /api/v1/sessions/{id}/executions}: 202 with the queued execution. */
    void start(ServerRequest request, ServerResponse response) {
        Session session = sessions.requireToRun(request);
        CallerScope caller = sessions.caller(request);
        ObjectNode body = JsonBodies.readObject(request);
        Optional<List<String>> named = cellIds(body);
        String path = session.path();
        Notebook notebook;
        try {
            notebook = named.isPresent() ? notebooks.read(caller, path) : notebooks.withCellIds(caller, path);
        } catch (ContentsNotFoundException e) {
            throw new ApiException(409, "file_not_found", "the notebook '" + path + "' of session " + session.id()
                    + " no longer exists");
        }
        List<String> cells = named.isPresent() ? checked(notebook, named.get(), path) : codeCells(notebook);
        ExecutionRecord queued = executor.submit(caller, session, FileIds.of(path), cells);
        response.header(HeaderNames.LOCATION, "/api/v1/executions/" + queued.id());
        JsonBodies.send(response, Status.ACCEPTED_202, queued.toJson());
    }

    /** {@code GET /api/v1/executions/{id}}: the execution with each cell's outputs. */
    void get(ServerRequest request, ServerResponse response) {
        JsonBodies.ok(response, require(request).toJson());
    }

    /** {@code POST /api/v1/executions/{id}/cancel}: 202 with the execution as it stands. */
    void cancel(ServerRequest request, ServerResponse response) {
        ExecutionRecord found = require(request);
        sessions.runs(request); // stopping code takes the right to run it
        JsonBodies.send(response, Status.ACCEPTED_202, executor.cancel(found.id())
                .orElseThrow(() -> noExecution(found.id())).toJson());
    }

    /** The cells named in the body, or empty for {@code all: true}. */
    private static Optional<List<String>> cellIds(ObjectNode body) {
        JsonNode one = body.get("cell_id");
        JsonNode many = body.get("cell_ids");
        JsonNode all = body.get("all");
        int given = (present(one) ? 1 : 0) + (present(many) ? 1 : 0) + (present(all) ? 1 : 0);
        if (given != 1) {
            throw ApiException.badRequest("give exactly one of 'cell_id' (a cell id), 'cell_ids' (a list of cell ids)"
                    + " or 'all' (true)");
        }
        if (present(all)) {
            if (!all.isBoolean() || !all.booleanValue()) {
                throw ApiException.badRequest("'all' must be true, got " + Fields.describe(all));
            }
            return Optional.empty();
        }
        if (present(one)) {
            return Optional.of(List.of(Fields.optionalText(body, "cell_id").orElseThrow()));
        }
        if (!many.isArray() || many.isEmpty()) {
            throw ApiException.badRequest("'cell_ids' must be a non-empty list of cell ids, got "
                    + Fields.describe(many));
        }
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode id : many) {
            if (!id.isTextual() || id.textValue().isBlank()) {
                throw ApiException.badRequest("'cell_ids' must hold non-empty strings, got " + Fields.describe(id));
            }
            if (!ids.add(id.textValue())) {
                throw ApiException.badRequest("'cell_ids' names cell '" + id.textValue() + "' twice");
            }
        }
        return Optional.of(List.copyOf(ids));
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull();
    }

    private static List<String> checked(Notebook notebook, List<String> ids, String path) {
        for (String id : ids) {
            Optional<Integer> index = notebook.indexOf(id);
            if (index.isEmpty()) {
                throw new ApiException(409, "cell_not_found", "the notebook '" + path + "' has no cell with id '"
                        + id + "'" + (notebook.hasCellIds() ? "" : " (it is older than nbformat 4.5 and has no cell"
                        + " ids; execute with 'all' to give its cells ids)"));
            }
            Cell cell = notebook.cell(index.get());
            if (!(cell instanceof CodeCell)) {
                throw new ApiException(409, "not_code_cell", "cell '" + id + "' of '" + path + "' is a "
                        + cell.cellType() + " cell; only code cells can be executed");
            }
        }
        return ids;
    }

    private static List<String> codeCells(Notebook notebook) {
        List<String> ids = new ArrayList<>();
        for (Cell cell : notebook.cells()) {
            if (cell instanceof CodeCell) {
                ids.add(cell.id().orElseThrow());
            }
        }
        return ids;
    }

    /**
     * The execution a request names, when the caller may see it: one of their tenant's, of a file they can see.
     *
     * @throws ApiException 404 otherwise, exactly as for an unknown id
     */
    private ExecutionRecord require(ServerRequest request) {
        String id = FilesService.id(request);
        return registry.find(id).filter(found -> sessions.sees(request, found.tenant(), found.fileId()))
                .orElseThrow(() -> noExecution(id));
    }

    private static ApiException noExecution(String id) {
        return ApiException.notFound("no execution with id '" + id + "'");
    }
}
