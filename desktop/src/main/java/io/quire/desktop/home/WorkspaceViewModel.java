package io.quire.desktop.home;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.client.KernelSpecInfo;
import io.quire.client.rtu.RtuException;
import io.quire.desktop.ServerConnection;
import io.quire.desktop.notebook.LiveDocument;
import io.quire.desktop.notebook.NotebookDocument;
import io.quire.desktop.notebook.NotebookViewModel;
import io.quire.desktop.notebook.Runs;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The window: a home screen and the open notebooks as tabs. Opens local notebooks (on an embedded server for their
 * folder, through {@link Servers}) and notebooks of remote servers, creates notebooks from kernel specs, remembers
 * recent notebooks, autosaves notebooks with unsaved changes and checks open notebooks for changes on the server
 * ({@link #tick()}, on a timer and when the window gets the focus).
 *
 * <p>Owned by the UI thread ({@code ui} executor); server calls run on {@code background}.
 */
public final class WorkspaceViewModel implements AutoCloseable {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Duration CHECK_WITHOUT_AUTOSAVE = DesktopSettings.DEFAULT_AUTOSAVE;
    private static final Duration LIVE_TIMEOUT = Duration.ofSeconds(10);

    /** Where a local notebook is served: the embedded server for its folder (started when needed). */
    public interface Servers {
        /**
         * The embedded server of the folder the app was launched on (kernel specs for "new notebook").
         *
         * @return its connection
         */
        ServerConnection home();

        /**
         * The folder the app was launched on.
         *
         * @return the folder
         */
        Path homeFolder();

        /**
         * Finds or starts the server for a local file. Blocking: called on the background executor.
         *
         * @param file the file's absolute path (it need not exist yet)
         * @return the server and the file's path on it
         */
        Located locate(Path file);

        /**
         * Whether notebooks open live on servers that serve the real-time channel (decision 0026); false edits every
         * notebook as a file (0024), as tests of the file-mode features (changes on disk, conflicts) need.
         *
         * @return true unless overridden
         */
        default boolean live() {
            return true;
        }
    }

    /**
     * A local file on a server.
     *
     * @param connection the server
     * @param path       the file's path relative to the server's root
     */
    public record Located(ServerConnection connection, String path) {
        /** Validates the fields. */
        public Located {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * How many cells a notebook shows first while the rest is read (decision 0035): more than a screen of cells with
     * outputs holds, few enough that a head of large outputs is read, sent and parsed in milliseconds (the benchmark
     * notebook's first 12 cells are 0.3 MB).
     */
    static final int HEAD_CELLS = 12;

    private final Servers servers;
    private final RecentNotebooks recentStore;
    private final RemoteServers remotes;
    private final DesktopSettings settings;
    private final Executor background;
    private final Executor ui;
    private final Clock clock;
    private final ObservableList<NotebookTab> tabs = FXCollections.observableArrayList();
    private final ObservableList<NotebookTab> readOnlyTabs = FXCollections.unmodifiableObservableList(tabs);
    private final ObservableList<RecentNotebook> recent = FXCollections.observableArrayList();
    private final ObservableList<URI> remoteList = FXCollections.observableArrayList();
    private final ObservableList<Path> folderNotebooks = FXCollections.observableArrayList();
    private final javafx.beans.property.SimpleObjectProperty<Path> folder = new javafx.beans.property.SimpleObjectProperty<>();
    private final SimpleIntegerProperty selected = new SimpleIntegerProperty(-1);
    private final SimpleStringProperty message = new SimpleStringProperty("");
    private final Map<NotebookTab, OpenTimes> openTimes = new IdentityHashMap<>();
    private Optional<ScheduledExecutorService> timer = Optional.empty();

    /**
     * A workspace.
     *
     * @param servers    finds the embedded server of local files
     * @param config     the user's config folder (recent notebooks, servers, settings)
     * @param tokens     where remote servers' tokens are kept
     * @param background runs server calls
     * @param ui         runs model changes (the JavaFX thread in the app)
     */
    public WorkspaceViewModel(Servers servers, ConfigDir config, TokenStore tokens, Executor background, Executor ui) {
        this.servers = Objects.requireNonNull(servers, "servers");
        this.recentStore = new RecentNotebooks(config);
        this.remotes = new RemoteServers(config, tokens);
        this.settings = DesktopSettings.read(config);
        this.background = Objects.requireNonNull(background, "background");
        this.ui = Objects.requireNonNull(ui, "ui");
        this.clock = Clock.systemUTC();
        recent.setAll(recentStore.read());
        try {
            remoteList.setAll(remotes.list());
        } catch (RuntimeException e) {
            message.set(e.getMessage());
        }
    }

    /**
     * The open notebooks, in tab order.
     *
     * @return a read-only live list
     */
    public ObservableList<NotebookTab> tabs() {
        return readOnlyTabs;
    }

    /**
     * The selected tab's index, -1 for the home screen.
     *
     * @return the property
     */
    public ReadOnlyIntegerProperty selectedProperty() {
        return selected;
    }

    /**
     * Selects a tab.
     *
     * @param index the tab's index, -1 for home
     */
    public void select(int index) {
        selected.set(index < 0 || index >= tabs.size() ? -1 : index);
    }

    /**
     * Recently opened notebooks, newest first.
     *
     * @return the live list
     */
    public ObservableList<RecentNotebook> recent() {
        return FXCollections.unmodifiableObservableList(recent);
    }

    /**
     * The folder whose notebooks the home screen lists.
     *
     * @return the property
     */
    public javafx.beans.property.ReadOnlyObjectProperty<Path> folderProperty() {
        return folder;
    }

    /**
     * The notebooks in {@link #folderProperty()} (up to three levels deep, at most 500, hidden folders skipped).
     *
     * @return the live list
     */
    public ObservableList<Path> folderNotebooks() {
        return FXCollections.unmodifiableObservableList(folderNotebooks);
    }

    /**
     * Lists a folder's notebooks on the home screen; opening one serves it from an embedded server for its folder.
     *
     * @param dir the folder
     * @return completes when listed
     */
    public CompletableFuture<List<Path>> openFolder(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        return CompletableFuture.supplyAsync(() -> {
            if (!java.nio.file.Files.isDirectory(absolute)) {
                throw new IllegalArgumentException(absolute + " is not a folder");
            }
            try (var walk = java.nio.file.Files.walk(absolute, 3)) {
                return walk.filter(path -> path.getFileName().toString().endsWith(".ipynb"))
                        .filter(path -> !hidden(absolute.relativize(path)))
                        .filter(java.nio.file.Files::isRegularFile).sorted().limit(500).toList();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot list " + absolute + ": " + e.getMessage(), e);
            }
        }, background).handleAsync((found, failure) -> {
            if (failure != null) {
                message.set(cause(failure).getMessage());
                throw new CompletionException(cause(failure));
            }
            folder.set(absolute);
            folderNotebooks.setAll(found);
            return found;
        }, ui);
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The remembered remote servers.
     *
     * @return the live list
     */
    public ObservableList<URI> remoteServers() {
        return FXCollections.unmodifiableObservableList(remoteList);
    }

    /**
     * What happened last (an open that failed, a connection made).
     *
     * @return the property
     */
    public ReadOnlyStringProperty messageProperty() {
        return message;
    }

    /**
     * The settings read at start.
     *
     * @return the settings
     */
    public DesktopSettings settings() {
        return settings;
    }

    /**
     * Where tokens are kept, in words for the connect dialog.
     *
     * @return a sentence
     */
    public String tokenStorage() {
        return remotes.tokens().description();
    }

    /**
     * Opens a local notebook in a tab (or selects its tab when open already).
     *
     * @param file the file
     * @return completes with the tab on the UI executor
     */
    public CompletableFuture<NotebookTab> openLocal(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Optional<NotebookTab> open = tabs.stream().filter(tab -> tab.local().equals(Optional.of(absolute)))
                .findFirst();
        if (open.isPresent()) {
            select(tabs.indexOf(open.get()));
            return CompletableFuture.completedFuture(open.get());
        }
        Instant start = clock.instant();
        return CompletableFuture.supplyAsync(() -> {
            Located located = servers.locate(absolute);
            Instant found = clock.instant();
            return read(located.connection(), located.path(), Duration.between(start, found), found);
        }, background).handleAsync((loaded, failure) -> added(loaded, failure, Optional.of(absolute),
                new RecentNotebook(Optional.empty(), absolute.toString(), clock.instant())), ui)
                .thenCompose(tab -> tab);
    }

    /**
     * Opens a notebook of a remote server in a tab.
     *
     * @param connection the server
     * @param path       the notebook's path on it
     * @return completes with the tab on the UI executor
     */
    public CompletableFuture<NotebookTab> openRemote(ServerConnection connection, String path) {
        Optional<NotebookTab> open = tabs.stream().filter(tab -> tab.local().isEmpty()
                && tab.connection().baseUrl().equals(connection.baseUrl()) && tab.notebook().file().path().equals(path))
                .findFirst();
        if (open.isPresent()) {
            select(tabs.indexOf(open.get()));
            return CompletableFuture.completedFuture(open.get());
        }
        Instant start = clock.instant();
        return CompletableFuture.supplyAsync(() -> read(connection, path, Duration.ZERO, start), background)
                .handleAsync((loaded, failure) -> added(loaded, failure, Optional.empty(),
                        new RecentNotebook(Optional.of(connection.baseUrl().toString()), path, clock.instant())), ui)
                .thenCompose(tab -> tab);
    }

    /**
     * Opens a recent notebook again; one that no longer exists is dropped from the list.
     *
     * @param entry the entry
     * @return completes with the tab
     */
    public CompletableFuture<NotebookTab> openRecent(RecentNotebook entry) {
        if (entry.server().isEmpty()) {
            return openLocal(Path.of(entry.path())).whenCompleteAsync((tab, failure) -> {
                if (failure != null && !java.nio.file.Files.exists(Path.of(entry.path()))) {
                    recent.setAll(recentStore.remove(entry));
                }
            }, ui);
        }
        URI server = URI.create(entry.server().get());
        Optional<ServerConnection> connection;
        try {
            connection = remotes.connection(server);
        } catch (RuntimeException e) {
            message.set("Cannot read the token of " + server + ": " + e.getMessage());
            return CompletableFuture.failedFuture(e);
        }
        if (connection.isEmpty()) {
            message.set("No token stored for " + server + ": connect to it again");
            return CompletableFuture.failedFuture(new IllegalStateException("no token for " + server));
        }
        return openRemote(connection.get(), entry.path());
    }

    /**
     * Reads a notebook on a background thread: live where the server allows, from the real-time channel's snapshot
     * alone (decision 0030: the notebook is sent and parsed once); else, or when the channel refuses, through the
     * contents API as a file.
     */
    private Loaded read(ServerConnection connection, String path, Duration locate, Instant from) {
        Optional<String> notLive = Optional.empty();
        if (servers.live()) {
            // a large notebook shows its first cells at once, read-only, and the rest follows (decision 0035)
            Optional<Loaded> head = head(connection, path, locate, from);
            if (head.isPresent()) {
                return head.get();
            }
            try {
                LiveDocument live = LiveDocument.open(connection.client(), connection.rtu(), path,
                        LIVE_TIMEOUT, ui);
                return new Loaded(connection, live.document(), Optional.of(live), Optional.empty(), locate,
                        Duration.between(from, clock.instant()), Optional.empty());
            } catch (RtuException e) {
                notLive = Optional.of(e.getMessage());
            }
        }
        NotebookDocument document = NotebookDocument.load(connection.client(), path);
        return new Loaded(connection, document, Optional.empty(), notLive, locate,
                Duration.between(from, clock.instant()), Optional.empty());
    }

    /**
     * Reads the first {@link #HEAD_CELLS} cells of a notebook that has more (decision 0035); empty for a smaller one,
     * which opens whole at once, and for a server that cannot read a head.
     */
    private Optional<Loaded> head(ServerConnection connection, String path, Duration locate, Instant from) {
        io.quire.client.FileInfo file = connection.client().fileByPath(path);
        if (file.type() != io.quire.client.FileType.NOTEBOOK) {
            throw new IllegalArgumentException(path + " is not a notebook (it is a " + file.type() + ")");
        }
        io.quire.client.NotebookHead head;
        try {
            head = connection.client().notebookHead(file.id(), HEAD_CELLS);
        } catch (io.quire.client.QuireApiException e) {
            if (e.status() == 404) {
                throw e;
            }
            return Optional.empty(); // a notebook the server cannot read in part: the whole read says what is wrong
        } catch (io.quire.client.QuireException e) {
            return Optional.empty(); // a server without head reads
        }
        if (head.complete()) {
            return Optional.empty();
        }
        return Optional.of(new Loaded(connection, new NotebookDocument(file, head.notebook()), Optional.empty(),
                Optional.empty(), locate, Duration.between(from, clock.instant()), Optional.of(head.totalCells())));
    }

    /**
     * The whole notebook after its head: live from the real-time channel's snapshot, else read as a file. Blocking:
     * on the background executor.
     */
    private Loaded rest(ServerConnection connection, io.quire.client.FileInfo file) {
        Instant from = clock.instant();
        try {
            // the first cells are on screen already: wait longer than a first open would (a loaded machine)
            LiveDocument live = LiveDocument.open(connection.rtu(), file, LIVE_TIMEOUT.multipliedBy(3), ui);
            return new Loaded(connection, live.document(), Optional.of(live), Optional.empty(), Duration.ZERO,
                    Duration.between(from, clock.instant()), Optional.empty());
        } catch (RtuException e) {
            NotebookDocument document = NotebookDocument.load(connection.client(), file.path());
            return new Loaded(connection, document, Optional.empty(), Optional.of(e.getMessage()), Duration.ZERO,
                    Duration.between(from, clock.instant()), Optional.empty());
        }
    }

    /**
     * A notebook read for a tab.
     *
     * @param head the number of cells of the whole notebook when the document holds only its first cells
     */
    private record Loaded(ServerConnection connection, NotebookDocument document, Optional<LiveDocument> live,
            Optional<String> notLive, Duration locate, Duration read, Optional<Integer> head) {
    }

    /**
     * How long opening a notebook took, by phase (for the start-up benchmark).
     *
     * @param locate finding the server of a local file (waiting for it, or starting one, when it is not running)
     * @param read   reading it through the SDK, on a background thread: live (decision 0030), subscribing on the
     *               real-time channel (the server opens the file's log, reading the file on a first open, and sends
     *               its snapshot; the SDK parses it) and taking the document as JSON; as a file, the server reads
     *               the file and sends it, and the SDK parses the JSON
     * @param model  building its view model and its tab, view included, on the UI thread
     */
    public record OpenTimes(Duration locate, Duration read, Duration model) {
        /** Validates the fields. */
        public OpenTimes {
            Objects.requireNonNull(locate, "locate");
            Objects.requireNonNull(read, "read");
            Objects.requireNonNull(model, "model");
        }
    }

    /**
     * How long opening a tab's notebook took.
     *
     * @param tab an open tab
     * @return its phases, or empty for a tab not opened by this workspace or closed since
     */
    public Optional<OpenTimes> openTimes(NotebookTab tab) {
        return Optional.ofNullable(openTimes.get(tab));
    }

    /** Builds the notebook's view model, makes it live where the server allows, then shows its tab. */
    private CompletableFuture<NotebookTab> added(Loaded loaded, Throwable failure, Optional<Path> local,
            RecentNotebook entry) {
        if (failure != null) {
            Throwable cause = cause(failure);
            message.set("Cannot open " + entry.path() + ": " + cause.getMessage());
            throw new CompletionException(cause);
        }
        Instant start = clock.instant();
        NotebookViewModel notebook;
        try {
            NotebookViewModel.Builder builder = NotebookViewModel.builder(loaded.connection().client(),
                    loaded.document()).runs(Runs.KERNEL_CHANNELS).background(background).ui(ui);
            loaded.head().ifPresent(builder::head);
            notebook = builder.build();
        } catch (RuntimeException e) {
            loaded.live().ifPresent(LiveDocument::close);
            throw e;
        }
        // live on servers that serve the real-time channel, else as a file (decisions 0026, 0030): the notebook
        // was read from the live session, so the tab shows the server's document and nothing typed is replaced
        loaded.live().ifPresent(notebook::goLive);
        loaded.notLive().ifPresent(notebook::notLive);
        NotebookTab tab = new NotebookTab(notebook, loaded.connection(), local);
        tabs.add(tab);
        if (loaded.head().isPresent()) {
            NotebookViewModel opening = notebook;
            CompletableFuture.supplyAsync(() -> rest(loaded.connection(), loaded.document().file()), background)
                    .whenCompleteAsync((rest, restFailure) -> {
                        if (restFailure != null) {
                            message.set("Cannot open the rest of " + entry.path() + ": "
                                    + cause(restFailure).getMessage());
                            return;
                        }
                        if (!tabs.contains(tab)) {
                            rest.live().ifPresent(LiveDocument::close); // closed while opening
                            return;
                        }
                        rest.live().ifPresentOrElse(opening::goLive, () -> opening.completeFrom(rest.document()));
                        rest.notLive().ifPresent(opening::notLive);
                    }, ui);
        }
        openTimes.put(tab, new OpenTimes(loaded.locate(), loaded.read(), Duration.between(start, clock.instant())));
        select(tabs.size() - 1);
        try {
            recent.setAll(recentStore.add(entry));
        } catch (RuntimeException e) {
            message.set(e.getMessage());
        }
        return CompletableFuture.completedFuture(tab);
    }

    /**
     * Closes a tab (the view asks first when it has unsaved changes); its kernel keeps running on the server.
     *
     * @param tab the tab
     */
    public void close(NotebookTab tab) {
        int index = tabs.indexOf(tab);
        if (index < 0) {
            return;
        }
        tabs.remove(index);
        openTimes.remove(tab);
        tab.notebook().close();
        select(tabs.isEmpty() ? -1 : Math.min(index, tabs.size() - 1));
    }

    /**
     * The kernels the embedded server can start, for "new notebook".
     *
     * @return completes with the specs on the UI executor
     */
    public CompletableFuture<List<KernelSpecInfo>> kernelSpecs() {
        return CompletableFuture.supplyAsync(() -> servers.home().client().kernelSpecs(), background)
                .thenApplyAsync(specs -> specs, ui);
    }

    /**
     * Creates a local notebook for a kernel spec and opens it.
     *
     * @param file a file that does not exist yet, ending in {@code .ipynb}
     * @param spec the kernel
     * @return completes with the tab
     */
    public CompletableFuture<NotebookTab> newLocalNotebook(Path file, KernelSpecInfo spec) {
        Path absolute = file.toAbsolutePath().normalize();
        return CompletableFuture.runAsync(() -> {
            Located located = servers.locate(absolute);
            located.connection().client().createNotebook(located.path(), emptyNotebook(spec));
        }, background).handleAsync((ok, failure) -> {
            if (failure != null) {
                message.set("Cannot create " + absolute + ": " + cause(failure).getMessage());
                throw new CompletionException(cause(failure));
            }
            return null;
        }, ui).thenCompose(ok -> openLocal(absolute));
    }

    /**
     * Creates a notebook on a server for a kernel spec and opens it.
     *
     * @param connection the server
     * @param path       a path that holds no file yet, ending in {@code .ipynb}
     * @param spec       the kernel
     * @return completes with the tab
     */
    public CompletableFuture<NotebookTab> newRemoteNotebook(ServerConnection connection, String path,
            KernelSpecInfo spec) {
        return CompletableFuture.runAsync(() -> connection.client().createNotebook(path, emptyNotebook(spec)),
                background).handleAsync((ok, failure) -> {
                    if (failure != null) {
                        message.set("Cannot create " + path + ": " + cause(failure).getMessage());
                        throw new CompletionException(cause(failure));
                    }
                    return null;
                }, ui).thenCompose(ok -> openRemote(connection, path));
    }

    /**
     * An empty nbformat 4.5 notebook for a kernel: one empty code cell, the kernelspec in the metadata.
     *
     * @param spec the kernel
     * @return the notebook JSON
     */
    static ObjectNode emptyNotebook(KernelSpecInfo spec) {
        ObjectNode notebook = NODES.objectNode();
        notebook.put("nbformat", 4);
        notebook.put("nbformat_minor", 5);
        ObjectNode metadata = notebook.putObject("metadata");
        ObjectNode kernelspec = metadata.putObject("kernelspec");
        kernelspec.put("name", spec.name());
        kernelspec.put("display_name", spec.displayName());
        kernelspec.put("language", spec.language());
        metadata.putObject("language_info").put("name", spec.language());
        ObjectNode cell = notebook.putArray("cells").addObject();
        cell.put("id", java.util.UUID.randomUUID().toString().substring(0, 8));
        cell.put("cell_type", "code");
        cell.putObject("metadata");
        cell.put("source", "");
        cell.putArray("outputs");
        cell.putNull("execution_count");
        return notebook;
    }

    /**
     * Connects to a remote server: checks URL and token by listing its kernel specs, then remembers both (the token
     * in the {@link TokenStore}).
     *
     * @param url   the server's URL
     * @param token its token
     * @return completes with the connection on the UI executor; fails for a bad URL, a refused token or an
     *         unreachable server
     */
    public CompletableFuture<ServerConnection> connect(String url, String token) {
        URI server;
        try {
            server = RemoteServers.parseUrl(url);
        } catch (IllegalArgumentException e) {
            message.set(e.getMessage());
            return CompletableFuture.failedFuture(e);
        }
        if (token == null || token.isBlank()) {
            message.set("A token is needed to connect to " + server);
            return CompletableFuture.failedFuture(new IllegalArgumentException("no token"));
        }
        ServerConnection connection = new ServerConnection(server, token.strip());
        return CompletableFuture.supplyAsync(() -> {
            connection.client().kernelSpecs();
            remotes.remember(server, token.strip());
            return connection;
        }, background).handleAsync((ok, failure) -> {
            if (failure != null) {
                message.set("Cannot connect to " + server + ": " + cause(failure).getMessage());
                throw new CompletionException(cause(failure));
            }
            if (!remoteList.contains(server)) {
                remoteList.add(server);
            }
            message.set("Connected to " + server);
            return ok;
        }, ui);
    }

    /**
     * The connection to a remembered server.
     *
     * @param server its URL
     * @return the connection, or empty when its token is gone
     */
    public Optional<ServerConnection> remote(URI server) {
        return remotes.connection(server);
    }

    /**
     * Forgets a remote server and its token.
     *
     * @param server its URL
     */
    public void forget(URI server) {
        remotes.forget(server);
        remoteList.remove(server);
    }

    /**
     * Saves every notebook with unsaved changes that has no conflict pending and no run going.
     *
     * @return completes when those saves ended, with how many were saved
     */
    public CompletableFuture<Integer> autosave() {
        List<NotebookViewModel> due = tabs.stream().map(NotebookTab::notebook)
                .filter(notebook -> notebook.dirtyProperty().get() && notebook.conflictProperty().get().isEmpty()
                        && !notebook.running())
                .toList();
        List<CompletableFuture<Boolean>> saves = due.stream()
                .map(notebook -> notebook.save().handle((ok, failure) -> failure == null)).toList();
        return CompletableFuture.allOf(saves.toArray(CompletableFuture[]::new))
                .thenApply(ok -> (int) saves.stream().filter(CompletableFuture::join).count());
    }

    /**
     * Checks every open notebook for changes on the server (window focus, timer).
     *
     * @return completes when checked
     */
    public CompletableFuture<Void> checkForChanges() {
        return CompletableFuture.allOf(tabs.stream().map(tab -> tab.notebook().checkForChanges())
                .toArray(CompletableFuture[]::new));
    }

    /**
     * What the timer does: autosave (when on), then look for changes on the server.
     *
     * @return completes when done
     */
    public CompletableFuture<Void> tick() {
        CompletableFuture<Integer> saved = settings.autosave().isZero() ? CompletableFuture.completedFuture(0)
                : autosave();
        return saved.thenCompose(count -> checkForChanges());
    }

    /** Starts the timer that calls {@link #tick()} on the UI executor (every autosave interval). */
    public void startTimer() {
        if (timer.isPresent()) {
            return;
        }
        Duration every = settings.autosave().isZero() ? CHECK_WITHOUT_AUTOSAVE : settings.autosave();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("quire-autosave").factory());
        scheduler.scheduleWithFixedDelay(() -> ui.execute(this::tick), every.toMillis(), every.toMillis(),
                TimeUnit.MILLISECONDS);
        timer = Optional.of(scheduler);
    }

    /**
     * Whether any open notebook has unsaved changes (the app asks before quitting).
     *
     * @return true when some tab is dirty
     */
    public boolean anyDirty() {
        return tabs.stream().anyMatch(tab -> tab.notebook().dirtyProperty().get());
    }

    private static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Stops the timer and closes every tab's kernel connection. */
    @Override
    public void close() {
        timer.ifPresent(ScheduledExecutorService::shutdownNow);
        timer = Optional.empty();
        List.copyOf(tabs).forEach(tab -> tab.notebook().close());
    }
}
