package io.quire.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SQL of files, versions and version cells, shared by {@link FileRepository} and {@link VersionRepository}. */
final class VersionRows {
    static final String FILE_COLUMNS = "id, org_id, project_id, path, type, created_by, created_at, updated_by,"
            + " updated_at, head_version_id, head_seq, size";
    static final String VERSION_COLUMNS = "id, org_id, file_id, seq, author_id, created_at, name, kind, nbformat,"
            + " nbformat_minor, head_hash, content_hash, size, sha256, restored_from, log_seq";

    /** A version row with the columns that locate its content. */
    record StoredVersion(Version version, Optional<Integer> nbformat, Optional<Integer> nbformatMinor,
            Optional<String> headHash, Optional<String> contentHash) {
    }

    /** A row of version_cells. */
    record CellRow(int position, String key, String cellHash, Optional<String> outputsHash) {
    }

    private VersionRows() {
    }

    // ------------------------------------------------------------------------------------------------------ files

    static Optional<FileEntry> findFile(Connection c, OrgId org, ProjectId project, String path) throws SQLException {
        return Sql.queryOne(c, "SELECT " + FILE_COLUMNS + " FROM files WHERE org_id = ? AND project_id = ? AND path = ?",
                VersionRows::file, org, project, path);
    }

    static Optional<FileEntry> findFile(Connection c, OrgId org, FileId id) throws SQLException {
        return Sql.queryOne(c, "SELECT " + FILE_COLUMNS + " FROM files WHERE org_id = ? AND id = ?", VersionRows::file,
                org, id);
    }

    static FileEntry requireFile(Connection c, OrgId org, FileId id) throws SQLException {
        return findFile(c, org, id).orElseThrow(() -> new StoreNotFoundException("no file " + id));
    }

    /** The entries strictly below a directory ({@code ""} for the project root), ordered by path. */
    static List<FileEntry> descendants(Connection c, OrgId org, ProjectId project, String directory)
            throws SQLException {
        if (directory.isEmpty()) {
            return Sql.query(c, "SELECT " + FILE_COLUMNS + " FROM files WHERE org_id = ? AND project_id = ?"
                    + " ORDER BY path", VersionRows::file, org, project);
        }
        return Sql.query(c, "SELECT " + FILE_COLUMNS + " FROM files WHERE org_id = ? AND project_id = ?"
                        + " AND path LIKE ? ESCAPE '" + Dialect.LIKE_ESCAPE + "' ORDER BY path", VersionRows::file,
                org, project, Sql.startsWith(directory + "/"));
    }

    /** The entries directly in a directory ({@code ""} for the project root), ordered by path. */
    static List<FileEntry> children(Connection c, OrgId org, ProjectId project, String directory)
            throws SQLException {
        String escape = " ESCAPE '" + Dialect.LIKE_ESCAPE + "'";
        if (directory.isEmpty()) {
            return Sql.query(c, "SELECT " + FILE_COLUMNS + " FROM files WHERE org_id = ? AND project_id = ?"
                    + " AND path NOT LIKE '%/%' ORDER BY path", VersionRows::file, org, project);
        }
        String prefix = Sql.escapeLike(directory + "/");
        return Sql.query(c, "SELECT " + FILE_COLUMNS + " FROM files WHERE org_id = ? AND project_id = ?"
                        + " AND path LIKE ?" + escape + " AND path NOT LIKE ?" + escape + " ORDER BY path",
                VersionRows::file, org, project, prefix + "%", prefix + "%/%");
    }

    static FileEntry file(ResultSet rows) throws SQLException {
        return new FileEntry(new FileId(Sql.uuid(rows, "id")), new OrgId(Sql.uuid(rows, "org_id")),
                new ProjectId(Sql.uuid(rows, "project_id")), rows.getString("path"),
                EntryType.fromDbName(rows.getString("type")), new UserId(Sql.uuid(rows, "created_by")),
                Sql.instant(rows, "created_at"), new UserId(Sql.uuid(rows, "updated_by")),
                Sql.instant(rows, "updated_at"), Sql.optionalUuid(rows, "head_version_id").map(VersionId::new),
                rows.getLong("head_seq"), rows.getLong("size"));
    }

    static void insertFile(Connection c, FileEntry entry) throws SQLException {
        Sql.update(c, "INSERT INTO files (" + FILE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                entry.id(), entry.orgId(), entry.projectId(), entry.path(), entry.type().dbName(), entry.createdBy(),
                entry.createdAt(), entry.updatedBy(), entry.updatedAt(), entry.headVersion(), entry.headSeq(),
                entry.size());
    }

