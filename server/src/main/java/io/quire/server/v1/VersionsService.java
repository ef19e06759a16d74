package io.quire.server.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.quire.contents.ContentModel;
import io.quire.contents.ContentsManager;
import io.quire.contents.ContentsNotFoundException;
import io.quire.contents.GetOptions;
import io.quire.contents.spi.MimeTypes;
import io.quire.notebook.Notebook;
import io.quire.server.http.ApiException;
import io.quire.server.http.JsonBodies;
import io.quire.store.Version;
import io.quire.store.VersionContent;
import io.quire.store.VersionDiff;
import io.quire.store.VersionId;
import io.quire.store.contents.DatabaseContentsManager;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code /api/v1/files/{id}/versions...} and {@code /api/v1/files/{id}/content?as_of=T}: the version history of a
 * file. Versions exist only where the caller's contents are the database store ({@link DatabaseContentsManager},
 * team mode); elsewhere every route answers 404 {@code versions_unavailable}.
 *
 * <p>The file id is resolved to a path exactly as {@link FilesService} does, through the caller's contents, so a
 * file of another organisation does not exist for the caller. Permission checks (viewer to read, editor to restore
 * or name) are the contents manager's. A version id that is malformed, unknown, of another file or of another
 * organisation answers 404 {@code no_version}, as does an {@code as_of} time before the file's first version.
 */
final class VersionsService {
    private final Function<ServerRequest, ContentsManager> resolver;
    private final NotebookRestores restores;

    VersionsService(Function<ServerRequest, ContentsManager> resolver, NotebookRestores restores) {
        this.resolver = resolver;
        this.restores = restores;
    }

    /** {@code GET /api/v1/files/{id}/versions}: newest first. */
    void list(ServerRequest request, ServerResponse response) {
        Target target = target(request);
        List<Version> versions = target.contents().versions(target.path());
        var body = JsonBodies.MAPPER.createArrayNode();
        for (int i = versions.size() - 1; i >= 0; i--) {
            body.add(json(target.fileId(), versions.get(i)));
        }
        JsonBodies.ok(response, body);
    }

    /** {@code GET /api/v1/files/{id}/versions/{version}}: metadata and content. */
    void get(ServerRequest request, ServerResponse response) {
        Target target = target(request);
        VersionId id = versionId(request);
        Version version = target.contents().version(target.path(), id).orElseThrow(() -> noVersion(target, id));
        VersionContent content = versionCall(target, id, () -> target.contents().readVersion(target.path(), id));
        ObjectNode body = json(target.fileId(), version);
        body.set("content", content(target.path(), content));
        JsonBodies.ok(response, body);
    }

    /** {@code GET /api/v1/files/{id}/versions/{version}/diff?from=V}: from V to the path's version. */
    void diff(ServerRequest request, ServerResponse response) {
        Target target = target(request);
        VersionId to = versionId(request);
        String fromText = request.query().first("from").asOptional()
                .orElseThrow(() -> ApiException.badRequest("the query parameter 'from' (a version id) is required"));
        VersionId from = parse(fromText).orElseThrow(() -> noVersion(target, fromText));
        VersionDiff diff = versionCall(target, from + " or " + to,
                () -> target.contents().diffVersions(target.path(), from, to));
        JsonBodies.ok(response, json(diff));
    }

    /**
     * {@code POST /api/v1/files/{id}/versions/{version}/restore}: 201 with the new version. Of a notebook edited live,
     * the restored notebook also becomes deltas of its log ({@link NotebookRestores}, decision 0034).
     */
    void restore(ServerRequest request, ServerResponse response) {
        Target target = target(request);
        VersionId id = versionId(request);
        Version restored = restores.restore(request, target.contents(), target.path(),
                new NotebookRestores.Restore<Version>() {
                    @Override
                    public Version run() {
                        return versionCall(target, id, () -> target.contents().restoreVersion(target.path(), id));
                    }

                    @Override
                    public Optional<Notebook> restored(Version version) {
                        VersionContent content = target.contents().readVersion(target.path(), version.id());
                        return content instanceof VersionContent.NotebookBody body ? Optional.of(body.notebook())
                                : Optional.empty();
                    }
                });
        JsonBodies.send(response, Status.CREATED_201, json(target.fileId(), restored));
    }

    /** {@code PATCH /api/v1/files/{id}/versions/{version}} with {@code {"name": "..."}} (null removes it). */
    void name(ServerRequest request, ServerResponse response) {
        Target target = target(request);
        VersionId id = versionId(request);
        ObjectNode body = JsonBodies.readObject(request);
        JsonNode name = body.get("name");
        if (name == null || !(name.isTextual() || name.isNull())) {
            throw ApiException.badRequest("the body must be {\"name\": \"...\"} (a string, or null to remove the name)");
        }
        Optional<String> wanted = name.isNull() ? Optional.empty() : Optional.of(name.asText());
        Version named = versionCall(target, id, () -> target.contents().nameVersion(target.path(), id, wanted));
        JsonBodies.ok(response, json(target.fileId(), named));
    }

