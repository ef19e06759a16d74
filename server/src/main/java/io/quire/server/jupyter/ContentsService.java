package io.quire.server.jupyter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.quire.contents.Checkpoint;
import io.quire.contents.ContentFormat;
import io.quire.contents.ContentModel;
import io.quire.contents.ContentType;
import io.quire.contents.ContentsManager;
import io.quire.contents.GetOptions;
import io.quire.contents.SaveRequest;
import io.quire.notebook.Notebook;
import io.quire.server.http.ApiException;
import io.quire.server.http.JsonBodies;
import io.quire.server.rtu.CollabSaves;
import io.quire.server.v1.NotebookRestores;
import io.quire.store.VersionContent;
import io.quire.store.VersionId;
import io.quire.store.contents.DatabaseContentsManager;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code /api/contents}: files, notebooks and folders, and their checkpoints, in Jupyter Server's shapes, over any
 * {@link ContentsManager} (a folder on disk now, the database later).
 *
 * <p>A contents path may hold slashes, so the routes are matched by prefix and the rest of the URL is parsed here:
 * {@code /api/contents/PATH}, {@code /api/contents/PATH/checkpoints} and {@code /api/contents/PATH/checkpoints/ID}.
 */
public final class ContentsService {
    private static final String PREFIX = "/api/contents";
    private static final String CHECKPOINTS = "/checkpoints";
    /** As Jupyter Server: only a last segment of word characters and dashes is a checkpoint id. */
    private static final java.util.regex.Pattern CHECKPOINT_ID = java.util.regex.Pattern.compile("[\\w-]+");

    private final Function<ServerRequest, ContentsManager> resolver;
    private final Optional<CollabSaves> collab;

    /**
     * Creates the service over one backend for every caller.
     *
     * @param contents the contents backend
     */
    public ContentsService(ContentsManager contents) {
        this(request -> contents);
    }

    /**
     * Creates the service over a backend chosen per request (team mode: the caller's organisation's project).
     *
     * @param resolver the contents backend of a request
     */
    public ContentsService(Function<ServerRequest, ContentsManager> resolver) {
        this(resolver, Optional.empty());
    }

