package io.quire.contents;

import io.quire.notebook.Notebook;
import java.util.List;
import java.util.Optional;

/**
 * The contents service: reads and writes files, notebooks and directories by API path, with the semantics of
 * Jupyter Server's {@code ContentsManager} (the model behind {@code /api/contents}). Every storage backend
 * (filesystem, database) implements this interface; the HTTP layer maps its exceptions to status codes.
 *
 * <p>Paths are API paths: relative to the contents root, {@code ""} for the root, {@code /}-separated, no leading
 * slash. Paths that escape the root are refused with {@link ContentsForbiddenException}, as are hidden entries (a
 * segment starting with {@code .}) unless the backend allows them. Implementations are thread-safe.
 *
 * <p>Failures common to all operations: {@link ContentsForbiddenException} for a refused path or a permission
 * denied by the storage, {@link ContentsStorageException} when the storage fails.
 */
public interface ContentsManager {

    /**
     * Returns the model of an entry.
     *
     * @param path    the API path
     * @param options the expected type, the file format, whether to include content and hash
     * @return the model; a directory's content lists its visible children without content
     * @throws ContentsNotFoundException   if nothing exists at the path
     * @throws ContentsBadRequestException if the entry does not fit the requested type or format, or a notebook
     *                                     cannot be read
     */
    ContentModel get(String path, GetOptions options);

    /**
     * Returns the model of an entry with its content, type and format decided by the entry.
     *
     * @param path the API path
     * @return the model with content
     * @throws ContentsNotFoundException   if nothing exists at the path
     * @throws ContentsBadRequestException if a notebook cannot be read
     */
    default ContentModel get(String path) {
        return get(path, GetOptions.defaults());
    }

    /**
     * Stores a notebook, file or directory at a path, creating or replacing it. A file or notebook is replaced
     * atomically: readers see the old or the new content, never a mix. Saving a notebook that has no checkpoint
     * creates one, as Jupyter does.
     *
     * @param path    the API path; its parent directory must exist
     * @param request what to store
     * @return the stored entry's model, without content
     * @throws ContentsNotFoundException   if the parent directory does not exist
     * @throws ContentsBadRequestException if the content does not decode (a malformed notebook, naming the JSON path
     *                                     of the problem), a file would replace a directory or the reverse, or the
     *                                     path is the root
     */
    ContentModel save(String path, SaveRequest request);

    /**
     * Creates a new, empty entry with a fresh name in a directory, named as Jupyter does: {@code Untitled.ipynb},
     * {@code Untitled1.ipynb}, ... for notebooks; {@code untitled}, {@code untitled1}, ... plus the extension for
     * files; {@code Untitled Folder}, {@code Untitled Folder 1}, ... for directories.
     *
     * @param dirPath the API path of the directory
     * @param type    the type to create; empty: a notebook if {@code ext} is {@code .ipynb}, else a file
     * @param ext     the extension for a file, such as {@code .txt} (a missing leading dot is added), or {@code ""};
     *                notebooks always get {@code .ipynb}
     * @return the new entry's model, without content
     * @throws ContentsNotFoundException   if the directory does not exist
     * @throws ContentsBadRequestException if the extension contains a path separator
     */
    ContentModel newUntitled(String dirPath, Optional<ContentType> type, String ext);

    /**
     * Copies a file, notebook or directory. If {@code toDirOrPath} is an existing directory, the copy goes into it
     * under the source's name, made unique as Jupyter does ({@code name-Copy1.ipynb}, {@code name-Copy2.ipynb}, ...
     * with any earlier {@code -CopyN} removed first); otherwise {@code toDirOrPath} is the full path of the copy.
     *
     * @param fromPath    the API path of the source
     * @param toDirOrPath the API path of a target directory, or of the copy
     * @return the copy's model, without content
     * @throws ContentsNotFoundException   if the source, or the parent directory of a full target path, does not
     *                                     exist
     * @throws ContentsConflictException   if a full target path already exists
     * @throws ContentsBadRequestException if the source is the root, a directory would be copied into itself, or a
     *                                     directory is larger than the backend copies
     */
    ContentModel copy(String fromPath, String toDirOrPath);

    /**
     * Copies an entry into its own directory as {@code name-Copy1.ext} (or the next free number).
     *
     * @param fromPath the API path of the source
     * @return the copy's model, without content
     * @throws ContentsNotFoundException if the source does not exist
     */
    default ContentModel copy(String fromPath) {
        int slash = fromPath.lastIndexOf('/');
        return copy(fromPath, slash < 0 ? "" : fromPath.substring(0, slash));
    }

    /**
     * Renames or moves an entry, with its checkpoints. Renaming an entry to its own path does nothing.
     *
     * @param oldPath the API path of the entry
     * @param newPath its new API path; the parent directory must exist
     * @return the entry's model at the new path, without content
     * @throws ContentsNotFoundException   if the entry or the new parent directory does not exist
     * @throws ContentsConflictException   if something else already exists at the new path
     * @throws ContentsBadRequestException if the entry is the root or a directory would move into itself
     */
    ContentModel rename(String oldPath, String newPath);

