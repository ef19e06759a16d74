package io.quire.store;

import io.quire.notebook.Notebook;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The files, notebooks and directories of projects, and saving their content.
 *
 * <p>Every save adds a {@link Version}. A notebook is stored as a header and per-cell pieces (cell without outputs,
 * outputs), each a content-addressed blob, so a save writes only the pieces that changed: saving a notebook in which
 * one cell changed writes that cell's blob (and its outputs' blob, if they changed) plus small rows that list the
 * version's pieces. See {@link BlobStore} for how blobs are written outside the version transaction.
 *
 * <p>Directories are rows of their own, so empty directories exist; an entry's parent directory must exist when the
 * entry is created. Every method names the organisation and the project, and sees nothing of other organisations.
 */
public final class FileRepository {
    private final StoreContext context;
    private final BlobStore blobs;

    FileRepository(StoreContext context, BlobStore blobs) {
        this.context = context;
        this.blobs = blobs;
    }

    /**
     * Looks an entry up by path.
     *
     * @param org     the organisation
     * @param project the project
     * @param path    the path in the project
     * @return the entry, or empty
     * @throws StoreBadRequestException if the path is malformed
     */
    public Optional<FileEntry> find(OrgId org, ProjectId project, String path) {
        String checked = ProjectPaths.entry(path);
        requireIds(org, project);
        return context.tx().inTransaction(c -> VersionRows.findFile(c, org, project, checked));
    }

    /**
     * Reads an entry by id.
     *
     * @param org  the organisation
     * @param file the entry
     * @return the entry
     * @throws StoreNotFoundException if the organisation has no such entry
     */
    public FileEntry get(OrgId org, FileId file) {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(file, "file");
        return context.tx().inTransaction(c -> VersionRows.requireFile(c, org, file));
    }

    /**
     * The entries directly in a directory.
     *
     * @param org       the organisation
     * @param project   the project
     * @param directory the directory's path, {@code ""} for the project root
     * @return the entries, ordered by path
     * @throws StoreNotFoundException if the project or the directory does not exist
     */
    public List<FileEntry> list(OrgId org, ProjectId project, String directory) {
        String checked = ProjectPaths.directory(directory);
        requireIds(org, project);
        return context.tx().inTransaction(c -> {
            requireDirectory(c, org, project, checked);
            return VersionRows.children(c, org, project, checked);
        });
    }

    /**
     * Creates a directory; creating one that exists does nothing.
     *
     * @param org     the organisation
     * @param project the project
     * @param path    the directory's path
     * @param author  who creates it
     * @return the directory entry
     * @throws StoreNotFoundException   if the project or the parent directory does not exist
     * @throws StoreBadRequestException if a file or notebook has the path
     */
    public FileEntry createDirectory(OrgId org, ProjectId project, String path, UserId author) {
        String checked = ProjectPaths.entry(path);
        requireIds(org, project);
        Objects.requireNonNull(author, "author");
        return context.tx().inTransaction(c -> {
            Optional<FileEntry> existing = VersionRows.findFile(c, org, project, checked);
            if (existing.isPresent()) {
                if (existing.get().type() != EntryType.DIRECTORY) {
                    throw new StoreBadRequestException("'" + checked + "' exists and is not a directory");
                }
                return existing.get();
            }
            requireDirectory(c, org, project, ProjectPaths.parent(checked));
            Instant now = context.now();
            FileEntry entry = new FileEntry(new FileId(context.newId()), org, project, checked, EntryType.DIRECTORY,
                    author, now, author, now, Optional.empty(), 0, 0);
            VersionRows.insertFile(c, entry);
            return entry;
        });
    }

    /**
     * Saves a notebook as a new version, creating the entry if there is none.
     *
     * @param org      the organisation
     * @param project  the project
     * @param path     the notebook's path
     * @param notebook the content
     * @param author   who saves it
     * @param options  how to name the version
     * @return the entry, the version and what was written
     * @throws StoreNotFoundException   if the project or the parent directory does not exist
     * @throws StoreBadRequestException if a directory has the path
     */
    public SaveResult saveNotebook(OrgId org, ProjectId project, String path, Notebook notebook, UserId author,
            SaveOptions options) {
        Objects.requireNonNull(notebook, "notebook");
        NotebookParts parts = NotebookParts.split(notebook);
        List<VersionRows.CellRow> cells = cellRows(parts);
        return save(org, project, path, author, options, parts.blobs(), EntryType.NOTEBOOK, parts.size(),
                parts.sha256(), Optional.of(parts.nbformat()), Optional.of(parts.nbformatMinor()),
                Optional.of(parts.header().hash()), Optional.empty(), cells);
    }

