package io.quire.contents.fs;

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
import io.quire.notebook.Notebook;
import io.quire.notebook.NotebookHead;
import io.quire.notebook.NotebookFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A {@link ContentsManager} over a directory tree, behaving as Jupyter Server's {@code FileContentsManager} with
 * {@code delete_to_trash} off.
 *
 * <p><b>Paths.</b> Every API path is normalised by {@link ApiPaths}, then refused if it names a hidden entry (unless
 * {@link Options#allowHidden()}), the reserved checkpoint directory {@code .ipynb_checkpoints}, or a temporary file.
 * It is resolved lexically under the root's real path, and the deepest part of it that exists is resolved with
 * {@link Path#toRealPath} and must still lie under the root: a symbolic link is followed only when it stays inside
 * (a dangling link is refused, since writing through it could create a file outside). The check and the following
 * operation are not one atomic step; someone who can replace directories under the root by a link between the two
 * can race it, which is the same exposure as Jupyter's.
 *
 * <p><b>Writes.</b> Files and notebooks are replaced through {@link AtomicFiles}: a temporary file in the same
 * directory, forced to disk, renamed over the target. A reader, in this process or another, sees the old or the new
 * bytes, never a torn file; a crash leaves at most a hidden temporary file.
 *
 * <p><b>Concurrency.</b> Reads take no lock: the atomic rename is what makes them safe. Every operation that
 * changes the tree holds one lock, so check-then-act sequences (choosing an untitled or copy name, the conflict check
 * of a rename, creating a notebook's first checkpoint) are not interleaved with other writes through this manager.
 * A save writes and forces its temporary file before it takes the lock and forces the directory after releasing it,
 * so the lock is held for the rename only and concurrent saves overlap their disk waits; the last rename wins.
 * Writes by other processes are not serialised with ours.
 *
 * <p><b>Checkpoints.</b> As Jupyter's {@code FileCheckpoints}: one checkpoint per file, id {@code checkpoint}, stored as
 * {@code .ipynb_checkpoints/<base>-checkpoint<ext>} next to the file, with the file's modification time. Renames and
 * deletions carry their checkpoint along; saving a notebook that has none creates one.
 */
public final class FileContentsManager implements ContentsManager {

    /**
     * How the filesystem backend behaves.
     *
     * @param allowHidden           whether entries whose name starts with {@code .} may be read, written and listed
     *                              (Jupyter's {@code allow_hidden}, default false)
     * @param alwaysDeleteDir       whether {@code delete} removes non-empty directories with all they contain
     *                              (Jupyter's {@code always_delete_dir}, default false)
     * @param hideGlobs             glob patterns of names left out of listings (Jupyter's {@code hide_globs}:
     *                              {@code __pycache__}, {@code *.pyc}, {@code *.pyo}, {@code .DS_Store}, {@code *~})
     * @param maxCopyDirectoryBytes the largest directory, in bytes of file content, that {@code copy} copies
     *                              (Jupyter's {@code max_copy_folder_size_mb}, default 500 MiB)
     */
    public record Options(boolean allowHidden, boolean alwaysDeleteDir, List<String> hideGlobs,
            long maxCopyDirectoryBytes) {

        /** Copies the globs and checks the limit. */
        public Options {
            hideGlobs = List.copyOf(hideGlobs);
            if (maxCopyDirectoryBytes < 0) {
                throw new IllegalArgumentException("maxCopyDirectoryBytes must not be negative, got "
                        + maxCopyDirectoryBytes);
            }
        }

        /**
         * Jupyter's defaults: hidden entries refused, non-empty directories kept, the default hide globs, 500 MiB.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(false, false, List.of("__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~"),
                    500L * 1024 * 1024);
        }

        /**
         * These options with hidden entries allowed or not.
         *
         * @param allow whether hidden entries are served
         * @return new options
         */
        public Options withAllowHidden(boolean allow) {
            return new Options(allow, alwaysDeleteDir, hideGlobs, maxCopyDirectoryBytes);
        }

        /**
         * These options with recursive deletion of non-empty directories on or off.
         *
         * @param always whether non-empty directories are deleted
         * @return new options
         */
        public Options withAlwaysDeleteDir(boolean always) {
            return new Options(allowHidden, always, hideGlobs, maxCopyDirectoryBytes);
        }

        /**
         * These options with other hide globs.
         *
         * @param globs glob patterns of names left out of listings
         * @return new options
         */
        public Options withHideGlobs(List<String> globs) {
            return new Options(allowHidden, alwaysDeleteDir, globs, maxCopyDirectoryBytes);
        }

        /**
         * These options with another directory copy limit.
         *
         * @param bytes the largest directory {@code copy} copies
         * @return new options
         */
        public Options withMaxCopyDirectoryBytes(long bytes) {
            return new Options(allowHidden, alwaysDeleteDir, hideGlobs, bytes);
        }
    }

    static final String CHECKPOINT_DIR = ".ipynb_checkpoints";
    static final String CHECKPOINT_ID = "checkpoint";

    private final Path root;
    private final Options options;
    private final List<PathMatcher> hideMatchers;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final NotebookCache notebooks = new NotebookCache(64L * 1024 * 1024);

    private FileContentsManager(Path root, Options options) {
        this.root = root;
        this.options = options;
        this.hideMatchers = options.hideGlobs().stream()
                .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob))
                .toList();
    }

    /**
     * Serves the tree under a directory.
     *
     * @param root    an existing directory; symbolic links in it are resolved once, here
     * @param options the behaviour
     * @return the manager
     * @throws IllegalArgumentException if {@code root} is not an existing directory
     */
    public static FileContentsManager create(Path root, Options options) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(options, "options");
        try {
            Path real = root.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new IllegalArgumentException("contents root " + root + " is not a directory");
            }
            return new FileContentsManager(real, options);
        } catch (IOException e) {
            throw new IllegalArgumentException("contents root " + root + " cannot be opened: " + e, e);
        }
    }

    /**
     * Serves the tree under a directory with {@link Options#defaults()}.
     *
     * @param root an existing directory
     * @return the manager
     * @throws IllegalArgumentException if {@code root} is not an existing directory
     */
    public static FileContentsManager create(Path root) {
        return create(root, Options.defaults());
    }

    /**
     * The real path of the directory served.
     *
     * @return the root
     */
    public Path root() {
        return root;
    }

    // ---------------------------------------------------------------------------------------------------- reading

    @Override
    public ContentModel get(String path, GetOptions getOptions) {
        Objects.requireNonNull(getOptions, "options");
        String api = check(path);
        return model(api, resolve(api), getOptions);
    }

    @Override
    public Optional<byte[]> storedNotebookJson(String path) {
        String api = check(path);
        Path file = resolve(api);
        return io(api, () -> {
            BasicFileAttributes before;
            try {
                before = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (java.nio.file.NoSuchFileException e) {
                return Optional.<byte[]>empty(); // get() says what is wrong
            }
            if (!before.isRegularFile() || !notebooks.verified(file, before)) {
                return Optional.<byte[]>empty();
            }
            Optional<byte[]> kept = notebooks.stored(file, before);
            if (kept.isPresent()) {
                return kept; // unchanged since it was read: nothing to read from disk
            }
            byte[] bytes = Files.readAllBytes(file);
            BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            // the file must not have changed while it was read
            if (!notebooks.verified(file, after) || after.size() != bytes.length) {
                return Optional.<byte[]>empty();
            }
            notebooks.keepStored(file, after, bytes);
            return Optional.of(bytes);
        });
    }

    @Override
    public Optional<Notebook> notebook(String path) {
        String api = check(path);
        Path file = resolve(api);
        BasicFileAttributes attributes = io(api, () -> Files.readAttributes(file, BasicFileAttributes.class));
        if (!attributes.isRegularFile() || !api.endsWith(".ipynb")) {
            return Optional.empty(); // what get() serves as a directory or a plain file
        }
        Optional<JsonNode> cached = notebooks.get(file, attributes);
        if (cached.isPresent()) {
            return Optional.of(Notebook.fromJson(cached.get()));
        }
        byte[] bytes = read(api, file);
        Notebook notebook;
        try {
            notebook = Notebook.read(bytes);
        } catch (NotebookFormatException e) {
            throw new ContentsBadRequestException(api, "unreadable notebook '" + api + "': " + e.getMessage(), e);
        }
        // remembered as get() would: a small notebook with its tree, a large one as verified only (its bytes can be
        // served as they are), so a content read after this one does not parse the file again
        notebooks.put(file, attributes, notebooks.keepsTree(bytes.length) ? notebook.toJson() : null,
                NotebookCache.storedAsRead(notebook), bytes.length);
        return Optional.of(notebook);
    }

    @Override
    public Optional<NotebookHead> notebookHead(String path, int cells) {
        String api = check(path);
        Path file = resolve(api);
        BasicFileAttributes attributes = io(api, () -> Files.readAttributes(file, BasicFileAttributes.class));
        if (!attributes.isRegularFile() || !api.endsWith(".ipynb")) {
            return Optional.empty();
        }
        Optional<JsonNode> cached = notebooks.get(file, attributes);
        if (cached.isPresent()) {
            return Optional.of(NotebookHead.of(Notebook.fromJson(cached.get()), cells));
        }
        // the head alone, streamed: the rest of the file is skipped, not parsed or held, and nothing is cached (a
        // head is not a read)
        try {
            Optional<NotebookHead> head = io(api, () -> {
                try (var in = Files.newInputStream(file)) {
                    return NotebookHead.read(in, cells);
                }
            });
            if (head.isPresent()) {
                return head;
            }
            // nbformat 3: read whole, upgraded
            return Optional.of(NotebookHead.of(Notebook.read(read(api, file)), cells));
        } catch (NotebookFormatException e) {
            throw new ContentsBadRequestException(api, "unreadable notebook '" + api + "': " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String path) {
        String api = check(path);
        return Files.exists(resolve(api));
    }

    @Override
    public List<Checkpoint> listCheckpoints(String path) {
        String api = check(path);
        if (api.isEmpty()) {
            return List.of();
        }
        Path checkpoint = checkpointFile(api, resolve(api));
        return io(api, () -> Files.isRegularFile(checkpoint)
                ? List.of(new Checkpoint(CHECKPOINT_ID, Files.getLastModifiedTime(checkpoint).toInstant()))
                : List.of());
    }

    private ContentModel model(String api, Path file, GetOptions getOptions) {
        BasicFileAttributes attributes = io(api, () -> Files.readAttributes(file, BasicFileAttributes.class));
        Optional<ContentType> wanted = getOptions.type();
        if (attributes.isDirectory()) {
            if (wanted.isPresent() && wanted.get() != ContentType.DIRECTORY) {
                throw new ContentsBadRequestException(api, "'" + api + "' is a directory, not a " + wanted.get());
            }
            return directoryModel(api, file, attributes, getOptions.content());
        }
        if (!attributes.isRegularFile()) {
            throw new ContentsBadRequestException(api, "'" + api + "' is neither a regular file nor a directory");
        }
        if (wanted.equals(Optional.of(ContentType.DIRECTORY))) {
            throw new ContentsBadRequestException(api, "'" + api + "' is not a directory");
        }
        boolean notebook = wanted.map(type -> type == ContentType.NOTEBOOK).orElse(api.endsWith(".ipynb"));
        return notebook ? notebookModel(api, file, attributes, getOptions) : fileModel(api, file, attributes, getOptions);
    }

    private ContentModel notebookModel(String api, Path file, BasicFileAttributes attributes, GetOptions getOptions) {
        Optional<JsonNode> cached = getOptions.content() && !getOptions.hash()
                ? notebooks.get(file, attributes) : Optional.empty();
        byte[] bytes = cached.isEmpty() && (getOptions.content() || getOptions.hash()) ? read(api, file) : null;
        Optional<JsonNode> content = cached;
        if (getOptions.content() && content.isEmpty()) {
            try {
                JsonNode parsed = Notebook.read(bytes).toJson();
                notebooks.put(file, attributes, parsed, NotebookCache.storedAsRead(parsed), bytes.length);
                content = Optional.of(parsed);
            } catch (NotebookFormatException e) {
                throw new ContentsBadRequestException(api, "unreadable notebook '" + api + "': " + e.getMessage(), e);
            }
        }
        return new ContentModel(ApiPaths.name(api), api, ContentType.NOTEBOOK, Files.isWritable(file),
                attributes.creationTime().toInstant(), attributes.lastModifiedTime().toInstant(),
                Optional.of(attributes.size()), Optional.empty(),
                content.map(c -> ContentFormat.JSON), content,
                hash(bytes, getOptions), hashAlgorithm(getOptions));
    }

    private ContentModel fileModel(String api, Path file, BasicFileAttributes attributes, GetOptions getOptions) {
        Optional<ContentFormat> requested = getOptions.format();
        if (requested.equals(Optional.of(ContentFormat.JSON))) {
            throw new ContentsBadRequestException(api, "format json is for notebooks and directories; '" + api
                    + "' is read as a file (ask for text or base64)");
        }
        byte[] bytes = getOptions.content() || getOptions.hash() ? read(api, file) : null;
        Optional<ContentFormat> format = Optional.empty();
        Optional<JsonNode> content = Optional.empty();
        if (getOptions.content()) {
            FileEncodings.FileContent encoded = FileEncodings.fileContent(api, bytes, requested);
            format = Optional.of(encoded.format());
            content = Optional.of(encoded.content());
        }
        Optional<String> mimetype = FileEncodings.mimetype(api, format);
        return new ContentModel(ApiPaths.name(api), api, ContentType.FILE, Files.isWritable(file),
                attributes.creationTime().toInstant(), attributes.lastModifiedTime().toInstant(),
                Optional.of(attributes.size()), mimetype, format, content,
                hash(bytes, getOptions), hashAlgorithm(getOptions));
    }

    private ContentModel directoryModel(String api, Path directory, BasicFileAttributes attributes, boolean content) {
        Optional<JsonNode> listing = Optional.empty();
        if (content) {
            List<ContentModel> children = new ArrayList<>();
            io(api, () -> {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                    for (Path entry : entries) {
                        String name = entry.getFileName().toString();
                        if (listable(name)) {
                            String childApi = ApiPaths.join(api, name);
                            try {
                                children.add(model(childApi, resolve(childApi), GetOptions.metadataOnly()));
                            } catch (ContentsException e) {
                                // as Jupyter: entries that cannot be served (broken or escaping links,
                                // special files, vanished meanwhile) are left out of the listing
                            }
                        }
                    }
                } catch (DirectoryIteratorException e) {
                    throw e.getCause();
                }
                return null;
            });
            children.sort(Comparator.comparing(ContentModel::name));
            listing = Optional.of(ContentModel.listing(children));
        }
        return new ContentModel(ApiPaths.name(api), api, ContentType.DIRECTORY, Files.isWritable(directory),
                attributes.creationTime().toInstant(), attributes.lastModifiedTime().toInstant(),
                Optional.empty(), Optional.empty(), listing.map(l -> ContentFormat.JSON), listing,
                Optional.empty(), Optional.empty());
    }

    private boolean listable(String name) {
        if (name.equals(CHECKPOINT_DIR) || name.startsWith(AtomicFiles.TEMP_PREFIX)) {
            return false;
        }
        if (!options.allowHidden() && name.startsWith(".")) {
            return false;
        }
        Path asPath = Path.of(name);
        return hideMatchers.stream().noneMatch(matcher -> matcher.matches(asPath));
    }

    private byte[] read(String api, Path file) {
        return io(api, () -> Files.readAllBytes(file));
    }

    private static Optional<String> hash(byte[] bytes, GetOptions getOptions) {
        return getOptions.hash() ? Optional.of(FileEncodings.sha256Hex(bytes)) : Optional.empty();
    }

    private static Optional<String> hashAlgorithm(GetOptions getOptions) {
        return getOptions.hash() ? Optional.of("sha256") : Optional.empty();
    }

    // ---------------------------------------------------------------------------------------------------- writing

    @Override
    public ContentModel save(String path, SaveRequest request) {
        Objects.requireNonNull(request, "request");
        String api = check(path);
        AtomicFiles.Content content = switch (request) {
            // the notebook is checked here (a bad one is a 400 before any file exists) and serialised into the file
            case SaveRequest.NotebookContent notebook -> notebook.parse(api)::write;
            case SaveRequest.TextContent text -> bytesOf(text.bytes(api));
            case SaveRequest.Base64Content base64 -> bytesOf(base64.bytes(api));
            case SaveRequest.DirectoryContent directory -> null;
        };
        if (request instanceof SaveRequest.DirectoryContent) {
            return locked(() -> {
                Path target = resolve(api);
                createDirectory(api, target);
                return model(api, target, GetOptions.metadataOnly());
            });
        }
        // the slow part, writing and forcing the temporary file, runs outside the lock so concurrent saves overlap
        Path target = resolve(api);
        checkWritableFile(api, target);
        try (AtomicFiles.Staged staged = io(api, () -> AtomicFiles.stage(target, content))) {
            ContentModel saved = locked(() -> {
                checkWritableFile(api, target);
                io(api, () -> {
                    staged.commit(Optional.empty());
                    return null;
                });
                if (request instanceof SaveRequest.NotebookContent) {
                    ensureCheckpoint(api, target);
                }
                return model(api, target, GetOptions.metadataOnly());
            });
            staged.syncDirectory();
            return saved;
        } catch (IOException e) {
            throw failure(api, e);
        }
    }

    @Override
    public ContentModel newUntitled(String dirPath, Optional<ContentType> type, String ext) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(ext, "ext");
        String directoryApi = check(dirPath);
        ContentType created = ContentNames.untitledType(type, ext);
        return locked(() -> {
            Path directory = resolve(directoryApi);
            if (!Files.isDirectory(directory)) {
                throw new ContentsNotFoundException(directoryApi, "no such directory: '" + directoryApi + "'");
            }
            String name = ContentNames.untitledName(created, ext,
                    candidate -> Files.exists(directory.resolve(candidate), LinkOption.NOFOLLOW_LINKS));
            String api = check(ApiPaths.join(directoryApi, name));
            Path target = resolve(api);
            switch (created) {
                case DIRECTORY -> createDirectory(api, target);
                case NOTEBOOK -> {
                    writeFile(api, target, Notebook.empty().toBytes());
                    ensureCheckpoint(api, target);
                }
                case FILE -> writeFile(api, target, new byte[0]);
            }
            return model(api, target, GetOptions.metadataOnly());
        });
    }

    @Override
    public ContentModel copy(String fromPath, String toDirOrPath) {
        String from = check(fromPath);
        String to = check(toDirOrPath);
        if (from.isEmpty()) {
            throw new ContentsBadRequestException(from, "cannot copy the contents root");
        }
        return locked(() -> {
            Path source = resolve(from);
            BasicFileAttributes attributes = io(from, () -> Files.readAttributes(source, BasicFileAttributes.class));
            Path destination = resolve(to);
            String target;
            if (Files.isDirectory(destination)) {
                String name = ContentNames.copyName(ApiPaths.name(from),
                        candidate -> Files.exists(destination.resolve(candidate), LinkOption.NOFOLLOW_LINKS));
                target = check(ApiPaths.join(to, name));
            } else {
                if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
                    throw new ContentsConflictException(to, "cannot copy '" + from + "' to '" + to
                            + "': it already exists");
                }
                target = to;
            }
            Path copy = resolve(target);
            requireParentDirectory(target, copy);
            if (attributes.isDirectory()) {
                if (ApiPaths.isSameOrInside(target, from)) {
                    throw new ContentsBadRequestException(from, "cannot copy directory '" + from
                            + "' into itself ('" + target + "')");
                }
                copyDirectory(from, source, target, copy);
            } else if (attributes.isRegularFile()) {
                writeFile(target, copy, read(from, source));
                if (target.endsWith(".ipynb")) {
                    ensureCheckpoint(target, copy);
                }
            } else {
                throw new ContentsBadRequestException(from, "'" + from + "' is neither a regular file nor a directory");
            }
            return model(target, copy, GetOptions.metadataOnly());
        });
    }

    @Override
    public ContentModel rename(String oldPath, String newPath) {
        String from = check(oldPath);
        String to = check(newPath);
        if (from.isEmpty()) {
            throw new ContentsBadRequestException(from, "cannot rename the contents root");
        }
        return locked(() -> {
            Path source = resolve(from);
            Path target = resolve(to);
            if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                throw new ContentsNotFoundException(from, "no such file or directory: '" + from + "'");
            }
            if (from.equals(to)) {
                return model(to, target, GetOptions.metadataOnly());
            }
            if (ApiPaths.isSameOrInside(to, from)) {
                throw new ContentsBadRequestException(from, "cannot move '" + from + "' into itself ('" + to + "')");
            }
            boolean targetExists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
            if (targetExists && !io(to, () -> Files.isSameFile(source, target))) {
                throw new ContentsConflictException(to, "cannot rename '" + from + "' to '" + to
                        + "': it already exists");
            }
            requireParentDirectory(to, target);
            boolean file = !Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS);
            Path oldCheckpoint = checkpointFile(from, source);
            io(from, () -> Files.move(source, target));
            if (file && Files.isRegularFile(oldCheckpoint, LinkOption.NOFOLLOW_LINKS)) {
                Path newCheckpoint = checkpointFile(to, target);
                io(to, () -> {
                    Files.createDirectories(newCheckpoint.getParent());
                    return Files.move(oldCheckpoint, newCheckpoint, StandardCopyOption.REPLACE_EXISTING);
                });
            }
            return model(to, target, GetOptions.metadataOnly());
        });
    }

    @Override
    public void delete(String path) {
        String api = check(path);
        if (api.isEmpty()) {
            throw new ContentsBadRequestException(api, "cannot delete the contents root");
        }
        locked(() -> {
            Path target = resolve(api);
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new ContentsNotFoundException(api, "no such file or directory: '" + api + "'");
            }
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                if (!options.alwaysDeleteDir() && !isEmptyButForCheckpoints(api, target)) {
                    throw new ContentsBadRequestException(api, "directory '" + api + "' is not empty");
                }
                deleteTree(api, target);
            } else {
                Path checkpoint = checkpointFile(api, target);
                io(api, () -> {
                    Files.delete(target);
                    return Files.deleteIfExists(checkpoint);
                });
            }
            return null;
        });
    }

    private void createDirectory(String api, Path target) {
        if (Files.isDirectory(target)) {
            return;
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new ContentsBadRequestException(api, "'" + api + "' exists and is not a directory");
        }
        requireParentDirectory(api, target);
        io(api, () -> Files.createDirectory(target));
    }

    private void writeFile(String api, Path target, byte[] bytes) {
        checkWritableFile(api, target);
        io(api, () -> {
            AtomicFiles.write(target, bytes, Optional.empty());
            return null;
        });
    }

    private static AtomicFiles.Content bytesOf(byte[] bytes) {
        return out -> out.write(bytes);
    }

    private void checkWritableFile(String api, Path target) {
        if (api.isEmpty()) {
            throw new ContentsBadRequestException(api, "cannot write a file at the contents root");
        }
        requireParentDirectory(api, target);
        if (Files.isDirectory(target)) {
            throw new ContentsBadRequestException(api, "'" + api + "' is a directory; a file cannot replace it");
        }
        if (Files.exists(target) && !Files.isWritable(target)) {
            throw new ContentsForbiddenException(api, "permission denied: '" + api + "' is not writable");
        }
    }

    private void requireParentDirectory(String api, Path target) {
        if (!Files.isDirectory(target.getParent())) {
            String parent = ApiPaths.parent(api);
            throw new ContentsNotFoundException(api, "no such directory: '" + parent + "' (to hold '" + api + "')");
        }
    }

    private boolean isEmptyButForCheckpoints(String api, Path directory) {
        return io(api, () -> {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
                    entry -> !entry.getFileName().toString().equals(CHECKPOINT_DIR))) {
                return !entries.iterator().hasNext();
            }
        });
    }

    private void copyDirectory(String from, Path source, String target, Path copy) {
        AtomicLong total = new AtomicLong();
        walk(from, source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile() && total.addAndGet(attributes.size())
                        > options.maxCopyDirectoryBytes()) {
                    throw new ContentsBadRequestException(from, "cannot copy directory '" + from
                            + "': it holds more than " + options.maxCopyDirectoryBytes() + " bytes");
                }
                return FileVisitResult.CONTINUE;
            }
        });
        try {
            walk(from, source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes)
                        throws IOException {
                    Files.copy(directory, copy.resolve(source.relativize(directory).toString()),
                            StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    // links are copied as links (never followed out of the root); special files are skipped
                    if (attributes.isRegularFile() || attributes.isSymbolicLink()) {
                        Files.copy(file, copy.resolve(source.relativize(file).toString()),
                                StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (ContentsException e) {
            if (Files.exists(copy, LinkOption.NOFOLLOW_LINKS)) {
                deleteTree(target, copy);
            }
            throw e;
        }
    }

    private void deleteTree(String api, Path directory) {
        walk(api, directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void walk(String api, Path start, SimpleFileVisitor<Path> visitor) {
        io(api, () -> Files.walkFileTree(start, visitor));
    }

    // ------------------------------------------------------------------------------------------------ checkpoints

    @Override
    public Checkpoint createCheckpoint(String path) {
        String api = check(path);
        return locked(() -> {
            Path file = resolve(api);
            BasicFileAttributes attributes = io(api, () -> Files.readAttributes(file, BasicFileAttributes.class));
            if (!attributes.isRegularFile()) {
                throw new ContentsBadRequestException(api, "'" + api + "' is not a file; only files have checkpoints");
            }
            return writeCheckpoint(api, file);
        });
    }

    @Override
    public void restoreCheckpoint(String path, String checkpointId) {
        String api = check(path);
        locked(() -> {
            Path file = resolve(api);
            Path checkpoint = existingCheckpoint(api, file, checkpointId);
            requireParentDirectory(api, file);
            if (Files.isDirectory(file)) {
                throw new ContentsBadRequestException(api, "'" + api + "' is a directory; a file cannot replace it");
            }
            io(api, () -> {
                AtomicFiles.write(file, Files.readAllBytes(checkpoint),
                        Optional.of(Files.getLastModifiedTime(checkpoint)));
                return null;
            });
            return null;
        });
    }

    @Override
    public void deleteCheckpoint(String path, String checkpointId) {
        String api = check(path);
        locked(() -> {
            Path checkpoint = existingCheckpoint(api, resolve(api), checkpointId);
            io(api, () -> {
                Files.delete(checkpoint);
                return null;
            });
            return null;
        });
    }

    private Checkpoint writeCheckpoint(String api, Path file) {
        Path checkpoint = checkpointFile(api, file);
        return io(api, () -> {
            FileTime modified = Files.getLastModifiedTime(file);
            Files.createDirectories(checkpoint.getParent());
            AtomicFiles.write(checkpoint, Files.readAllBytes(file), Optional.of(modified));
            return new Checkpoint(CHECKPOINT_ID, modified.toInstant());
        });
    }

    private void ensureCheckpoint(String api, Path file) {
        if (!Files.exists(checkpointFile(api, file), LinkOption.NOFOLLOW_LINKS)) {
            writeCheckpoint(api, file);
        }
    }

    private Path existingCheckpoint(String api, Path file, String checkpointId) {
        Objects.requireNonNull(checkpointId, "checkpointId");
        Path checkpoint = api.isEmpty() ? null : checkpointFile(api, file);
        if (!CHECKPOINT_ID.equals(checkpointId) || checkpoint == null || !Files.isRegularFile(checkpoint)) {
            throw new ContentsNotFoundException(api, "checkpoint does not exist: '" + api + "'@"
                    + checkpointId.replace("\0", "\\0"));
        }
        return checkpoint;
    }

    /**
     * Where a file's checkpoint lives: {@code .ipynb_checkpoints/<base>-checkpoint<ext>} in the file's directory,
     * the extension split as Python's {@code os.path.splitext} does (leading dots are not an extension).
     */
    private Path checkpointFile(String api, Path file) {
        String name = ApiPaths.name(api);
        int dot = name.lastIndexOf('.');
        boolean hasExtension = dot > 0 && !name.substring(0, dot).chars().allMatch(c -> c == '.');
        String checkpointName = hasExtension
                ? name.substring(0, dot) + "-" + CHECKPOINT_ID + name.substring(dot)
                : name + "-" + CHECKPOINT_ID;
        Path directory = file.getParent().resolve(CHECKPOINT_DIR);
        if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            requireInsideRoot(api, directory);
        }
        return directory.resolve(checkpointName);
    }

    // ---------------------------------------------------------------------------------------------------- paths

    /** Normalises an API path and refuses hidden and reserved names. */
    private String check(String path) {
        String api = ApiPaths.normalize(path);
        for (String segment : ApiPaths.segments(api)) {
            if (segment.equals(CHECKPOINT_DIR) || segment.startsWith(AtomicFiles.TEMP_PREFIX)) {
                throw new ContentsForbiddenException(api, "path '" + api + "' names the reserved entry '" + segment
                        + "'");
            }
        }
        if (!options.allowHidden() && ApiPaths.isHidden(api)) {
            throw new ContentsForbiddenException(api, "path '" + api + "' is or lies in a hidden entry");
        }
        return api;
    }

    /** The filesystem path of a checked API path, refused if it leads outside the root through a link. */
    private Path resolve(String api) {
        Path file = root;
        try {
            for (String segment : ApiPaths.segments(api)) {
                file = file.resolve(segment);
            }
        } catch (InvalidPathException e) {
            throw new ContentsBadRequestException(api, "path '" + api + "' is not valid on this filesystem: "
                    + e.getReason(), e);
        }
        if (!file.normalize().startsWith(root)) {
            throw new ContentsForbiddenException(api, "path '" + api + "' is outside the contents root");
        }
        Path existing = file;
        while (!existing.equals(root) && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        requireInsideRoot(api, existing);
        return file;
    }

    private void requireInsideRoot(String api, Path existing) {
        Path real;
        try {
            real = existing.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ContentsForbiddenException(api, "path '" + api + "' goes through a dangling symbolic link", e);
        } catch (IOException e) {
            throw failure(api, e);
        }
        if (!real.startsWith(root)) {
            throw new ContentsForbiddenException(api, "path '" + api
                    + "' leads outside the contents root through a symbolic link");
        }
    }

    // ---------------------------------------------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface IoAction<T> {
        T run() throws IOException;
    }

    private static <T> T io(String api, IoAction<T> action) {
        try {
            return action.run();
        } catch (IOException e) {
            throw failure(api, e);
        } catch (UncheckedIOException e) {
            throw failure(api, e.getCause());
        }
    }

    private <T> T locked(Supplier<T> action) {
        writeLock.lock();
        try {
            return action.get();
        } finally {
            writeLock.unlock();
        }
    }

    /** Translates an I/O failure; messages name the API path only, never the root's location on disk. */
    private static ContentsException failure(String api, IOException e) {
        return switch (e) {
            case NoSuchFileException x -> new ContentsNotFoundException(api, "no such file or directory: '" + api
                    + "'", x);
            case NotDirectoryException x -> new ContentsNotFoundException(api, "no such file or directory: '" + api
                    + "' (a parent is not a directory)", x);
            case AccessDeniedException x -> new ContentsForbiddenException(api, "permission denied: '" + api + "'", x);
            case FileAlreadyExistsException x -> new ContentsConflictException(api, "'" + api + "' already exists", x);
            case DirectoryNotEmptyException x -> new ContentsBadRequestException(api, "directory '" + api
                    + "' is not empty", x);
            case FileSystemException x -> new ContentsStorageException(api, "storage failure at '" + api + "': "
                    + Objects.requireNonNullElse(x.getReason(), x.getClass().getSimpleName()), x);
            default -> new ContentsStorageException(api, "storage failure at '" + api + "': "
                    + e.getClass().getSimpleName(), e);
        };
    }
}
