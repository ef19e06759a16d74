package io.quire.server.v1;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerRequest;
import io.quire.contents.ContentModel;
import io.quire.contents.ContentsManager;
import java.time.Instant;
import java.util.Optional;

/**
 * Another way to save a whole notebook, tried before the contents backend's {@code save}: the real-time channel's
 * (a notebook edited live is saved as deltas of its log, see {@code io.quire.server.rtu.CollabSaves}).
 */
@FunctionalInterface
public interface NotebookSaves {
    /** Saves nothing: every save goes to the contents backend. */
    NotebookSaves NONE = (request, contents, path, notebook, lastModified) -> Optional.empty();

    /**
     * Saves a notebook if this path handles it.
     *
     * @param request      the request
     * @param contents     the caller's contents
     * @param path         the notebook's path
     * @param notebook     the notebook JSON
     * @param lastModified the {@code last_modified} of the version the writer changed, if known
     * @return the written file's model, or empty to save through the contents backend as usual
     */
    Optional<ContentModel> save(ServerRequest request, ContentsManager contents, String path, JsonNode notebook,
            Optional<Instant> lastModified);
}