    /**
     * Saves a plain file as a new version, creating the entry if there is none.
     *
     * @param org     the organisation
     * @param project the project
     * @param path    the file's path
     * @param content the bytes
     * @param author  who saves it
     * @param options how to name the version
     * @return the entry, the version and what was written
     * @throws StoreNotFoundException   if the project or the parent directory does not exist
     * @throws StoreBadRequestException if a directory has the path
     */
    public SaveResult saveFile(OrgId org, ProjectId project, String path, byte[] content, UserId author,
            SaveOptions options) {
        Objects.requireNonNull(content, "content");
        Blob blob = Blob.of(content.clone());
        return save(org, project, path, author, options, List.of(blob), EntryType.FILE, content.length, blob.hash(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(blob.hash()), List.of());
    }

    private SaveResult save(OrgId org, ProjectId project, String path, UserId author, SaveOptions options,
            List<Blob> pieces, EntryType kind, long size, String sha256, Optional<Integer> nbformat,
            Optional<Integer> nbformatMinor, Optional<String> headHash, Optional<String> contentHash,
            List<VersionRows.CellRow> cells) {
        String checked = ProjectPaths.entry(path);
        requireIds(org, project);
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(options, "options");
        // first the tenancy check, then the blobs (idempotent, in their own transactions), then the small version
        // transaction, which is the one that conflicts with concurrent saves and is retried
        context.tx().inTransaction(c -> requireProject(c, org, project));
        BlobStore.Written written = blobs.putAll(org, pieces);
        VersionWork addVersion = versionWork(org, author, options, kind, size, sha256, nbformat, nbformatMinor,
                headHash, contentHash, cells, written, Optional.empty());
        // a save of an existing file reads only that file's row, and every transaction that changes the file (its
        // versions, path or existence) writes that row, as this one does first (claimNextSeq): at REPEATABLE READ
        // the first writer of the row wins and the other fails with 40001 and is retried, so the outcome is
        // serializable without SERIALIZABLE's predicate locks, which on PostgreSQL are page- and table-granular and
        // made saves of different files fail each other (decision 0010). Naming a version does not write the file
        // row, so a save that reads the names (onlyIfFirst) stays SERIALIZABLE.
        if (!(options.name().isPresent() && options.onlyIfFirst())) {
            Optional<SaveResult> saved = context.tx().inTransaction(Transactions.Isolation.REPEATABLE_READ, c -> {
                Optional<FileEntry> entry = VersionRows.findFile(c, org, project, checked);
                if (entry.isEmpty() || entry.get().type() == EntryType.DIRECTORY) {
                    return Optional.empty();
                }
                return Optional.of(addVersion.run(c, entry.get(), context.now()));
            });
            if (saved.isPresent()) {
                return saved.get();
            }
        }
        // a new file depends on rows it does not write (its parent directory, the absence of its path): SERIALIZABLE
        return context.tx().inTransaction(c -> {
            Instant now = context.now();
            FileEntry entry = VersionRows.findFile(c, org, project, checked).orElse(null);
            if (entry == null) {
                requireDirectory(c, org, project, ProjectPaths.parent(checked));
                entry = new FileEntry(new FileId(context.newId()), org, project, checked, kind, author, now, author,
                        now, Optional.empty(), 0, 0);
                VersionRows.insertFile(c, entry);
            } else if (entry.type() == EntryType.DIRECTORY) {
                throw new StoreBadRequestException("'" + checked + "' is a directory; a " + kind.dbName()
                        + " cannot replace it");
            }
            return addVersion.run(c, entry, now);
        });
    }

    /** The work of adding one version to an existing file (its row read in the same transaction). */
    private VersionWork versionWork(OrgId org, UserId author, SaveOptions options, EntryType kind, long size,
            String sha256, Optional<Integer> nbformat, Optional<Integer> nbformatMinor, Optional<String> headHash,
            Optional<String> contentHash, List<VersionRows.CellRow> cells, BlobStore.Written written,
            Optional<Long> logSeq) {
        return (c, entry, now) -> {
            long seq = VersionRows.claimNextSeq(c, entry);
            Optional<String> name = options.name();
            if (name.isPresent() && options.onlyIfFirst() && VersionRows.hasNamedVersion(c, entry.id())) {
                name = Optional.empty();
            }
            Version version = new Version(new VersionId(context.newId()), org, entry.id(), seq, author, now, name,
                    kind, size, sha256, Optional.empty(), logSeq);
            VersionRows.insertVersion(c, new VersionRows.StoredVersion(version, nbformat, nbformatMinor, headHash,
                    contentHash), cells);
            FileEntry after = VersionRows.advanceHead(c, entry, version);
            return new SaveResult(after, version, written.count(), written.bytes());
        };
    }

    /**
     * Saves a notebook's document taken from its delta log as a new version that records the log's seq (decision
     * 0029), unless a version of this file already holds that seq or a later one. The check and the insert are one
     * transaction that writes the file's row first, so of two concurrent writers (server nodes) of one file the
     * second is retried and then sees the first: one state is never written twice and an older state is never written
     * after a newer one. Versions not written from the log (restores, ordinary saves) do not count.
     *
     * @param org      the organisation
     * @param file     the notebook (by id: its log is keyed by it, whatever its path now)
     * @param notebook the document at {@code logSeq}
     * @param author   who the version is attributed to; empty: the author of the file's current head version
     * @param logSeq   the log's seq whose document this is
     * @param options  how to name the version
     * @return what was written, or empty when a version at or after {@code logSeq} exists
     * @throws StoreNotFoundException   if the organisation has no such file
     * @throws StoreBadRequestException if the file is not a notebook
     * @throws IllegalArgumentException if {@code logSeq} is negative
     */
    public Optional<SaveResult> saveNotebookFromLog(OrgId org, FileId file, Notebook notebook,
            Optional<UserId> author, long logSeq, SaveOptions options) {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(notebook, "notebook");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(options, "options");
        if (logSeq < 0) {
            throw new IllegalArgumentException("a log seq is not negative, got " + logSeq);
        }
        Transactions.Isolation isolation = options.name().isPresent() && options.onlyIfFirst()
                ? Transactions.Isolation.SERIALIZABLE : Transactions.Isolation.REPEATABLE_READ;
        // a cheap look first, so that a node that lost the race writes no blobs
        if (context.tx().inTransaction(Transactions.Isolation.REPEATABLE_READ,
                c -> VersionRows.lastLogSeq(c, file).filter(written -> written >= logSeq).isPresent())) {
            return Optional.empty();
        }
        NotebookParts parts = NotebookParts.split(notebook);
        List<VersionRows.CellRow> cells = cellRows(parts);
        BlobStore.Written written = blobs.putAll(org, parts.blobs());
        return context.tx().inTransaction(isolation, c -> {
            FileEntry entry = VersionRows.requireFile(c, org, file);
            if (entry.type() != EntryType.NOTEBOOK) {
                throw new StoreBadRequestException("'" + entry.path() + "' is a " + entry.type().dbName()
                        + ", not a notebook");
            }
            if (VersionRows.lastLogSeq(c, file).filter(last -> last >= logSeq).isPresent()) {
                return Optional.<SaveResult>empty();
            }
            UserId by = author.orElse(entry.updatedBy());
            return Optional.of(versionWork(org, by, options, EntryType.NOTEBOOK, parts.size(), parts.sha256(),
                    Optional.of(parts.nbformat()), Optional.of(parts.nbformatMinor()),
                    Optional.of(parts.header().hash()), Optional.empty(), cells, written, Optional.of(logSeq))
                    .run(c, entry, context.now()));
        });
    }

    /** Adds a version to a file inside a transaction. */
    @FunctionalInterface
    private interface VersionWork {
        SaveResult run(Connection c, FileEntry entry, Instant now) throws SQLException;
    }

    /**
     * Reads the current content of a file or notebook.
     *
     * @param org  the organisation
     * @param file the entry
     * @return the content of its head version
     * @throws StoreNotFoundException   if the organisation has no such entry
     * @throws StoreBadRequestException if the entry is a directory
     */
    public VersionContent readHead(OrgId org, FileId file) {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(file, "file");
        return context.tx().inTransaction(c -> {
            FileEntry entry = VersionRows.requireFile(c, org, file);
            VersionId head = entry.headVersion().orElseThrow(() -> new StoreBadRequestException("'" + entry.path()
                    + "' is a directory; it has no content"));
            return VersionRows.content(c, VersionRows.requireVersion(c, org, head));
        });
    }

    /**
     * Renames or moves an entry; a directory moves with everything in it. Entries keep their ids and versions.
     *
     * @param org     the organisation
     * @param project the project
     * @param from    the entry's path
     * @param to      its new path
     * @param actor   who moves it
     * @return the entry at its new path
     * @throws StoreNotFoundException   if the entry or the new parent directory does not exist
     * @throws StoreConflictException   if something exists at the new path
     * @throws StoreBadRequestException if a directory would move into itself
     */
    public FileEntry move(OrgId org, ProjectId project, String from, String to, UserId actor) {
        String source = ProjectPaths.entry(from);
        String target = ProjectPaths.entry(to);
        requireIds(org, project);
        Objects.requireNonNull(actor, "actor");
        return context.tx().inTransaction(c -> {
            FileEntry entry = requireEntry(c, org, project, source);
            if (source.equals(target)) {
                return entry;
            }
            if (ProjectPaths.isSameOrInside(target, source)) {
                throw new StoreBadRequestException("cannot move '" + source + "' into itself ('" + target + "')");
            }
            if (VersionRows.findFile(c, org, project, target).isPresent()) {
                throw new StoreConflictException("cannot move '" + source + "' to '" + target + "': it exists");
            }
            requireDirectory(c, org, project, ProjectPaths.parent(target));
            Instant now = context.now();
            if (entry.type() == EntryType.DIRECTORY) {
                for (FileEntry inside : VersionRows.descendants(c, org, project, source)) {
                    Sql.update(c, "UPDATE files SET path = ? WHERE id = ?",
                            target + inside.path().substring(source.length()), inside.id());
                }
            }
            Sql.update(c, "UPDATE files SET path = ?, updated_by = ?, updated_at = ? WHERE id = ?", target, actor, now,
                    entry.id());
            return new FileEntry(entry.id(), org, project, target, entry.type(), entry.createdBy(), entry.createdAt(),
                    actor, now, entry.headVersion(), entry.headSeq(), entry.size());
        });
    }

    /**
     * Copies an entry to a new path; a directory is copied with everything in it. A copied file gets one version
     * with the source's current content, sharing its blobs (nothing is rewritten).
     *
     * @param org     the organisation
     * @param project the project
     * @param from    the source's path
     * @param to      the copy's path
     * @param actor   who copies it (the author of the copies)
     * @param options how to name the copies' first versions
     * @return the copy's entry
     * @throws StoreNotFoundException   if the source or the new parent directory does not exist
     * @throws StoreConflictException   if something exists at the new path
     * @throws StoreBadRequestException if a directory would be copied into itself
     */
    public FileEntry copy(OrgId org, ProjectId project, String from, String to, UserId actor, SaveOptions options) {
        String source = ProjectPaths.entry(from);
        String target = ProjectPaths.entry(to);
        requireIds(org, project);
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(options, "options");
        return context.tx().inTransaction(c -> {
            FileEntry entry = requireEntry(c, org, project, source);
            if (VersionRows.findFile(c, org, project, target).isPresent()) {
                throw new StoreConflictException("cannot copy '" + source + "' to '" + target + "': it exists");
            }
            if (entry.type() == EntryType.DIRECTORY && ProjectPaths.isSameOrInside(target, source)) {
                throw new StoreBadRequestException("cannot copy directory '" + source + "' into itself ('" + target
                        + "')");
            }
            requireDirectory(c, org, project, ProjectPaths.parent(target));
            FileEntry copy = copyOne(c, entry, target, actor, options);
            if (entry.type() == EntryType.DIRECTORY) {
                for (FileEntry inside : VersionRows.descendants(c, org, project, source)) {
                    copyOne(c, inside, target + inside.path().substring(source.length()), actor, options);
                }
            }
            return copy;
        });
    }

    private FileEntry copyOne(Connection c, FileEntry source, String path, UserId actor, SaveOptions options)
            throws SQLException {
        Instant now = context.now();
        FileEntry copy = new FileEntry(new FileId(context.newId()), source.orgId(), source.projectId(), path,
                source.type(), actor, now, actor, now, Optional.empty(), 0, 0);
        VersionRows.insertFile(c, copy);
        if (source.headVersion().isEmpty()) {
            return copy;
        }
        VersionRows.StoredVersion head = VersionRows.requireVersion(c, source.orgId(), source.headVersion().get());
        Version version = VersionRows.repeat(c, head, copy, 1, actor, now, options.name(),
                new VersionId(context.newId()), Optional.empty());
        return VersionRows.advanceHead(c, copy, version);
    }

    /**
     * Deletes an entry with its versions and grants; the content blobs stay while other versions share them.
     *
     * @param org       the organisation
     * @param project   the project
     * @param path      the entry's path
     * @param recursive whether a non-empty directory is deleted with everything in it
     * @throws StoreNotFoundException   if the entry does not exist
     * @throws StoreBadRequestException if the entry is a non-empty directory and {@code recursive} is false
     */
    public void delete(OrgId org, ProjectId project, String path, boolean recursive) {
        String checked = ProjectPaths.entry(path);
        requireIds(org, project);
        context.tx().inTransaction(c -> {
            FileEntry entry = requireEntry(c, org, project, checked);
            if (entry.type() == EntryType.DIRECTORY) {
                List<FileEntry> inside = VersionRows.descendants(c, org, project, checked);
                if (!inside.isEmpty() && !recursive) {
                    throw new StoreBadRequestException("directory '" + checked + "' is not empty");
                }
                for (FileEntry child : inside) {
                    VersionRows.deleteFile(c, child.id());
                }
            }
            VersionRows.deleteFile(c, entry.id());
            return null;
        });
    }

    private static FileEntry requireEntry(Connection c, OrgId org, ProjectId project, String path)
            throws SQLException {
        return VersionRows.findFile(c, org, project, path).orElseThrow(() -> {
            try {
                requireProject(c, org, project);
            } catch (SQLException e) {
                return Transactions.translate(e);
            }
            return new StoreNotFoundException("no such file or directory: '" + path + "'");
        });
    }

    /** Requires the project root or a directory entry at a path. */
    private static void requireDirectory(Connection c, OrgId org, ProjectId project, String path) throws SQLException {
        if (path.isEmpty()) {
            requireProject(c, org, project);
            return;
        }
        Optional<FileEntry> entry = VersionRows.findFile(c, org, project, path);
        if (entry.isEmpty() || entry.get().type() != EntryType.DIRECTORY) {
            requireProject(c, org, project);
            throw new StoreNotFoundException("no such directory: '" + path + "'");
        }
    }

    private static Void requireProject(Connection c, OrgId org, ProjectId project) throws SQLException {
        if (ProjectRepository.find(c, org, project).isEmpty()) {
            throw new StoreNotFoundException("no project " + project);
        }
        return null;
    }

    private static void requireIds(OrgId org, ProjectId project) {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(project, "project");
    }

    /** A version's cell rows: each cell's position, key, content hash and outputs blob, in notebook order. */
    private static List<VersionRows.CellRow> cellRows(NotebookParts parts) {
        List<VersionRows.CellRow> cells = new java.util.ArrayList<>(parts.cells().size());
        int position = 0;
        for (NotebookParts.Cell cell : parts.cells()) {
            cells.add(new VersionRows.CellRow(position++, cell.key(), cell.cell().hash(),
                    cell.outputs().map(Blob::hash)));
        }
        return cells;
    }
}
