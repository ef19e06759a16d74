package io.quire.desktop;

import io.quire.desktop.home.ConfigDir;
import io.quire.desktop.home.TokenStore;
import io.quire.desktop.home.WorkspaceView;
import io.quire.desktop.home.WorkspaceViewModel;
import io.quire.desktop.instance.SingleInstance;
import io.quire.desktop.notebook.NotebookDocument;
import io.quire.desktop.notebook.NotebookView;
import io.quire.client.rtu.RtuException;
import io.quire.desktop.notebook.LiveDocument;
import io.quire.desktop.notebook.NotebookViewModel;
import io.quire.desktop.notebook.Runs;
import io.quire.desktop.output.HtmlView;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.Stage;

/**
 * Quire's desktop app: starts the embedded server ({@link EmbeddedServer}) on the folder to open, then shows the
 * home screen and notebooks in tabs ({@link WorkspaceView}), all through the SDK; closing the window stops the kernels
 * and the servers.
 *
 * <p>Parameters: see {@link LaunchOptions}. Local notebooks open on the embedded server whose folder holds them,
 * else on another embedded server started for the notebook's folder. When {@link Main} made this launch the single
 * instance, notebooks handed over by later launches open as tabs of the window.
 */
public final class DesktopApp extends Application {
    private static final System.Logger LOG = System.getLogger(DesktopApp.class.getName());
    private static final java.time.Duration LIVE_TIMEOUT = java.time.Duration.ofSeconds(10);
    private static volatile Optional<SingleInstance> instance = Optional.empty();
    private static volatile boolean serverFailed;

    private final List<EmbeddedServer> servers = new CopyOnWriteArrayList<>();
    private LaunchOptions options;
    private final Appearance appearance = new Appearance(Theme.LIGHT);
    private Stage window;
    private WorkspaceView view;
    private Scene scene;
    private WorkspaceViewModel workspace;
    private final long launched;
    /** The first embedded server (on the launch folder), started in parallel with the window. */
    private final CompletableFuture<EmbeddedServer> home = new CompletableFuture<>();
    private volatile long serverStarted;
    /** Set by {@link #stop()}, under the lock of {@link #servers}. */
    private boolean stopped;

    /** Creates the app; JavaFX calls it. */
    public DesktopApp() {
        launched = System.nanoTime();
    }

    /**
     * Sets the single instance whose handoffs the next launched app serves ({@link Main} calls it before launching).
     *
     * @param primary the instance, or empty when this launch takes no handoffs
     */
    static void useInstance(Optional<SingleInstance> primary) {
        instance = primary;
    }

    /**
     * Whether the last launched app quit because its embedded server could not start ({@link Main} then exits with
     * status 1).
     *
     * @return true after such a failure
     */
    static boolean serverFailed() {
        return serverFailed;
    }

    @Override
    public void init() {
        options = LaunchOptions.parse(getParameters().getRaw());
        if (options.dark()) {
            appearance.theme(Theme.DARK);
        }
        Path folder = options.folder();
        // The server starts while JavaFX builds and shows the window; whatever needs it waits on a background thread.
        Thread.ofPlatform().name("quire-server-start").daemon().start(() -> {
            try {
                EmbeddedServer server = EmbeddedServer.start(folder, kernelsFile(), System.getenv());
                serverStarted = System.nanoTime();
                synchronized (servers) {
                    if (stopped) {
                        server.close(); // the app quit while the server was starting
                        return;
                    }
                    servers.add(server);
                }
                LOG.log(System.Logger.Level.INFO, "embedded server on " + server.connection().baseUrl() + " serving "
                        + folder);
                home.complete(server);
            } catch (RuntimeException e) {
                serverFailed = true;
                home.completeExceptionally(e);
                System.err.println("quire-desktop: cannot start the embedded server on " + folder + ": "
                        + e.getMessage());
                Platform.exit();
            }
        });
    }

    /** Where the embedded servers' kernels are configured (Docker kernels, image specs): {@code quire.yaml}. */
    private static Path kernelsFile() {
        return ConfigDir.forUser().path().resolve(EmbeddedServer.KERNELS_FILE);
    }

