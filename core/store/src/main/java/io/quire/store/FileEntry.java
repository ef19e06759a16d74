package io.quire.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A file, notebook or directory of a project: the small "hot" row that every save updates. Content lives in
 * versions.
 *
 * @param id          the id (kept across renames)
 * @param orgId       the organisation
 * @param projectId   the project
 * @param path        the path in the project, such as {@code analysis/report.ipynb} (unique in the project)
 * @param type        notebook, file or directory
 * @param createdBy   who created it
 * @param createdAt   when
 * @param updatedBy   who last changed it
 * @param updatedAt   when
 * @param headVersion the current version; empty for directories
 * @param headSeq     the number of the current version (1 for the first save); 0 for directories
 * @param size        the size in bytes of the current content (a notebook as nbformat JSON); 0 for directories
 */
public record FileEntry(FileId id, OrgId orgId, ProjectId projectId, String path, EntryType type, UserId createdBy,
        Instant createdAt, UserId updatedBy, Instant updatedAt, Optional<VersionId> headVersion, long headSeq,
        long size) {

    /** Checks that no component is null. */
    public FileEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedBy, "updatedBy");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(headVersion, "headVersion");
    }

    /**
     * The last segment of the path.
     *
     * @return the name
     */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
