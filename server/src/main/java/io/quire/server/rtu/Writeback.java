package io.quire.server.rtu;

import io.quire.notebook.Notebook;
import java.time.Instant;
import java.util.Optional;

/**
 * Where a live notebook's document is written from its delta log (decision 0029): the file on the filesystem store,
 * a new version on the database store. Each write names the log seq whose document it is, and the home keeps which
 * seq it holds, so a write of a seq the home already holds (or of an older one) does nothing: across server nodes in
 * team mode this is decided by the database, in the transaction that adds the version.
 *
 * <p>Implementations are made by {@link RtuAccess} with each {@link RtuAccess.File}; callers serialise the writes of
 * one file on a node ({@code LogWrites}).
 */
public interface Writeback {

    /**
     * The log seq the home holds now, as far as writes from the log go.
     *
     * @return the seq of the last write from the log, or empty if the home was never written from its log (then it
     *         holds the document the log started from, seq 0, unless it was changed outside the log)
     */
    Optional<Long> written();

    /**
     * The log seq of the state a reader saw, named by the {@code last_modified} it read.
     *
     * @param lastModified the {@code last_modified} of a version or of the file
     * @return the seq written with that {@code last_modified}, or empty when it was not written from the log (or is
     *         not known any more)
     */
    Optional<Long> seqOf(Instant lastModified);

    /**
     * Writes the document of a log seq unless the home already holds that seq or a later one.
     *
     * @param document the log's document at {@code seq}
     * @param seq      its seq
     * @param author   whom to attribute the version to (a user id in team mode); empty: the author of the current
     *                 version. The filesystem keeps no author.
     * @return the written file's {@code last_modified}, or empty when nothing was written (the home holds {@code seq}
     *         or later)
     */
    Optional<Instant> write(Notebook document, long seq, Optional<String> author);

    /**
     * Tells the home it was written outside the log (a restore wrote it directly, decision 0034), so the next
     * {@link #write} must not be skipped because the home held that seq before. A home where each seq is written
     * once across nodes (a database version that records it) keeps refusing a seq it holds: the version the restore
     * added stays the current one until the log moves. Default: nothing to forget.
     */
    default void changedOutside() {
    }
}
