package io.quire.store.contents;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.contents.Checkpoint;
import io.quire.contents.ContentFormat;
import io.quire.contents.ContentModel;
import io.quire.contents.ContentType;
import io.quire.contents.ContentsBadRequestException;
import io.quire.contents.ContentsConflictException;
import io.quire.contents.ContentsException;
import io.quire.contents.ContentsForbiddenException;
import io.quire.contents.ContentsManager;
import io.quire.contents.ContentsNotFoundException;
import io.quire.contents.ContentsStorageException;
import io.quire.contents.GetOptions;
import io.quire.contents.SaveRequest;
import io.quire.contents.spi.ApiPaths;
import io.quire.contents.spi.ContentNames;
import io.quire.contents.spi.FileEncodings;
import io.quire.notebook.Cell;
import io.quire.notebook.CodeCell;
import io.quire.notebook.Notebook;
import io.quire.notebook.NotebookFormatException;
import io.quire.store.EntryType;
import io.quire.store.FileEntry;
import io.quire.store.OrgId;
import io.quire.store.Project;
import io.quire.store.ProjectAccess;
import io.quire.store.ProjectId;
import io.quire.store.ResourceRole;
import io.quire.store.SaveOptions;
import io.quire.store.Store;
import io.quire.store.StoreBadRequestException;
import io.quire.store.StoreConflictException;
import io.quire.store.StoreException;
import io.quire.store.StoreForbiddenException;
import io.quire.store.StoreNotFoundException;
import io.quire.store.UserId;
import io.quire.store.Version;
import io.quire.store.VersionContent;
import io.quire.store.VersionDiff;
import io.quire.store.VersionId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A {@link ContentsManager} over one project of the database store, acting for one user: what Jupyter clients see
 * as the contents root is the project.
 *
 * <p><b>Entries.</b> API paths are project paths. Directories are explicit entries (so empty directories exist, as on
 * a filesystem); a file or notebook can be created only in an existing directory. Whether an entry is read as a
 * notebook follows Jupyter's rule (the requested type, else the {@code .ipynb} extension), whatever it was saved as.
 * Hidden names (a segment starting with {@code .}) are refused unless {@link Options#allowHidden()}, and so is the
 * name {@code .ipynb_checkpoints}, reserved by the filesystem backend, so that both backends accept the same paths.
 *
 * <p><b>Checkpoints</b> are named versions: every save creates a version, and a checkpoint is a version with a name.
 * {@link #createCheckpoint} names the current version {@code checkpoint} (if it has no name yet); its id is the
 * version's id; restoring adds a new version equal to it (history is append-only); deleting removes the name. A
 * notebook's first save is named {@code checkpoint} when the file has no named version yet, as Jupyter creates a
 * first checkpoint.
 *
 * <p><b>Versions</b> of a file are served by path ({@link #versions}, {@link #readVersion}, {@link #diffVersions},
 * {@link #restoreVersion}, {@link #nameVersion}, {@link #readAsOf}) with the same permission rules as its content:
 * reading needs {@code viewer}, restoring and naming {@code editor}; a version id that is unknown, of another file or
 * of another organisation is not found.
 *
 * <p><b>Permissions.</b> Each operation resolves the user's roles in the project once. Entries the user may not see
 * do not exist for them (not found, left out of listings); reading needs {@code viewer}, saving an existing file
 * {@code editor} on it, and creating, copying, moving or deleting entries {@code editor} on the project; a visible
 * entry the user may not change is forbidden.
 *
 * <p>Store failures are mapped as the filesystem backend's: not found, conflict, bad request and forbidden keep
 * their meaning; contention and database failures become storage failures.
 */
public final class DatabaseContentsManager implements ContentsManager {
    private static final String CHECKPOINT_NAME = "checkpoint";
    private static final String RESERVED = ".ipynb_checkpoints";

    /**
     * How the database backend behaves.
     *
     * @param allowHidden     whether entries whose name starts with {@code .} may be read, written and listed
     * @param alwaysDeleteDir whether {@code delete} removes non-empty directories with all they contain
     */
    public record Options(boolean allowHidden, boolean alwaysDeleteDir) {

        /**
         * Jupyter's defaults: hidden entries refused, non-empty directories kept.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(false, false);
        }

        /**
         * These options with hidden entries allowed or not.
         *
         * @param allow whether hidden entries are served
         * @return new options
         */
        public Options withAllowHidden(boolean allow) {
            return new Options(allow, alwaysDeleteDir);
        }

        /**
         * These options with recursive deletion on or off.
         *
         * @param always whether non-empty directories are deleted
         * @return new options
         */
        public Options withAlwaysDeleteDir(boolean always) {
            return new Options(allowHidden, always);
        }
    }

    /**
     * A version of a file together with its content.
     *
     * @param version the version
     * @param content what it holds
     */
    public record Snapshot(Version version, VersionContent content) {
        /** Rejects nulls. */
        public Snapshot {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(content, "content");
        }
    }

    private final Store store;
    private final OrgId org;
    private final Project project;
    private final UserId user;
    private final Options options;

    private DatabaseContentsManager(Store store, OrgId org, Project project, UserId user, Options options) {
        this.store = store;
        this.org = org;
        this.project = project;
        this.user = user;
        this.options = options;
    }

    /**
     * Serves a project to a user.
     *
     * @param store   the store
     * @param org     the organisation
     * @param project the project
     * @param user    the user acting
     * @param options the behaviour
     * @return the manager
     * @throws StoreNotFoundException if the organisation has no such project, or the user may see nothing in it
     */
    public static DatabaseContentsManager create(Store store, OrgId org, ProjectId project, UserId user,
            Options options) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(options, "options");
        if (!store.permissions().projectAccess(org, user, project).seesAnything()) {
            throw new StoreNotFoundException("no project " + project);
        }
        return new DatabaseContentsManager(store, org, store.projects().get(org, project), user, options);
    }

    // ---------------------------------------------------------------------------------------------------- reading

    @Override
    public ContentModel get(String path, GetOptions getOptions) {
        Objects.requireNonNull(getOptions, "options");
        String api = check(path);
        return call(api, () -> {
            ProjectAccess access = access();
            if (api.isEmpty()) {
                return rootModel(access, getOptions);
            }
            FileEntry entry = visible(api, access);
            return model(api, entry, access, getOptions);
        });
    }

    @Override
    public boolean exists(String path) {
        String api = check(path);
        return call(api, () -> {
            ProjectAccess access = access();
            if (api.isEmpty()) {
                return access.seesAnything();
            }
            return find(api).filter(entry -> canSee(entry, access)).isPresent();
        });
    }

    private ContentModel rootModel(ProjectAccess access, GetOptions getOptions) {
        Optional<ContentType> wanted = getOptions.type();
        if (wanted.isPresent() && wanted.get() != ContentType.DIRECTORY) {
            throw new ContentsBadRequestException("", "'' is a directory, not a " + wanted.get());
        }
        if (!access.seesAnything()) {
            throw new ContentsNotFoundException("", "no such file or directory: ''");
        }
        Optional<JsonNode> listing = getOptions.content() ? Optional.of(listing("", access)) : Optional.empty();
        return new ContentModel("", "", ContentType.DIRECTORY, projectRole(access, ResourceRole.EDITOR),
                project.createdAt(), project.createdAt(), Optional.empty(), Optional.empty(),
                listing.map(l -> ContentFormat.JSON), listing, Optional.empty(), Optional.empty());
    }

    private ContentModel model(String api, FileEntry entry, ProjectAccess access, GetOptions getOptions) {
        Optional<ContentType> wanted = getOptions.type();
        boolean writable = access.roleOn(entry.id()).map(r -> r.atLeast(ResourceRole.EDITOR)).orElse(false);
        if (entry.type() == EntryType.DIRECTORY) {
            if (wanted.isPresent() && wanted.get() != ContentType.DIRECTORY) {
                throw new ContentsBadRequestException(api, "'" + api + "' is a directory, not a " + wanted.get());
            }
            Optional<JsonNode> listing = getOptions.content() ? Optional.of(listing(api, access)) : Optional.empty();
            return new ContentModel(ApiPaths.name(api), api, ContentType.DIRECTORY, writable, entry.createdAt(),
                    entry.updatedAt(), Optional.empty(), Optional.empty(), listing.map(l -> ContentFormat.JSON),
                    listing, Optional.empty(), Optional.empty());
        }
        if (wanted.equals(Optional.of(ContentType.DIRECTORY))) {
            throw new ContentsBadRequestException(api, "'" + api + "' is not a directory");
        }
        boolean notebook = wanted.map(type -> type == ContentType.NOTEBOOK).orElse(api.endsWith(".ipynb"));
        Optional<String> hash = getOptions.hash()
                ? Optional.of(headVersion(entry).sha256()) : Optional.empty();
        Optional<String> hashAlgorithm = hash.map(h -> "sha256");
        if (notebook) {
            Optional<JsonNode> content = Optional.empty();
            if (getOptions.content()) {
                content = Optional.of(readNotebook(api, entry).toJson());
            }
            return new ContentModel(ApiPaths.name(api), api, ContentType.NOTEBOOK, writable, entry.createdAt(),
                    entry.updatedAt(), Optional.of(entry.size()), Optional.empty(),
                    content.map(c -> ContentFormat.JSON), content, hash, hashAlgorithm);
        }
        Optional<ContentFormat> requested = getOptions.format();
        if (requested.equals(Optional.of(ContentFormat.JSON))) {
            throw new ContentsBadRequestException(api, "format json is for notebooks and directories; '" + api
                    + "' is read as a file (ask for text or base64)");
        }
        Optional<ContentFormat> format = Optional.empty();
        Optional<JsonNode> content = Optional.empty();
        if (getOptions.content()) {
            byte[] bytes = store.files().readHead(org, entry.id()).bytes();
            FileEncodings.FileContent encoded = FileEncodings.fileContent(api, bytes, requested);
            format = Optional.of(encoded.format());
            content = Optional.of(encoded.content());
        }
        Optional<String> mimetype = FileEncodings.mimetype(api, format);
        return new ContentModel(ApiPaths.name(api), api, ContentType.FILE, writable, entry.createdAt(),
                entry.updatedAt(), Optional.of(entry.size()), mimetype, format, content, hash, hashAlgorithm);
    }

    private Notebook readNotebook(String api, FileEntry entry) {
        VersionContent content = store.files().readHead(org, entry.id());
        return switch (content) {
            case VersionContent.NotebookBody body -> body.notebook();
            case VersionContent.FileBody file -> {
                try {
                    yield Notebook.read(file.content());
                } catch (NotebookFormatException e) {
                    throw new ContentsBadRequestException(api, "unreadable notebook '" + api + "': "
                            + e.getMessage(), e);
                }
            }
        };
    }

    private JsonNode listing(String directory, ProjectAccess access) {
        List<ContentModel> children = new ArrayList<>();
        for (FileEntry child : store.files().list(org, project.id(), directory)) {
            String name = child.name();
            if (listable(name) && canSee(child, access)) {
                children.add(model(child.path(), child, access, GetOptions.metadataOnly()));
            }
        }
        children.sort(Comparator.comparing(ContentModel::name));
        return ContentModel.listing(children);
    }

    private boolean listable(String name) {
        return !name.equals(RESERVED) && (options.allowHidden() || !name.startsWith("."));
    }

    // ---------------------------------------------------------------------------------------------------- writing

    @Override
    public ContentModel save(String path, SaveRequest request) {
        Objects.requireNonNull(request, "request");
        String api = check(path);
        return call(api, () -> {
            ProjectAccess access = access();
            if (api.isEmpty()) {
                if (request instanceof SaveRequest.DirectoryContent) {
                    return rootModel(access, GetOptions.metadataOnly());
                }
                throw new ContentsBadRequestException(api, "cannot write a file at the contents root");
            }
            Optional<FileEntry> existing = find(api).filter(entry -> canSee(entry, access));
            if (existing.isPresent()) {
                requireRole(api, access.roleOn(existing.get().id()), ResourceRole.EDITOR);
            } else {
                requireProjectEditor(api, access);
            }
            FileEntry saved = switch (request) {
                case SaveRequest.NotebookContent notebook -> store.files().saveNotebook(org, project.id(), api,
                        notebook.parse(api), user, SaveOptions.namedIfFirst(CHECKPOINT_NAME)).entry();
                case SaveRequest.TextContent text -> store.files().saveFile(org, project.id(), api, text.bytes(api),
                        user, SaveOptions.none()).entry();
                case SaveRequest.Base64Content base64 -> store.files().saveFile(org, project.id(), api,
                        base64.bytes(api), user, SaveOptions.none()).entry();
                case SaveRequest.DirectoryContent directory ->
                        store.files().createDirectory(org, project.id(), api, user);
            };
            return model(api, saved, access(), GetOptions.metadataOnly());
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Editors save as with {@link #save}. An executor of the file may save only when the notebook equals the
     * stored one apart from the outputs and execution counts of code cells; the new version is attributed to them.
     */
    @Override
    public ContentModel saveOutputs(String path, Notebook notebook) {
        Objects.requireNonNull(notebook, "notebook");
        String api = check(path);
        return call(api, () -> {
            ProjectAccess access = access();
            FileEntry entry = visible(api, access);
            Optional<ResourceRole> role = access.roleOn(entry.id());
            if (role.map(r -> r.atLeast(ResourceRole.EDITOR)).orElse(false)) {
                return save(api, SaveRequest.notebook(notebook));
            }
            requireRole(api, role, ResourceRole.EXECUTOR);
            if (entry.type() == EntryType.DIRECTORY || !withoutOutputs(readNotebook(api, entry))
                    .equals(withoutOutputs(notebook))) {
                throw new ContentsForbiddenException(api, "permission denied: as " + role.get().dbName()
                        + " of '" + api + "' you may change only the outputs and execution counts of code cells");
            }
            FileEntry saved = store.files().saveNotebook(org, project.id(), api, notebook, user, SaveOptions.none())
                    .entry();
            return model(api, saved, access(), GetOptions.metadataOnly());
        });
    }

    /** The notebook with every code cell's outputs and execution count cleared. */
    private static Notebook withoutOutputs(Notebook notebook) {
        List<Cell> cells = new ArrayList<>(notebook.cells().size());
        for (Cell cell : notebook.cells()) {
            cells.add(cell instanceof CodeCell code ? code.withOutputs(List.of()).withExecutionCount(Optional.empty())
                    : cell);
        }
        return notebook.withCells(cells);
    }

    @Override
    public ContentModel newUntitled(String dirPath, Optional<ContentType> type, String ext) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(ext, "ext");
        String directory = check(dirPath);
        ContentType created = ContentNames.untitledType(type, ext);
        return call(directory, () -> {
            ProjectAccess access = access();
            requireVisibleDirectory(directory, access);
            requireProjectEditor(directory, access);
            Set<String> taken = names(directory);
            String name = ContentNames.untitledName(created, ext, taken::contains);
            String api = check(ApiPaths.join(directory, name));
            FileEntry entry = switch (created) {
                case DIRECTORY -> store.files().createDirectory(org, project.id(), api, user);
                case NOTEBOOK -> store.files().saveNotebook(org, project.id(), api, Notebook.empty(), user,
                        SaveOptions.namedIfFirst(CHECKPOINT_NAME)).entry();
                case FILE -> store.files().saveFile(org, project.id(), api, new byte[0], user, SaveOptions.none())
                        .entry();
            };
            return model(api, entry, access(), GetOptions.metadataOnly());
        });
    }

    @Override
    public ContentModel copy(String fromPath, String toDirOrPath) {
        String from = check(fromPath);
        String to = check(toDirOrPath);
        if (from.isEmpty()) {
            throw new ContentsBadRequestException(from, "cannot copy the contents root");
        }
        return call(from, () -> {
            ProjectAccess access = access();
            FileEntry source = visible(from, access);
            Optional<FileEntry> destination = to.isEmpty() ? Optional.empty() : find(to);
            String target;
            if (to.isEmpty() || destination.filter(d -> d.type() == EntryType.DIRECTORY).isPresent()) {
                requireVisibleDirectory(to, access);
                Set<String> taken = names(to);
                target = check(ApiPaths.join(to, ContentNames.copyName(ApiPaths.name(from), taken::contains)));
            } else {
                if (destination.isPresent()) {
                    throw new ContentsConflictException(to, "cannot copy '" + from + "' to '" + to
                            + "': it already exists");
                }
                target = to;
            }
            requireProjectEditor(target, access);
            SaveOptions naming = source.type() != EntryType.DIRECTORY && target.endsWith(".ipynb")
                    ? SaveOptions.namedIfFirst(CHECKPOINT_NAME) : SaveOptions.none();
            FileEntry copy = store.files().copy(org, project.id(), from, target, user, naming);
            return model(target, copy, access(), GetOptions.metadataOnly());
        });
    }

    @Override
    public ContentModel rename(String oldPath, String newPath) {
        String from = check(oldPath);
        String to = check(newPath);
        if (from.isEmpty()) {
            throw new ContentsBadRequestException(from, "cannot rename the contents root");
        }
        if (to.isEmpty()) {
            throw new ContentsConflictException(to, "cannot rename '" + from + "' to the contents root");
        }
        return call(from, () -> {
            ProjectAccess access = access();
            FileEntry source = visible(from, access);
            if (from.equals(to)) {
                return model(to, source, access, GetOptions.metadataOnly());
            }
            requireProjectEditor(from, access);
            FileEntry moved = store.files().move(org, project.id(), from, to, user);
            return model(to, moved, access(), GetOptions.metadataOnly());
        });
    }

    @Override
    public void delete(String path) {
        String api = check(path);
        if (api.isEmpty()) {
            throw new ContentsBadRequestException(api, "cannot delete the contents root");
        }
        call(api, () -> {
            ProjectAccess access = access();
            visible(api, access);
            requireProjectEditor(api, access);
            store.files().delete(org, project.id(), api, options.alwaysDeleteDir());
            return null;
        });
    }

    // ------------------------------------------------------------------------------------------------ checkpoints

    @Override
    public Checkpoint createCheckpoint(String path) {
        String api = check(path);
        return call(api, () -> {
            ProjectAccess access = access();
            if (api.isEmpty()) {
                throw new ContentsBadRequestException(api, "'' is not a file; only files have checkpoints");
            }
            FileEntry entry = visible(api, access);
            if (entry.type() == EntryType.DIRECTORY) {
                throw new ContentsBadRequestException(api, "'" + api + "' is not a file; only files have checkpoints");
            }
            requireRole(api, access.roleOn(entry.id()), ResourceRole.EDITOR);
            Version head = headVersion(entry);
            Version named = head.name().isPresent() ? head
                    : store.versions().name(org, head.id(), Optional.of(CHECKPOINT_NAME));
            return checkpoint(named);
        });
    }

    @Override
    public List<Checkpoint> listCheckpoints(String path) {
        String api = check(path);
        if (api.isEmpty()) {
            return List.of();
        }
        return call(api, () -> {
            ProjectAccess access = access();
            Optional<FileEntry> entry = find(api).filter(e -> canSee(e, access))
                    .filter(e -> e.type() != EntryType.DIRECTORY);
            if (entry.isEmpty()) {
                return List.<Checkpoint>of();
            }
            return store.versions().list(org, entry.get().id()).stream()
                    .filter(v -> v.name().isPresent())
                    .map(DatabaseContentsManager::checkpoint)
                    .toList();
        });
    }

    @Override
    public void restoreCheckpoint(String path, String checkpointId) {
        String api = check(path);
        call(api, () -> {
            ProjectAccess access = access();
            FileEntry entry = checkpointFile(api, access, checkpointId);
            requireRole(api, access.roleOn(entry.id()), ResourceRole.EDITOR);
            store.versions().restore(org, checkpointVersion(api, entry, checkpointId).id(), user);
            return null;
        });
    }

    @Override
    public void deleteCheckpoint(String path, String checkpointId) {
        String api = check(path);
        call(api, () -> {
            ProjectAccess access = access();
            FileEntry entry = checkpointFile(api, access, checkpointId);
            requireRole(api, access.roleOn(entry.id()), ResourceRole.EDITOR);
            store.versions().name(org, checkpointVersion(api, entry, checkpointId).id(), Optional.empty());
            return null;
        });
    }

    private FileEntry checkpointFile(String api, ProjectAccess access, String checkpointId) {
        Objects.requireNonNull(checkpointId, "checkpointId");
        Optional<FileEntry> entry = api.isEmpty() ? Optional.empty()
                : find(api).filter(e -> canSee(e, access)).filter(e -> e.type() != EntryType.DIRECTORY);
        return entry.orElseThrow(() -> noCheckpoint(api, checkpointId));
    }

    /** The named version of this file that a checkpoint id names. */
    private Version checkpointVersion(String api, FileEntry entry, String checkpointId) {
        VersionId id;
        try {
            id = new VersionId(UUID.fromString(checkpointId));
        } catch (IllegalArgumentException e) {
            throw noCheckpoint(api, checkpointId);
        }
        try {
            Version version = store.versions().get(org, id);
            if (!version.fileId().equals(entry.id()) || version.name().isEmpty()) {
                throw noCheckpoint(api, checkpointId);
            }
            return version;
        } catch (StoreNotFoundException e) {
            throw noCheckpoint(api, checkpointId);
        }
    }

    private static ContentsNotFoundException noCheckpoint(String api, String checkpointId) {
        return new ContentsNotFoundException(api, "checkpoint does not exist: '" + api + "'@"
                + checkpointId.replace("\0", "\\0"));
    }

    private static Checkpoint checkpoint(Version version) {
        return new Checkpoint(version.id().toString(), version.createdAt());
    }

    // --------------------------------------------------------------------------------------------------- versions

    /**
     * The version history of a file, oldest first (every save, restore and copy adds one). Needs {@code viewer} on
     * the file.
     *
     * @param path the file's API path
     * @return its versions
     * @throws ContentsNotFoundException   if the user sees no file there
     * @throws ContentsBadRequestException if the path is a directory (directories have no versions)
     */
    public List<Version> versions(String path) {
        String api = check(path);
        return call(api, () -> store.versions().list(org, versionedFile(api, access(), ResourceRole.VIEWER).id()));
    }

    /**
     * One version of a file. Needs {@code viewer} on the file.
     *
     * @param path    the file's API path
     * @param version the version's id
     * @return the version, or empty if the file has no such version (an unknown id, or a version of another file)
     * @throws ContentsNotFoundException   if the user sees no file there
     * @throws ContentsBadRequestException if the path is a directory
     */
    public Optional<Version> version(String path, VersionId version) {
        Objects.requireNonNull(version, "version");
        String api = check(path);
        return call(api, () -> {
            FileEntry entry = versionedFile(api, access(), ResourceRole.VIEWER);
            return versionOf(entry, version);
        });
    }

    /**
     * The content of one version of a file. Needs {@code viewer} on the file.
     *
     * @param path    the file's API path
     * @param version the version's id
     * @return its notebook or bytes
     * @throws ContentsNotFoundException   if the user sees no file there, or the file has no such version
     * @throws ContentsBadRequestException if the path is a directory
     */
    public VersionContent readVersion(String path, VersionId version) {
        Objects.requireNonNull(version, "version");
        String api = check(path);
        return call(api, () -> {
            FileEntry entry = versionedFile(api, access(), ResourceRole.VIEWER);
            return store.versions().read(org, requireVersionOf(api, entry, version).id());
        });
    }

    /**
     * Compares two versions of a file, cell by cell. Needs {@code viewer} on the file.
     *
     * @param path the file's API path
     * @param from the older side
     * @param to   the newer side
     * @return the differences
     * @throws ContentsNotFoundException   if the user sees no file there, or either version is not one of its
     * @throws ContentsBadRequestException if the path is a directory
     */
    public VersionDiff diffVersions(String path, VersionId from, VersionId to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        String api = check(path);
        return call(api, () -> {
            FileEntry entry = versionedFile(api, access(), ResourceRole.VIEWER);
            requireVersionOf(api, entry, from);
            requireVersionOf(api, entry, to);
            return store.versions().diff(org, from, to);
        });
    }

    /**
     * Restores a version of a file: adds a new version with its content, which becomes the current one (history is
     * append-only). Needs {@code editor} on the file.
     *
     * @param path    the file's API path
     * @param version the version to restore
     * @return the new version
     * @throws ContentsNotFoundException   if the user sees no file there, or the file has no such version
     * @throws ContentsForbiddenException  if the user may see but not change the file
     * @throws ContentsBadRequestException if the path is a directory
     */
    public Version restoreVersion(String path, VersionId version) {
        Objects.requireNonNull(version, "version");
        String api = check(path);
        return call(api, () -> {
            FileEntry entry = versionedFile(api, access(), ResourceRole.EDITOR);
            return store.versions().restore(org, requireVersionOf(api, entry, version).id(), user);
        });
    }

    /**
     * Names a version of a file (as a checkpoint), or removes its name. Needs {@code editor} on the file.
     *
     * @param path    the file's API path
     * @param version the version
     * @param name    the name (1 to 200 characters, no control characters), or empty to remove it
     * @return the version as named
     * @throws ContentsNotFoundException   if the user sees no file there, or the file has no such version
     * @throws ContentsForbiddenException  if the user may see but not change the file
     * @throws ContentsBadRequestException if the path is a directory or the name is malformed
     */
    public Version nameVersion(String path, VersionId version, Optional<String> name) {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(name, "name");
        String api = check(path);
        return call(api, () -> {
            FileEntry entry = versionedFile(api, access(), ResourceRole.EDITOR);
            return store.versions().name(org, requireVersionOf(api, entry, version).id(), name);
        });
    }

    /**
     * The version a file had at a time, with its content: the latest created at or before it. Needs {@code viewer}
     * on the file as it is now.
     *
     * @param path the file's API path
     * @param time the time
     * @return the version and its content, or empty if the file had no version yet
     * @throws ContentsNotFoundException   if the user sees no file there now
     * @throws ContentsBadRequestException if the path is a directory
     */
    public Optional<Snapshot> readAsOf(String path, Instant time) {
        Objects.requireNonNull(time, "time");
        String api = check(path);
        return call(api, () -> {
            FileEntry entry = versionedFile(api, access(), ResourceRole.VIEWER);
            Optional<Version> version = store.versions().asOf(org, entry.id(), time);
            return version.map(v -> new Snapshot(v, store.versions().read(org, v.id())));
        });
    }

    /** The visible file at a path on which the user has at least a role; directories have no versions. */
    private FileEntry versionedFile(String api, ProjectAccess access, ResourceRole needed) {
        if (api.isEmpty()) {
            throw new ContentsBadRequestException(api, "'' is a directory; only files have versions");
        }
        FileEntry entry = visible(api, access);
        if (entry.type() == EntryType.DIRECTORY) {
            throw new ContentsBadRequestException(api, "'" + api + "' is a directory; only files have versions");
        }
        requireRole(api, access.roleOn(entry.id()), needed);
        return entry;
    }

    private Optional<Version> versionOf(FileEntry entry, VersionId id) {
        try {
            return Optional.of(store.versions().get(org, id)).filter(v -> v.fileId().equals(entry.id()));
        } catch (StoreNotFoundException e) {
            return Optional.empty();
        }
    }

    private Version requireVersionOf(String api, FileEntry entry, VersionId id) {
        return versionOf(entry, id).orElseThrow(() -> new ContentsNotFoundException(api,
                "no version " + id + " of '" + api + "'"));
    }

    // --------------------------------------------------------------------------------------------- access checks

    private ProjectAccess access() {
        return store.permissions().projectAccess(org, user, project.id());
    }

    private static boolean canSee(FileEntry entry, ProjectAccess access) {
        return access.roleOn(entry.id()).isPresent();
    }

    private Optional<FileEntry> find(String api) {
        return store.files().find(org, project.id(), api);
    }

    /** The entry at a path, if the user may see it; otherwise it does not exist. */
    private FileEntry visible(String api, ProjectAccess access) {
        return find(api).filter(entry -> canSee(entry, access))
                .orElseThrow(() -> new ContentsNotFoundException(api, "no such file or directory: '" + api + "'"));
    }

    private void requireVisibleDirectory(String api, ProjectAccess access) {
        if (api.isEmpty()) {
            if (!access.seesAnything()) {
                throw new ContentsNotFoundException(api, "no such directory: ''");
            }
            return;
        }
        FileEntry entry = find(api).filter(e -> canSee(e, access)).filter(e -> e.type() == EntryType.DIRECTORY)
                .orElseThrow(() -> new ContentsNotFoundException(api, "no such directory: '" + api + "'"));
        Objects.requireNonNull(entry);
    }

    private Set<String> names(String directory) {
        Set<String> names = new HashSet<>();
        for (FileEntry child : store.files().list(org, project.id(), directory)) {
            names.add(child.name());
        }
        return names;
    }

    private static boolean projectRole(ProjectAccess access, ResourceRole needed) {
        return access.projectRole().map(r -> r.atLeast(needed)).orElse(false);
    }

    private void requireProjectEditor(String api, ProjectAccess access) {
        requireRole(api, access.projectRole(), ResourceRole.EDITOR);
    }

    private static void requireRole(String api, Optional<ResourceRole> role, ResourceRole needed) {
        if (role.isEmpty()) {
            throw new ContentsForbiddenException(api, "permission denied: '" + api + "' needs the role "
                    + needed.dbName() + " in this project");
        }
        if (!role.get().atLeast(needed)) {
            throw new ContentsForbiddenException(api, "permission denied: '" + api + "' needs the role "
                    + needed.dbName() + "; you are " + role.get().dbName());
        }
    }

    private Version headVersion(FileEntry entry) {
        VersionId head = entry.headVersion().orElseThrow(() -> new ContentsBadRequestException(entry.path(),
                "'" + entry.path() + "' is a directory"));
        return store.versions().get(org, head);
    }

    // ---------------------------------------------------------------------------------------------------- paths

    /** Normalises an API path and refuses hidden and reserved names. */
    private String check(String path) {
        String api = ApiPaths.normalize(path);
        for (String segment : ApiPaths.segments(api)) {
            if (segment.equals(RESERVED)) {
                throw new ContentsForbiddenException(api, "path '" + api + "' names the reserved entry '" + segment
                        + "'");
            }
        }
        if (!options.allowHidden() && ApiPaths.isHidden(api)) {
            throw new ContentsForbiddenException(api, "path '" + api + "' is or lies in a hidden entry");
        }
        return api;
    }

    /** Runs an operation, translating store failures into contents failures about the API path. */
    private static <T> T call(String api, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (ContentsException e) {
            throw e;
        } catch (StoreException e) {
            throw translate(api, e);
        }
    }

    private static ContentsException translate(String api, StoreException e) {
        return switch (e) {
            case StoreNotFoundException x -> new ContentsNotFoundException(api, x.getMessage(), x);
            case StoreConflictException x -> new ContentsConflictException(api, x.getMessage(), x);
            case StoreBadRequestException x -> new ContentsBadRequestException(api, x.getMessage(), x);
            case StoreForbiddenException x -> new ContentsForbiddenException(api, x.getMessage(), x);
            default -> new ContentsStorageException(api, "storage failure at '" + api + "': " + e.getMessage(), e);
        };
    }
}