    /** {@code GET /api/v1/files/{id}/content?as_of=T}: the content of the latest version created at or before T. */
    void contentAsOf(ServerRequest request, ServerResponse response) {
        String text = request.query().first("as_of").asOptional().orElseThrow();
        Instant time;
        try {
            time = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("as_of must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, got '"
                    + text + "'");
        }
        Target target = target(request);
        DatabaseContentsManager.Snapshot snapshot = target.contents().readAsOf(target.path(), time)
                .orElseThrow(() -> new ApiException(404, "no_version", "file " + target.fileId()
                        + " had no version at " + time));
        response.header("Quire-Version", snapshot.version().id().toString());
        JsonBodies.ok(response, content(target.path(), snapshot.content()));
    }

    // ------------------------------------------------------------------------------------------------- internals

    /** The file a request names, in contents that keep versions. */
    private record Target(String fileId, String path, DatabaseContentsManager contents) {
    }

    private Target target(ServerRequest request) {
        if (!(resolver.apply(request) instanceof DatabaseContentsManager contents)) {
            throw new ApiException(404, "versions_unavailable", "versions need the database store (team mode); "
                    + "this server keeps files on the filesystem, without history");
        }
        String id = FilesService.id(request);
        ContentModel model = FilesService.require(contents, id, GetOptions.metadataOnly());
        return new Target(id, model.path(), contents);
    }

    private static VersionId versionId(ServerRequest request) {
        String text = request.path().pathParameters().get("version");
        return parse(text).orElseThrow(() -> new ApiException(404, "no_version", "no version '" + text + "'"));
    }

    private static Optional<VersionId> parse(String text) {
        try {
            return Optional.of(new VersionId(UUID.fromString(text)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Runs a version operation; the file was found just before, so "not found" now means the version. */
    private static <T> T versionCall(Target target, Object version, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (ContentsNotFoundException e) {
            throw noVersion(target, version);
        }
    }

    private static ApiException noVersion(Target target, Object version) {
        return new ApiException(404, "no_version", "file " + target.fileId() + " has no version '" + version + "'");
    }

    /** The Version resource. */
    private static ObjectNode json(String fileId, Version version) {
        ObjectNode json = JsonBodies.MAPPER.createObjectNode();
        json.put("id", version.id().toString());
        json.put("file_id", fileId);
        json.put("number", version.seq());
        json.put("author", version.author().toString());
        json.put("created_at", version.createdAt().toString());
        json.put("name", version.name().orElse(null));
        json.put("size", version.size());
        json.put("sha256", version.sha256());
        json.put("restored_from", version.restoredFrom().map(VersionId::toString).orElse(null));
        if (version.logSeq().isPresent()) {
            json.put("log_seq", version.logSeq().get());
        } else {
            json.putNull("log_seq");
        }
        return json;
    }

    /** The VersionDiff resource. */
    private static ObjectNode json(VersionDiff diff) {
        ObjectNode json = JsonBodies.MAPPER.createObjectNode();
        json.put("from", diff.from().toString());
        json.put("to", diff.to().toString());
        json.put("metadata_changed", diff.metadataChanged());
        json.put("content_changed", diff.contentChanged());
        var added = json.putArray("added");
        diff.added().forEach(cell -> added.addObject().put("cell_id", cell.key()).put("position", cell.position()));
        var removed = json.putArray("removed");
        diff.removed().forEach(cell -> removed.addObject().put("cell_id", cell.key())
                .put("position", cell.position()));
        var changed = json.putArray("changed");
        diff.changed().forEach(cell -> changed.addObject().put("cell_id", cell.key())
                .put("from_position", cell.fromPosition()).put("to_position", cell.toPosition())
                .put("cell_changed", cell.cellChanged()).put("outputs_changed", cell.outputsChanged()));
        var moved = json.putArray("moved");
        diff.moved().forEach(cell -> moved.addObject().put("cell_id", cell.key())
                .put("from_position", cell.fromPosition()).put("to_position", cell.toPosition()));
        return json;
    }

    /** A notebook as its nbformat JSON; other files as FileContent (text when UTF-8, else base64). */
    private static JsonNode content(String path, VersionContent content) {
        return switch (content) {
            case VersionContent.NotebookBody notebook -> notebook.notebook().toJson();
            case VersionContent.FileBody file -> {
                byte[] bytes = file.content();
                ObjectNode json = JsonBodies.MAPPER.createObjectNode();
                Optional<String> text = utf8(bytes);
                json.put("format", text.isPresent() ? "text" : "base64");
                String name = path.substring(path.lastIndexOf('/') + 1);
                json.put("mimetype", MimeTypes.guess(name)
                        .orElse(text.isPresent() ? "text/plain" : "application/octet-stream"));
                json.put("content", text.orElseGet(() -> Base64.getEncoder().encodeToString(bytes)));
                yield json;
            }
        };
    }

    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