    @Override
    public void start(Stage stage) {
        HtmlView.setLinkHandler(url -> getHostServices().showDocument(url));
        ConfigDir config = ConfigDir.forUser();
        try {
            config.create();
        } catch (java.io.UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
        }
        workspace = new WorkspaceViewModel(new LocalServers(), config, TokenStore.forUser(config, System.getenv()),
                command -> Thread.ofVirtual().name("quire-desktop").start(command), Platform::runLater);
        view = new WorkspaceView(workspace);
        scene = new Scene(view, 1100, 800);
        appearance.attach(scene);
        stage.setScene(scene);
        stage.titleProperty().bind(Bindings.createStringBinding(() -> {
            int index = workspace.selectedProperty().get();
            return index < 0 || index >= workspace.tabs().size() ? "Quire"
                    : workspace.tabs().get(index).title().get() + " \u2014 Quire";
        }, workspace.selectedProperty(), workspace.tabs()));
        stage.focusedProperty().addListener((property, was, focused) -> {
            if (focused) {
                workspace.checkForChanges();
            }
        });
        stage.setOnCloseRequest(event -> {
            if (workspace.anyDirty() && !confirmQuit(stage)) {
                event.consume();
            }
        });
        window = stage;
        stage.show();
        // WebKit's first start (its native library, WebCore) and a notebook view's first layout take a while: get
        // them done while the notebook is read, or before one is opened (the JavaFX thread would only wait)
        Platform.runLater(HtmlView::warmUp);
        home.thenAccept(server -> Platform.runLater(() ->
                NotebookView.warmUp(server.connection().client(), appearance::style)));
        workspace.startTimer();
        workspace.openFolder(options.folder());
        if (options.openAfterStart()) {
            options.notebook().ifPresent(this::openAfterStart);
        } else {
            options.notebook().ifPresent(this::open);
        }
        instance.ifPresent(primary -> primary.listen(request -> Platform.runLater(() -> handOver(request))));
    }