    /** Deletes a file or directory row with its versions, cells, collaboration log and grants (not its blobs, which may be shared). */
    static void deleteFile(Connection c, FileId id) throws SQLException {
        Sql.update(c, "DELETE FROM version_cells WHERE version_id IN (SELECT id FROM versions WHERE file_id = ?)", id);
        Sql.update(c, "DELETE FROM versions WHERE file_id = ?", id);
        Sql.update(c, "DELETE FROM deltas WHERE file_id = ?", id);
        Sql.update(c, "DELETE FROM snapshots WHERE file_id = ?", id);
        Sql.update(c, "DELETE FROM kernel_leases WHERE file_id = ?", id);
        Sql.update(c, "DELETE FROM kernel_controls WHERE file_id = ?", id);
        Sql.update(c, "DELETE FROM rtu_signals WHERE file_id = ?", id);
        Sql.update(c, "DELETE FROM grants WHERE resource_kind = 'file' AND resource_id = ?", id);
        Sql.update(c, "DELETE FROM files WHERE id = ?", id);
    }

    // --------------------------------------------------------------------------------------------------- versions

    static Optional<StoredVersion> findVersion(Connection c, OrgId org, VersionId id) throws SQLException {
        return Sql.queryOne(c, "SELECT " + VERSION_COLUMNS + " FROM versions WHERE org_id = ? AND id = ?",
                VersionRows::storedVersion, org, id);
    }

    static StoredVersion requireVersion(Connection c, OrgId org, VersionId id) throws SQLException {
        return findVersion(c, org, id).orElseThrow(() -> new StoreNotFoundException("no version " + id));
    }

    static StoredVersion storedVersion(ResultSet rows) throws SQLException {
        int nbformat = rows.getInt("nbformat");
        Optional<Integer> major = rows.wasNull() ? Optional.empty() : Optional.of(nbformat);
        int minor = rows.getInt("nbformat_minor");
        Optional<Integer> minorValue = rows.wasNull() ? Optional.empty() : Optional.of(minor);
        return new StoredVersion(version(rows), major, minorValue, Sql.optionalString(rows, "head_hash"),
                Sql.optionalString(rows, "content_hash"));
    }

    static Version version(ResultSet rows) throws SQLException {
        return new Version(new VersionId(Sql.uuid(rows, "id")), new OrgId(Sql.uuid(rows, "org_id")),
                new FileId(Sql.uuid(rows, "file_id")), rows.getLong("seq"), new UserId(Sql.uuid(rows, "author_id")),
                Sql.instant(rows, "created_at"), Sql.optionalString(rows, "name"),
                EntryType.fromDbName(rows.getString("kind")), rows.getLong("size"), rows.getString("sha256"),
                Sql.optionalUuid(rows, "restored_from").map(VersionId::new), optionalLong(rows, "log_seq"));
    }

    private static Optional<Long> optionalLong(ResultSet rows, String column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? Optional.empty() : Optional.of(value);
    }

    static List<CellRow> cells(Connection c, VersionId version) throws SQLException {
        return Sql.query(c, "SELECT position, cell_key, cell_hash, outputs_hash FROM version_cells"
                        + " WHERE version_id = ? ORDER BY position",
                rows -> new CellRow(rows.getInt("position"), rows.getString("cell_key"), rows.getString("cell_hash"),
                        Sql.optionalString(rows, "outputs_hash")), version);
    }

