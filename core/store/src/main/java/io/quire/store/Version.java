package io.quire.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One saved state of a file. Versions are never changed or removed while their file exists (only their name can
 * be set), so history is append-only: restoring an old version adds a new one.
 *
 * @param id           the id
 * @param orgId        the organisation
 * @param fileId       the file
 * @param seq          the number of the version within its file: 1, 2, 3, ... with no gaps
 * @param author       who saved it
 * @param createdAt    when
 * @param name         a name given to it (such as a checkpoint), if any
 * @param kind         whether it holds a notebook or plain bytes
 * @param size         the size in bytes of the content (a notebook as nbformat JSON)
 * @param sha256       the SHA-256 (hex) of those bytes
 * @param restoredFrom the version it restored, if it was made by a restore
 * @param logSeq       the seq of the file's delta log whose document this version holds, if it was written from the
 *                     log (decision 0029)
 */
public record Version(VersionId id, OrgId orgId, FileId fileId, long seq, UserId author, Instant createdAt,
        Optional<String> name, EntryType kind, long size, String sha256, Optional<VersionId> restoredFrom,
        Optional<Long> logSeq) {

    /** Checks that no component is null and that the kind is one that has versions. */
    public Version {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(restoredFrom, "restoredFrom");
        Objects.requireNonNull(logSeq, "logSeq");
        if (logSeq.isPresent() && logSeq.get() < 0) {
            throw new IllegalArgumentException("a log seq is not negative, got " + logSeq.get());
        }
        if (kind == EntryType.DIRECTORY) {
            throw new IllegalArgumentException("directories have no versions");
        }
    }
}
