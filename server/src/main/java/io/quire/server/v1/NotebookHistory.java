package io.quire.server.v1;

import io.helidon.webserver.http.ServerRequest;
import io.quire.contents.ContentsManager;
import io.quire.notebook.Notebook;
import java.time.Instant;
import java.util.Objects;

/**
 * Reads of a notebook as it was at a past time from its delta log ({@code GET /api/v1/files/{id}/content?at=T}; the
 * real-time channel's, see {@code io.quire.server.rtu.CollabSaves}; decision 0029).
 */
@FunctionalInterface
public interface NotebookHistory {
    /** No log anywhere: every read answers 404 {@code no_history}. */
    NotebookHistory NONE = (request, contents, path, time) -> {
        throw new io.quire.server.http.ApiException(404, "no_history", "this server keeps no delta logs");
    };

    /**
     * A notebook as its log had it.
     *
     * @param seq      the log's seq of that state (0: the document the log started from)
     * @param notebook the document
     */
    record Historical(long seq, Notebook notebook) {
        /** Validates the fields. */
        public Historical {
            Objects.requireNonNull(notebook, "notebook");
            if (seq < 0) {
                throw new IllegalArgumentException("a seq is not negative, got " + seq);
            }
        }
    }

    /**
     * Reads a notebook as of a time.
     *
     * @param request  the request
     * @param contents the caller's contents (the path exists there and the caller may read it)
     * @param path     the notebook's path
     * @param time     the time
     * @return the document then
     * @throws io.quire.server.http.ApiException 404 {@code no_history} when there is no log covering the time
     */
    Historical at(ServerRequest request, ContentsManager contents, String path, Instant time);
}