    /** Inserts a version row and its cells. */
    static void insertVersion(Connection c, StoredVersion stored, List<CellRow> cells) throws SQLException {
        Version v = stored.version();
        Sql.update(c, "INSERT INTO versions (" + VERSION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " ?, ?, ?)",
                v.id(), v.orgId(), v.fileId(), v.seq(), v.author(), v.createdAt(), v.name(), v.kind().dbName(),
                stored.nbformat(), stored.nbformatMinor(), stored.headHash(), stored.contentHash(), v.size(),
                v.sha256(), v.restoredFrom(), v.logSeq());
        if (cells.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO version_cells (version_id, position, cell_key,"
                + " cell_hash, outputs_hash) VALUES (?, ?, ?, ?, ?)")) {
            for (CellRow cell : cells) {
                Sql.bind(insert, v.id(), cell.position(), cell.key(), cell.cellHash(), cell.outputsHash());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Makes a version the head of its file: the next number, the file's type, size and update stamp follow it.
     */
    static FileEntry advanceHead(Connection c, FileEntry entry, Version version) throws SQLException {
        Sql.update(c, "UPDATE files SET head_version_id = ?, head_seq = ?, size = ?, type = ?, updated_by = ?,"
                        + " updated_at = ? WHERE id = ?",
                version.id(), version.seq(), version.size(), version.kind().dbName(), version.author(),
                version.createdAt(), entry.id());
        return new FileEntry(entry.id(), entry.orgId(), entry.projectId(), entry.path(), version.kind(),
                entry.createdBy(), entry.createdAt(), version.author(), version.createdAt(),
                Optional.of(version.id()), version.seq(), version.size());
    }

    /**
     * Claims the next version number of an existing file by writing its row first: of two concurrent saves of one
     * file, the second then fails on this write with a serialization conflict (and is retried) rather than later
     * with a duplicate version number.
     */
    static long claimNextSeq(Connection c, FileEntry entry) throws SQLException {
        long next = entry.headSeq() + 1;
        int updated = Sql.update(c, "UPDATE files SET head_seq = ? WHERE id = ? AND head_seq = ?", next, entry.id(),
                entry.headSeq());
        if (updated != 1) {
            throw new SQLException("file " + entry.id() + " changed during the transaction", "40001");
        }
        return next;
    }

    /** The largest log seq of a file's versions written from its delta log, if any (decision 0029). */
    static Optional<Long> lastLogSeq(Connection c, FileId file) throws SQLException {
        List<Optional<Long>> max = Sql.query(c, "SELECT MAX(log_seq) FROM versions WHERE file_id = ?", rows -> {
            long value = rows.getLong(1);
            return rows.wasNull() ? Optional.<Long>empty() : Optional.of(value);
        }, file);
        return max.isEmpty() ? Optional.empty() : max.getFirst();
    }

    /** Whether any version of a file has a name. */
    static boolean hasNamedVersion(Connection c, FileId file) throws SQLException {
        return Sql.count(c, "SELECT COUNT(*) FROM versions WHERE file_id = ? AND name IS NOT NULL", file) > 0;
    }

    /**
     * Adds a version to a file that repeats another version's content (a restore, or the first version of a copy):
     * no blob is written, the new version points at the same ones.
     */
    static Version repeat(Connection c, StoredVersion source, FileEntry target, long seq, UserId author,
            Instant now, Optional<String> name, VersionId id, Optional<VersionId> restoredFrom) throws SQLException {
        Version old = source.version();
        Version version = new Version(id, target.orgId(), target.id(), seq, author, now, name, old.kind(), old.size(),
                old.sha256(), restoredFrom, Optional.empty());
        insertVersion(c, new StoredVersion(version, source.nbformat(), source.nbformatMinor(), source.headHash(),
                source.contentHash()), List.of());
        Sql.update(c, "INSERT INTO version_cells (version_id, position, cell_key, cell_hash, outputs_hash)"
                + " SELECT ?, position, cell_key, cell_hash, outputs_hash FROM version_cells WHERE version_id = ?",
                version.id(), old.id());
        return version;
    }

    /** Reads the content of a version. */
    static VersionContent content(Connection c, StoredVersion stored) throws SQLException {
        Version v = stored.version();
        if (v.kind() == EntryType.FILE) {
            String hash = stored.contentHash().orElseThrow(() -> new StoreFailureException("the store is damaged:"
                    + " file version " + v.id() + " has no content"));
            return new VersionContent.FileBody(BlobStore.read(c, v.orgId(), List.of(hash)).get(hash));
        }
        String header = stored.headHash().orElseThrow(() -> new StoreFailureException("the store is damaged:"
                + " notebook version " + v.id() + " has no header"));
        List<CellRow> cells = cells(c, v.id());
        List<String> hashes = new ArrayList<>();
        hashes.add(header);
        for (CellRow cell : cells) {
            hashes.add(cell.cellHash());
            cell.outputsHash().ifPresent(hashes::add);
        }
        Map<String, byte[]> blobs = BlobStore.read(c, v.orgId(), hashes);
        List<Map.Entry<byte[], Optional<byte[]>>> pieces = new ArrayList<>(cells.size());
        for (CellRow cell : cells) {
            pieces.add(new AbstractMap.SimpleImmutableEntry<>(blobs.get(cell.cellHash()),
                    cell.outputsHash().map(blobs::get)));
        }
        try {
            return new VersionContent.NotebookBody(NotebookParts.assemble(blobs.get(header), pieces));
        } catch (IllegalStateException e) {
            throw new StoreFailureException("the store is damaged: version " + v.id() + ": " + e.getMessage(), e);
        }
    }
}
