package io.quire.server.rtu;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerRequest;
import io.quire.collab.DeltaLog;
import io.quire.collab.SaveMerge;
import io.quire.contents.ContentModel;
import io.quire.contents.ContentsBadRequestException;
import io.quire.contents.ContentType;
import io.quire.contents.ContentsManager;
import io.quire.contents.GetOptions;
import io.quire.contents.SaveRequest;
import io.quire.notebook.Notebook;
import io.quire.server.http.ApiException;
import io.quire.server.v1.FileIds;
import io.quire.server.v1.NotebookHistory;
import io.quire.server.v1.NotebookHistory.Historical;
import io.quire.server.v1.NotebookRestores;
import io.quire.server.v1.NotebookSaves;
import io.quire.store.ResourceRole;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole-notebook saves (Jupyter contents {@code PUT}, v1 files {@code PUT .../content}) of a notebook that is being
 * edited live: the save becomes deltas of the file's log ({@link SaveMerge}) instead of overwriting what others did,
 * the deltas reach the subscribers, and the file is then written from the log's document, so file and log agree.
 *
 * <p><b>The writer's base.</b> Jupyter clients send no seq, but a save may carry the {@code last_modified} of the
 * version the writer read (the contents model's field); a save without one (JupyterLab's, the v1 files API's) is
 * taken to be based on the file as it is now, since reads serve the file. Every write of a file from its log records
 * which seq produced that {@code last_modified} ({@link Writeback}: in the version row on the database store, so any
 * node and any later run can place it; in memory on the filesystem, where the log is in memory too), and a file not
 * modified since its log started is the log's seq 0. A version that cannot be placed is treated as based on the head,
 * without deleting cells the writer cannot have seen (see {@link SaveMerge}).
 *
 * <p>Only editors and owners (the rtu role) save through the log; anyone else's save goes to the contents backend,
 * which refuses or restricts it as before, so a refused save never leaves deltas behind.
 *
 * <p>Saves of one file on this node are serialised with the node's other writes of it from the log (merge and write,
 * {@code LogWrites}), and the home refuses a seq it already holds or an older one, so the file is never written from
 * an older state after a newer one. Deltas submitted over the channel meanwhile are simply part of the state written.
 *
 * <p>Restores (Jupyter checkpoint restore, v1 version restore) of a live notebook go through the log too
 * ({@link #restore}, decision 0034): the restored notebook replaces the log's document as deltas by the caller, rather
 * than being merged with the edits made since.
 *
 * <p>Also reads the document of a live notebook as of a past time from its log ({@link #at}).
 */
public final class CollabSaves implements NotebookSaves, NotebookHistory, NotebookRestores {
    private static final Logger LOG = LoggerFactory.getLogger(CollabSaves.class);

    private final RtuHub hub;
    private final RtuAccess access;

    /**
     * Creates the saver.
     *
     * @param hub    the node's real-time hub (its logs and subscribers)
     * @param access how a request's user and a path's log are found
     */
    public CollabSaves(RtuHub hub, RtuAccess access) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.access = Objects.requireNonNull(access, "access");
    }

    /**
     * Saves a notebook through its log if it has one.
     *
     * @param request      the request (whose user is the author of the deltas)
     * @param contents     the caller's contents
     * @param path         the notebook's path
     * @param notebook     the saved notebook (nbformat JSON)
     * @param lastModified the {@code last_modified} of the version the writer changed, if it sent one
     * @return the model of the written file, or empty when the file is not edited live (save it as usual)
     * @throws io.quire.contents.ContentsBadRequestException for a notebook that is not valid
     */
    @Override
    public Optional<ContentModel> save(ServerRequest request, ContentsManager contents, String path,
            JsonNode notebook, Optional<Instant> lastModified) {
        Optional<Live> found = live(request, contents, path);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Live live = found.get();
        UUID logId = live.file().logId();
        ContentModel current = live.current();
        String author = live.user().author();
        Notebook saved = new SaveRequest.NotebookContent(notebook).parse(path);
        Writeback home = live.file().writeback();
        ReentrantLock lock = hub.writes().lock(logId);
        lock.lock();
        try {
            // a writer that names no version read the file as it is now (reads serve the file)
            Instant read = lastModified.map(at -> at.truncatedTo(ChronoUnit.MICROS)).orElse(current.lastModified());
            OptionalLong base = OptionalLong.empty();
            Optional<Long> seq = home.seqOf(read);
            if (seq.isPresent()) {
                base = OptionalLong.of(seq.get());
            } else if (read.equals(current.lastModified())
                    && hub.logStart(logId).filter(start -> !read.isAfter(start)).isPresent()) {
                base = OptionalLong.of(0); // the file has not changed since the log started from it
            }
            SaveMerge.Result merged = SaveMerge.merge(live.log(), author, base, 0, saved);
            hub.pump(logId);
            DeltaLog.State state = live.log().state();
            home.write(state.notebook(), state.seq(), Optional.of(author));
            hub.writes().wrote(logId, state.seq());
            ContentModel written = contents.get(path, GetOptions.metadataOnly());
            LOG.debug("save of {} merged into log {}: {} deltas ({} dropped) on base {}, written at seq {}", path,
                    logId, merged.deltas(), merged.dropped(), merged.base(), state.seq());
            return Optional.of(written);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Restores a file through the contents backend and, if it is a notebook edited live, applies the restored notebook
     * to its log (decision 0034): as a save based on the head that keeps none of the edits made since, so the log's
     * document becomes the restored notebook ({@link SaveMerge#restore}), the deltas reach every subscriber, attributed
     * to the caller, and the file is then written from the log, so file and log agree. Only editors and owners go
     * through the log; for anyone else, for files that are not notebooks and for notebooks without a log, the
     * backend's restore is all that happens (it checks the permissions in every case).
     *
     * <p>The backend restores first, under the file's write lock, so a restore it refuses leaves no deltas and the
     * answer is exactly the backend's. A restored content that is not a notebook (a checkpoint edited on disk into
     * something else) cannot become deltas: the file is written back from the log and the restore is refused.
     *
     * @param request  the request (whose user is the author of the deltas)
     * @param contents the caller's contents
     * @param path     the file's path
     * @param restore  the backend's restore and how to read what it restored
     * @return what the backend's restore answered
     * @throws ApiException 400 {@code not_a_notebook} when a live notebook's restored content is not a notebook
     */
    @Override
    public <T> T restore(ServerRequest request, ContentsManager contents, String path, Restore<T> restore) {
        Optional<Live> found = live(request, contents, path);
        if (found.isEmpty()) {
            return restore.run();
        }
        Live live = found.get();
        UUID logId = live.file().logId();
        String author = live.user().author();
        Writeback home = live.file().writeback();
        ReentrantLock lock = hub.writes().lock(logId);
        lock.lock();
        try {
            T result = restore.run();
            home.changedOutside(); // the backend wrote the home itself
            Optional<Notebook> restored;
            String why = "it is not a notebook";
            try {
                restored = restore.restored(result);
            } catch (ContentsBadRequestException e) {
                restored = Optional.empty();
                why = e.getMessage();
            }
            if (restored.isEmpty()) { // cannot become deltas: the home gets the live document back
                DeltaLog.State state = live.log().state();
                home.write(state.notebook(), state.seq(), Optional.of(author));
                hub.writes().wrote(logId, state.seq());
                throw new ApiException(400, "not_a_notebook", "the restored content of '" + path + "' cannot"
                        + " replace the live document of a notebook being edited (" + why + "); the file keeps its"
                        + " live document");
            }
            SaveMerge.Restore applied = SaveMerge.restore(live.log(), author, restored.get());
            hub.pump(logId);
            if (!applied.exact()) {
                LOG.warn("restore of {} into log {}: others kept editing through {} rounds; the log's document at"
                        + " seq {} differs from the restored notebook by their edits", path, logId, applied.rounds(),
                        applied.seq());
            }
            DeltaLog.State state = live.log().state();
            home.write(state.notebook(), state.seq(), Optional.of(author));
            hub.writes().wrote(logId, state.seq());
            LOG.debug("restore of {} applied to log {}: {} deltas in {} rounds, written at seq {}", path, logId,
                    applied.deltas(), applied.rounds(), state.seq());
            return result;
        } finally {
            lock.unlock();
        }
    }

    /** A notebook edited live that the caller may edit, with what it needs to go through the log. */
    private record Live(RtuAccess.User user, RtuAccess.File file, DeltaLog log, ContentModel current) {
    }

    /**
     * The notebook at a path if it is edited live and the request's user may edit it; empty when the contents
     * backend alone should handle the request (no user, no such file, not a notebook, no log, not an editor: the
     * backend then refuses what it must without the log being touched).
     */
    private Optional<Live> live(ServerRequest request, ContentsManager contents, String path) {
        Optional<RtuAccess.User> user = access.user(request);
        if (user.isEmpty() || !contents.exists(path)) {
            return Optional.empty();
        }
        ContentModel current = contents.get(path, GetOptions.metadataOnly());
        if (current.type() != ContentType.NOTEBOOK) {
            return Optional.empty();
        }
        Optional<RtuAccess.File> file = access.open(user.get(), FileIds.of(path));
        if (file.isEmpty() || !file.get().role().atLeast(ResourceRole.EDITOR)) {
            return Optional.empty();
        }
        return hub.liveLog(file.get()).map(log -> new Live(user.get(), file.get(), log, current));
    }

    /**
     * Reads a notebook as its log had it at a time: the latest snapshot at or before the last delta accepted at or
     * before it, plus the deltas up to that one.
     *
     * @param request  the request (its user must be able to subscribe to the file)
     * @param contents the caller's contents
     * @param path     the notebook's path
     * @param time     the time
     * @return the document and its seq
     * @throws ApiException 404 {@code no_history} when the file has no log or its log started after the time
     */
    @Override
    public Historical at(ServerRequest request, ContentsManager contents, String path, Instant time) {
        Optional<RtuAccess.File> file = access.user(request).flatMap(user -> access.open(user, FileIds.of(path)));
        if (file.isEmpty()) {
            throw new ApiException(404, "no_history", "'" + path + "' is not a notebook edited live, so it has no log"
                    + " to read a past state from; saved versions are read with ?as_of=");
        }
        Optional<Instant> start = hub.logStart(file.get().logId());
        Optional<DeltaLog> live = start.isEmpty() ? Optional.empty() : hub.liveLog(file.get());
        if (live.isEmpty()) {
            throw new ApiException(404, "no_history", "'" + path + "' has no log yet (nobody has edited it live), so"
                    + " there is no state at " + time + " to read from one; saved versions are read with ?as_of=");
        }
        if (time.isBefore(start.get())) {
            throw new ApiException(404, "no_history", "the log of '" + path + "' starts at " + start.get()
                    + ", after " + time + "; saved versions before it are read with ?as_of=");
        }
        DeltaLog log = live.get();
        log.refresh();
        long seq = Math.min(hub.seqAt(file.get().logId(), time), log.head());
        return new Historical(seq, log.asOf(seq));
    }

    /**
     * Reads the optional {@code last_modified} of a contents model sent with a save.
     *
     * @param body the request body
     * @return the time, or empty when absent or null
     * @throws ApiException 400 when it is not an ISO-8601 time
     */
    public static Optional<Instant> lastModified(JsonNode body) {
        JsonNode value = body.get("last_modified");
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("'last_modified' must be an ISO-8601 time");
        }
        try {
            return Optional.of(Instant.parse(value.asText()));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(java.time.OffsetDateTime.parse(value.asText()).toInstant());
            } catch (DateTimeParseException again) {
                throw ApiException.badRequest("'last_modified' must be an ISO-8601 time, got '" + value.asText()
                        + "'");
            }
        }
    }
}