    /**
     * Creates the service over a backend chosen per request, saving notebooks that are edited live through their
     * collaboration log: a {@code PUT} of such a notebook becomes deltas against the version the writer had (named by
     * the model's optional {@code last_modified}), and the file is written from the log's document.
     *
     * @param resolver the contents backend of a request
     * @param collab   the live-save path, if collaboration is on
     */
    public ContentsService(Function<ServerRequest, ContentsManager> resolver, Optional<CollabSaves> collab) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.collab = Objects.requireNonNull(collab, "collab");
    }

    /**
     * Adds the routes.
     *
     * @param routing the routing builder
     */
    public void register(HttpRouting.Builder routing) {
        routing.any(PREFIX, this::dispatch).any(PREFIX + "/*", this::dispatch);
    }

    private record Target(String path, Optional<String> checkpoint, boolean checkpoints) {
    }

    private static Target target(ServerRequest request) {
        String rest = request.path().path().substring(PREFIX.length());
        if (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        int marker = rest.lastIndexOf("checkpoints");
        if (rest.equals("checkpoints") || rest.endsWith(CHECKPOINTS) && marker >= 0) {
            return new Target(strip(rest.substring(0, marker)), Optional.empty(), true);
        }
        int slash = rest.lastIndexOf('/');
        if (slash > 0 && CHECKPOINT_ID.matcher(rest.substring(slash + 1)).matches()) {
            String parent = rest.substring(0, slash);
            if (parent.equals("checkpoints") || parent.endsWith(CHECKPOINTS)) {
                String path = strip(parent.substring(0, parent.length() - "checkpoints".length()));
                return new Target(path, Optional.of(rest.substring(slash + 1)), true);
            }
        }
        return new Target(strip(rest), Optional.empty(), false);
    }

    private static String strip(String path) {
        String stripped = path;
        while (stripped.endsWith("/")) {
            stripped = stripped.substring(0, stripped.length() - 1);
        }
        while (stripped.startsWith("/")) {
            stripped = stripped.substring(1);
        }
        return stripped;
    }

    private void dispatch(ServerRequest request, ServerResponse response) {
        ContentsManager contents = resolver.apply(request);
        Target target = target(request);
        Method method = request.prologue().method();
        if (target.checkpoints()) {
            checkpoints(contents, request, response, target, method);
            return;
        }
        if (method == Method.GET) {
            get(contents, request, response, target.path());
        } else if (method == Method.POST) {
            create(contents, request, response, target.path());
        } else if (method == Method.PUT) {
            save(contents, request, response, target.path());
        } else if (method == Method.PATCH) {
            rename(contents, request, response, target.path());
        } else if (method == Method.DELETE) {
            contents.delete(target.path());
            response.status(Status.NO_CONTENT_204).send();
        } else {
            throw new ApiException(405, "method_not_allowed", method.text() + " is not allowed on " + PREFIX);
        }
    }

    private void get(ContentsManager contents, ServerRequest request, ServerResponse response, String path) {
        GetOptions options = GetOptions.defaults();
        Optional<String> type = request.query().first("type").asOptional();
        if (type.isPresent()) {
            options = options.withType(ContentType.fromWireName(type.get()));
        }
        Optional<String> format = request.query().first("format").asOptional();
        if (format.isPresent()) {
            options = options.withFormat(ContentFormat.fromWireName(format.get()));
        }
        options = options.withContent(flag(request, "content", true)).withHash(flag(request, "hash", false));
        if (options.content() && !options.hash() && options.format().map(f -> f == ContentFormat.JSON).orElse(true)
                && options.type().map(t -> t == ContentType.NOTEBOOK).orElse(path.endsWith(".ipynb"))
                && sendStored(contents, response, path, options)) {
            return;
        }
        JsonBodies.ok(response, contents.get(path, options).toJson());
    }

    /**
     * The fast path for reading an unchanged notebook: the model's fields, then the stored notebook JSON spliced in
     * as {@code content} without parsing and serialising it again.
     */
    private static boolean sendStored(ContentsManager contents, ServerResponse response, String path,
            GetOptions options) {
        Optional<byte[]> stored = contents.storedNotebookJson(path);
        if (stored.isEmpty()) {
            return false;
        }
        ContentModel model = contents.get(path, options.withContent(false));
        if (model.type() != ContentType.NOTEBOOK) {
            return false;
        }
        ObjectNode json = model.toJson();
        json.remove("content");
        json.put("format", "json");
        byte[] head;
        try {
            head = JsonBodies.MAPPER.writeValueAsBytes(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a contents model", e);
        }
        // the model's fields without the closing brace, the content field, the stored notebook, the closing brace
        JsonBodies.okParts(response, java.util.Arrays.copyOf(head, head.length - 1), CONTENT_FIELD, stored.get(),
                CLOSING_BRACE);
        return true;
    }

    private static final byte[] CONTENT_FIELD = ",\"content\":".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] CLOSING_BRACE = {'}'};

    private static boolean flag(ServerRequest request, String name, boolean otherwise) {
        Optional<String> value = request.query().first(name).asOptional();
        if (value.isEmpty()) {
            return otherwise;
        }
        return switch (value.get()) {
            case "1", "true", "True" -> true;
            case "0", "false", "False" -> false;
            default -> throw ApiException.badRequest("'" + name + "' must be 0 or 1, got '" + value.get() + "'");
        };
    }

    /** POST: a copy ({@code copy_from}) or a new untitled file, notebook or folder in the folder at {@code dir}. */
    private void create(ContentsManager contents, ServerRequest request, ServerResponse response, String dir) {
        ObjectNode body = JsonBodies.readObject(request);
        Optional<String> copyFrom = Requests.optionalText(body, "copy_from");
        ContentModel created;
        if (copyFrom.isPresent()) {
            created = contents.copy(strip(copyFrom.get()), dir);
        } else {
            Optional<ContentType> type = Requests.optionalText(body, "type").map(ContentType::fromWireName);
            created = contents.newUntitled(dir, type, Requests.optionalText(body, "ext").orElse(""));
        }
        created(response, created);
    }

    private void save(ContentsManager contents, ServerRequest request, ServerResponse response, String path) {
        ObjectNode body = JsonBodies.readObject(request);
        Optional<String> copyFrom = Requests.optionalText(body, "copy_from");
        if (copyFrom.isPresent()) {
            created(response, contents.copy(strip(copyFrom.get()), path));
            return;
        }
        boolean existed = contents.exists(path);
        SaveRequest save = SaveRequest.fromJson(path, body);
        if (existed && collab.isPresent() && save instanceof SaveRequest.NotebookContent notebook) {
            Optional<ContentModel> merged = collab.get().save(request, contents, path, notebook.json(),
                    CollabSaves.lastModified(body));
            if (merged.isPresent()) {
                JsonBodies.ok(response, merged.get().toJson());
                return;
            }
        }
        ContentModel saved = contents.save(path, save);
        if (existed) {
            JsonBodies.ok(response, saved.toJson());
        } else {
            created(response, saved);
        }
    }

    private void rename(ContentsManager contents, ServerRequest request, ServerResponse response, String path) {
        ObjectNode body = JsonBodies.readObject(request);
        String newPath = strip(Requests.requiredText(body, "path"));
        JsonBodies.ok(response, contents.rename(path, newPath).toJson());
    }

    private static void created(ServerResponse response, ContentModel model) {
        response.header(HeaderNames.LOCATION, PREFIX + "/" + encodePath(model.path()));
        JsonBodies.send(response, Status.CREATED_201, model.toJson());
    }

    /** Percent-encodes each segment of a contents path (UTF-8), keeping the slashes: a valid ASCII URI path. */
    static String encodePath(String path) {
        StringBuilder encoded = new StringBuilder();
        for (String segment : path.split("/", -1)) {
            if (!encoded.isEmpty() || path.startsWith("/")) {
                encoded.append('/');
            }
            encoded.append(java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return encoded.toString();
    }

    /**
     * Restores a checkpoint; of a notebook edited live, through its log (decision 0034), reading the restored
     * notebook back by its version id on the database store (a checkpoint is a named version there), else from the
     * file.
     */
    private void restoreCheckpoint(ContentsManager contents, ServerRequest request, String path, String id) {
        if (collab.isEmpty()) {
            contents.restoreCheckpoint(path, id);
            return;
        }
        collab.get().restore(request, contents, path, new NotebookRestores.Restore<Boolean>() {
            @Override
            public Boolean run() {
                contents.restoreCheckpoint(path, id);
                return true;
            }

            @Override
            public Optional<Notebook> restored(Boolean result) {
                if (contents instanceof DatabaseContentsManager database) {
                    VersionContent content = database.readVersion(path, new VersionId(UUID.fromString(id)));
                    return content instanceof VersionContent.NotebookBody body ? Optional.of(body.notebook())
                            : Optional.empty();
                }
                return contents.notebook(path);
            }
        });
    }

    private void checkpoints(ContentsManager contents, ServerRequest request, ServerResponse response, Target target, Method method) {
        String path = target.path();
        if (target.checkpoint().isEmpty()) {
            if (method == Method.GET) {
                ArrayNode list = JsonBodies.MAPPER.createArrayNode();
                contents.listCheckpoints(path).forEach(checkpoint -> list.add(checkpoint.toJson()));
                JsonBodies.ok(response, list);
            } else if (method == Method.POST) {
                Checkpoint checkpoint = contents.createCheckpoint(path);
                response.header(HeaderNames.LOCATION, PREFIX + "/" + encodePath(path) + CHECKPOINTS + "/"
                        + encodePath(checkpoint.id()));
                JsonBodies.send(response, Status.CREATED_201, checkpoint.toJson());
            } else {
                throw new ApiException(405, "method_not_allowed", method.text() + " is not allowed on checkpoints");
            }
            return;
        }
        String id = target.checkpoint().get();
        if (method == Method.POST) {
            restoreCheckpoint(contents, request, path, id);
        } else if (method == Method.DELETE) {
            contents.deleteCheckpoint(path, id);
        } else {
            throw new ApiException(405, "method_not_allowed", method.text() + " is not allowed on a checkpoint");
        }
        response.status(Status.NO_CONTENT_204).send();
    }
}
