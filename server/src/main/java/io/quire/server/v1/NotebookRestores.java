package io.quire.server.v1;

import io.helidon.webserver.http.ServerRequest;
import io.quire.contents.ContentsManager;
import io.quire.notebook.Notebook;
import java.util.Optional;

/**
 * Restores (Jupyter checkpoint restore, v1 version restore) of a file that may be edited live: the real-time
 * channel's path ({@code io.quire.server.rtu.CollabSaves}, decision 0034) turns the restored notebook into deltas of
 * the file's log, so subscribers see it and the next write from the log does not undo it.
 */
public interface NotebookRestores {
    /** Restores through the contents backend only. */
    NotebookRestores NONE = new NotebookRestores() {
        @Override
        public <T> T restore(ServerRequest request, ContentsManager contents, String path, Restore<T> restore) {
            return restore.run();
        }
    };

    /**
     * A restore in the contents backend.
     *
     * @param <T> what the restore answers (the new version, or nothing)
     */
    interface Restore<T> {
        /**
         * Restores in the contents backend, which checks the caller's permissions.
         *
         * @return the backend's answer
         */
        T run();

        /**
         * The notebook the restore put in place, read by what identifies it (a version id where there is one, so a
         * write by another server node in between is not mistaken for it).
         *
         * @param result what {@link #run} answered
         * @return the restored notebook, or empty when the restored content is not a notebook
         */
        Optional<Notebook> restored(T result);
    }

    /**
     * Runs a restore, and if the file is a notebook edited live, applies the restored notebook to its log.
     *
     * @param <T>      what the restore answers
     * @param request  the request (whose user is the author of the deltas)
     * @param contents the caller's contents
     * @param path     the file's path
     * @param restore  the restore
     * @return what the restore answered
     */
    <T> T restore(ServerRequest request, ContentsManager contents, String path, Restore<T> restore);
}
