package io.quire.server.rtu;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerRequest;
import io.quire.collab.DeltaLog;
import io.quire.collab.SaveMerge;
import io.quire.contents.ContentModel;
import io.quire.contents.ContentType;
import io.quire.contents.ContentsManager;
import io.quire.contents.GetOptions;
import io.quire.contents.SaveRequest;
import io.quire.notebook.Notebook;
import io.quire.server.http.ApiException;
import io.quire.server.v1.FileIds;
import io.quire.server.v1.NotebookSaves;
import io.quire.store.ResourceRole;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 * taken to be based on the file as it is now, since reads serve the file. Each time this class writes a file from
 * the log it remembers which seq produced that {@code last_modified} (per node, the last {@value #VERSIONS_KEPT}
 * writes of each file), and a file not modified since its log started is the log's seq 0. A version this node
 * cannot place is treated as based on the head, without deleting cells the writer cannot have seen (see
 * {@link SaveMerge}).
 *
 * <p>Only editors and owners (the rtu role) save through the log; anyone else's save goes to the contents backend,
 * which refuses or restricts it as before, so a refused save never leaves deltas behind.
 *
 * <p>Saves of one file on this node are serialised (merge and write), so the file is never written from an older
 * state after a newer one. Deltas submitted over the channel meanwhile are simply part of the state written.
 */
public final class CollabSaves implements NotebookSaves {
    private static final Logger LOG = LoggerFactory.getLogger(CollabSaves.class);
    /** How many written versions are remembered per file. */
    static final int VERSIONS_KEPT = 64;

    /** What this node knows of the versions of one file it wrote from the log. */
    private static final class Versions {
        final ReentrantLock lock = new ReentrantLock();
        // guarded by lock: last_modified of a written version -> its seq, oldest first
        final Map<Instant, Long> written = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Instant, Long> eldest) {
                return size() > VERSIONS_KEPT;
            }
        };
    }

    private final RtuHub hub;
    private final RtuAccess access;
    private final Map<UUID, Versions> files = new ConcurrentHashMap<>();

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
            // not an editor: the contents backend decides (and refuses what it must) without touching the log
            return Optional.empty();
        }
        UUID logId = file.get().logId();
        Optional<DeltaLog> live = hub.liveLog(logId, file.get().initial());
        if (live.isEmpty()) {
            return Optional.empty();
        }
        Notebook saved = new SaveRequest.NotebookContent(notebook).parse(path);
        Versions versions = files.computeIfAbsent(logId, id -> new Versions());
        versions.lock.lock();
        try {
            // a writer that names no version read the file as it is now (reads serve the file)
            Instant read = lastModified.map(at -> at.truncatedTo(ChronoUnit.MICROS)).orElse(current.lastModified());
            OptionalLong base = OptionalLong.empty();
            Long seq = versions.written.get(read);
            if (seq != null) {
                base = OptionalLong.of(seq);
            } else if (read.equals(current.lastModified())
                    && hub.logStart(logId).filter(start -> !read.isAfter(start)).isPresent()) {
                base = OptionalLong.of(0); // the file has not changed since the log started from it
            }
            SaveMerge.Result merged = SaveMerge.merge(live.get(), user.get().author(), base, 0, saved);
            hub.pump(logId);
            DeltaLog.State state = live.get().state();
            ContentModel written = contents.save(path, SaveRequest.notebook(state.notebook()));
            versions.written.put(written.lastModified(), state.seq());
            LOG.debug("save of {} merged into log {}: {} deltas ({} dropped) on base {}, written at seq {}", path,
                    logId, merged.deltas(), merged.dropped(), merged.base(), state.seq());
            return Optional.of(written);
        } finally {
            versions.lock.unlock();
        }
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