    private boolean confirmQuit(Stage stage) {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION,
                "Some notebooks have unsaved changes. Quit anyway and lose them?", ButtonType.YES, ButtonType.NO);
        alert.initOwner(stage);
        alert.setHeaderText("Unsaved changes");
        return alert.showAndWait().filter(answer -> answer == ButtonType.YES).isPresent();
    }

    private void handOver(SingleInstance.Request request) {
        window.setIconified(false);
        window.toFront();
        window.requestFocus();
        request.notebook().ifPresent(this::open);
    }

    /**
     * Opens a notebook as a user would in the running app ({@code --open-after-start}): once the embedded server is
     * up and the warm-up queued at start has run, after a second's pause.
     */
    private void openAfterStart(Path file) {
        home.thenRun(() -> Platform.runLater(() -> {
            var pause = new javafx.animation.PauseTransition(javafx.util.Duration.seconds(1));
            pause.setOnFinished(event -> open(file));
            pause.play();
        }));
    }

    /** Opens a notebook in a tab; the timings are measured (and printed with {@code --exit-after-first-screen}). */
    private void open(Path file) {
        long requested = System.nanoTime();
        workspace.openLocal(file).whenComplete((tab, failure) -> {
            // at launch the open waits for the embedded server: count from when both were there
            long started = Math.max(requested, serverStarted);
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                System.err.println("quire-desktop: cannot open " + file + ": " + cause.getMessage());
                return;
            }
            long shown = System.nanoTime();
            view.viewOf(tab).ifPresent(notebookView -> FirstScreen.measure(scene, notebookView, cells -> {
                long now = System.nanoTime();
                int total = tab.notebook().totalCells();
                String line = String.format("opened %s (%d cells%s): first screen %d ms after open, %d ms after launch",
                        tab.notebook().file().path(), total, total == cells ? "" : ", the first " + cells + " shown",
                        (now - started) / 1_000_000, (now - launched) / 1_000_000);
                LOG.log(System.Logger.Level.INFO, line);
                System.err.println("quire-desktop: " + line);
                String phases = workspace.openTimes(tab).map(times -> String.format(
                        "waiting for the server %d ms, read (live: subscribe and snapshot; else server read, HTTP, JSON"
                        + " parse) %d ms, view model and view"
                        + " %d ms, ", times.locate().toMillis(), times.read().toMillis(), times.model().toMillis()))
                        .orElse("");
                System.err.printf("quire-desktop: phases: embedded server up %d ms after launch (in parallel with the"
                        + " window), %sfirst layout %d ms%n", (serverStarted - launched) / 1_000_000, phases,
                        (now - shown) / 1_000_000);
                // a large notebook shows its first cells first (decision 0035): then say when the rest is there
                Runnable whole = () -> {
                    String status = tab.notebook().messageProperty().get();
                    System.err.printf("quire-desktop: whole notebook (%d cells, %s) %d ms after open%s%n",
                            tab.notebook().cells().size(), tab.notebook().liveProperty().get() ? "live" : "file",
                            (System.nanoTime() - started) / 1_000_000, status.isEmpty() ? "" : ": " + status);
                    if (options.exitAfterFirstScreen()) {
                        System.err.println("quire-desktop: " + HeapUse.afterGc());
                        Platform.exit();
                    }
                };
                if (tab.notebook().openingProperty().get()) {
                    tab.notebook().openingProperty().addListener((property, was, opening) -> {
                        if (!opening) {
                            whole.run();
                        }
                    });
                } else {
                    whole.run();
                }
            }));
        });
    }

    /** Local notebooks are served by the embedded server of a folder that holds them (started when needed). */
    private final class LocalServers implements WorkspaceViewModel.Servers {
        @Override
        public ServerConnection home() {
            return home.join().connection();
        }

        @Override
        public Path homeFolder() {
            return home.join().root();
        }

        @Override
        public WorkspaceViewModel.Located locate(Path file) {
            Path absolute = file.toAbsolutePath().normalize();
            home.join(); // the launch folder's server first: it may be the one that serves the file
            EmbeddedServer server;
            synchronized (servers) {
                server = servers.stream().filter(running -> absolute.startsWith(running.root())).findFirst()
                        .orElse(null);
                if (server == null) {
                    server = EmbeddedServer.start(absolute.getParent(), kernelsFile(), System.getenv());
                    servers.add(server);
                    LOG.log(System.Logger.Level.INFO, "embedded server on " + server.connection().baseUrl()
                            + " serving " + absolute.getParent());
                }
            }
            String path = server.root().relativize(absolute).toString().replace(File.separatorChar, '/');
            return new WorkspaceViewModel.Located(server.connection(), path);
        }
    }

    /**
     * Reads a notebook through the SDK on a background thread and builds its view model and view on the JavaFX
     * thread.
     *
     * @param connection the server
     * @param path       the notebook's path on the server
     * @return completes with the view, on the JavaFX thread
     */
    public static CompletableFuture<NotebookView> openNotebook(ServerConnection connection, String path) {
        return openNotebook(connection, path, Runs.KERNEL_CHANNELS);
    }

    /**
     * Reads a notebook through the SDK and builds its view, with a given run path.
     *
     * @param connection the server
     * @param path       the notebook's path on the server
     * @param runs       how its cells run
     * @return completes with the view, on the JavaFX thread
     */
    public static CompletableFuture<NotebookView> openNotebook(ServerConnection connection, String path, Runs runs) {
        var client = connection.client();
        CompletableFuture<NotebookView> view = new CompletableFuture<>();
        Thread.ofVirtual().name("quire-open").start(() -> {
            try {
                // live on servers that serve the real-time channel, read from its snapshot alone; else as a file
                // (decisions 0026, 0030)
                Optional<LiveDocument> live = Optional.empty();
                String notLive = null;
                try {
                    live = Optional.of(LiveDocument.open(client, connection.rtu(), path, LIVE_TIMEOUT,
                            Platform::runLater));
                } catch (RtuException e) {
                    notLive = e.getMessage();
                }
                NotebookDocument document = live.isPresent() ? live.get().document()
                        : NotebookDocument.load(client, path);
                Optional<LiveDocument> opened = live;
                String reason = notLive;
                Platform.runLater(() -> {
                    try {
                        NotebookViewModel model = NotebookViewModel.builder(client, document).ui(Platform::runLater)
                                .runs(runs).build();
                        opened.ifPresent(model::goLive);
                        if (reason != null) {
                            model.notLive(reason);
                        }
                        view.complete(new NotebookView(model));
                    } catch (RuntimeException e) {
                        opened.ifPresent(LiveDocument::close);
                        view.completeExceptionally(e);
                    }
                });
            } catch (RuntimeException e) {
                view.completeExceptionally(e);
            }
        });
        return view;
    }

    @Override
    public void stop() {
        instance.ifPresent(SingleInstance::close);
        if (workspace != null) {
            workspace.close();
        }
        synchronized (servers) {
            stopped = true;
            home.completeExceptionally(new IllegalStateException("the app quit before its server started"));
            servers.forEach(EmbeddedServer::close);
        }
    }
}