    /**
     * Deletes an entry and its checkpoints. A directory is deleted only if it is empty (leftover checkpoints do not
     * count), unless the backend is configured to delete non-empty directories; this is Jupyter's behaviour when
     * it does not send files to the trash.
     *
     * @param path the API path
     * @throws ContentsNotFoundException   if nothing exists at the path
     * @throws ContentsBadRequestException if the path is the root, or a directory is not empty
     */
    void delete(String path);

    /**
     * Whether an entry exists at a path.
     *
     * @param path the API path
     * @return true for an existing file, notebook or directory
     * @throws ContentsForbiddenException if the path is refused (escapes the root, hidden)
     */
    boolean exists(String path);

    /**
     * Saves the current state of a file or notebook as a checkpoint. Backends that keep one checkpoint per file
     * replace the previous one.
     *
     * @param path the API path of a file or notebook
     * @return the new checkpoint
     * @throws ContentsNotFoundException   if no file exists at the path
     * @throws ContentsBadRequestException if the path is a directory
     */
    Checkpoint createCheckpoint(String path);

    /**
     * Lists the checkpoints of a file, oldest first.
     *
     * @param path the API path of a file or notebook
     * @return the checkpoints; empty if there are none (also when the file does not exist)
     */
    List<Checkpoint> listCheckpoints(String path);

    /**
     * Replaces a file's content with a checkpoint's, atomically. The checkpoint is kept.
     *
     * @param path         the API path of the file
     * @param checkpointId the checkpoint's id
     * @throws ContentsNotFoundException if the checkpoint does not exist
     */
    void restoreCheckpoint(String path, String checkpointId);

    /**
     * Deletes a checkpoint.
     *
     * @param path         the API path of the file
     * @param checkpointId the checkpoint's id
     * @throws ContentsNotFoundException if the checkpoint does not exist
     */
    void deleteCheckpoint(String path, String checkpointId);

    /**
     * Saves a notebook whose only changes are outputs and execution counts of code cells, as server-side execution
     * writes them. A backend with roles lets callers who may run code but not edit (the {@code executor} role) do
     * this, and refuses them any other change; callers who may edit get an ordinary save. Default: an ordinary
     * {@link #save}.
     *
     * @param path     the notebook's API path; it must exist
     * @param notebook the notebook with new outputs
     * @return the saved entry's model, without content
     * @throws ContentsNotFoundException  if the notebook does not exist (or is invisible to the caller)
     * @throws ContentsForbiddenException if the caller may not change the notebook this way (for an executor: anything
     *                                    but outputs and execution counts differs)
     */
    default ContentModel saveOutputs(String path, Notebook notebook) {
        return save(path, SaveRequest.notebook(notebook));
    }

    /**
     * The notebook at a path as a model, for callers that need the model rather than its JSON (the real-time channel
     * starting a file's log from it): {@link #get} and {@link Notebook#fromJson}, which a backend may do in one step
     * (the filesystem parses the file straight into the model instead of into a model, a JSON tree and a model again).
     *
     * @param path the notebook's API path
     * @return the notebook, or empty when the entry at the path is not a notebook
     * @throws ContentsNotFoundException   if nothing exists at the path
     * @throws ContentsBadRequestException if the notebook cannot be read
     */
    default Optional<Notebook> notebook(String path) {
        ContentModel model = get(path);
        if (model.type() != ContentType.NOTEBOOK || model.content().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Notebook.fromJson(model.content().get()));
    }

    /**
     * The first cells of the notebook at a path and how many it has (decision 0035): what an editor shows while the
     * rest of a large notebook is on its way. By default the whole notebook is read ({@link #notebook}); a backend
     * that stores the JSON may read only as far as the head and count the rest.
     *
     * @param path  the notebook's API path
     * @param cells how many cells to return at most (at least 0)
     * @return the head, or empty when the entry at the path is not a notebook
     * @throws ContentsNotFoundException   if nothing exists at the path
     * @throws ContentsBadRequestException if the notebook cannot be read
     */
    default Optional<io.quire.notebook.NotebookHead> notebookHead(String path, int cells) {
        return notebook(path).map(notebook -> io.quire.notebook.NotebookHead.of(notebook, cells));
    }

    /**
     * The notebook at a path as the JSON bytes the backend stores, when it can hand them out without parsing and
     * serialising again: a fast path for reads of unchanged notebooks. The bytes are guaranteed to be a valid
     * nbformat 4 notebook that {@link #get} would return as the same JSON data (not necessarily byte for byte).
     *
     * @param path the notebook's API path
     * @return the stored bytes, or empty when the backend has no verified copy (then use {@link #get}); the array may
     *         be shared with later calls: do not change it
     */
    default Optional<byte[]> storedNotebookJson(String path) {
        return Optional.empty();
    }
}
