package io.quire.desktop;

import io.quire.desktop.instance.SingleInstance;
import io.quire.desktop.notebook.NotebookDocument;
import io.quire.desktop.notebook.NotebookView;
import io.quire.desktop.notebook.NotebookViewModel;
import io.quire.desktop.output.HtmlView;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Stage;

/**
 * Quire's desktop app: starts the embedded server ({@link EmbeddedServer}) on the folder to open, then shows a
 * notebook from it through the SDK; closing the last window stops the kernels and the servers.
 *
 * <p>Parameters: see {@link LaunchOptions}. When {@link Main} made this launch the single instance, notebooks handed
 * over by later launches open in windows of their own: on the running server when it serves their folder, else on
 * another embedded server started for the notebook's folder.
 */
public final class DesktopApp extends Application {
    private static final System.Logger LOG = System.getLogger(DesktopApp.class.getName());
    private static volatile Optional<SingleInstance> instance = Optional.empty();

    private final List<EmbeddedServer> servers = new CopyOnWriteArrayList<>();
    private final List<NotebookViewModel> open = new ArrayList<>();
    private LaunchOptions options;
    private final Appearance appearance = new Appearance(Theme.LIGHT);
    private Stage lastWindow;
    private final long launched;

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

    @Override
    public void init() {
        options = LaunchOptions.parse(getParameters().getRaw());
        if (options.dark()) {
            appearance.theme(Theme.DARK);
        }
        Path folder = options.folder();
        EmbeddedServer server = EmbeddedServer.start(folder);
        servers.add(server);
        LOG.log(System.Logger.Level.INFO, "embedded server on " + server.connection().baseUrl() + " serving " + folder);
    }

    @Override
    public void start(Stage stage) {
        HtmlView.setLinkHandler(url -> getHostServices().showDocument(url));
        showWindow(stage, servers.getFirst(), options.notebook());
        instance.ifPresent(primary -> primary.listen(request -> Platform.runLater(() -> handOver(request))));
    }

    private void handOver(SingleInstance.Request request) {
        if (request.notebook().isEmpty()) {
            lastWindow.setIconified(false);
            lastWindow.toFront();
            lastWindow.requestFocus();
            return;
        }
        Path file = request.notebook().get();
        Optional<EmbeddedServer> serving = servers.stream().filter(server -> file.startsWith(server.root()))
                .findFirst();
        if (serving.isPresent()) {
            showWindow(new Stage(), serving.get(), Optional.of(file));
            return;
        }
        Thread.ofVirtual().name("quire-embedded-server").start(() -> {
            try {
                EmbeddedServer server = EmbeddedServer.start(file.getParent());
                servers.add(server);
                Platform.runLater(() -> showWindow(new Stage(), server, Optional.of(file)));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot serve " + file.getParent() + ": " + e.getMessage());
            }
        });
    }

    private void showWindow(Stage stage, EmbeddedServer server, Optional<Path> notebook) {
        BorderPane content = new BorderPane();
        Scene scene = new Scene(content, 1100, 800);
        appearance.attach(scene);
        stage.setScene(scene);
        stage.setTitle("Quire");
        stage.focusedProperty().addListener((property, was, focused) -> {
            if (focused) {
                lastWindow = stage;
            }
        });
        lastWindow = stage;
        stage.show();
        if (notebook.isPresent()) {
            open(stage, content, server, notebook.get());
        } else {
            content.setCenter(home(stage, content, server));
        }
    }

    private VBox home(Stage stage, BorderPane content, EmbeddedServer server) {
        Label title = new Label("Quire");
        title.getStyleClass().add("title-1");
        Label folder = new Label("Folder: " + server.root());
        Button openButton = new Button("Open notebook\u2026");
        openButton.setId("open-notebook");
        openButton.setOnAction(event -> {
            FileChooser chooser = new FileChooser();
            chooser.setInitialDirectory(server.root().toFile());
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Notebooks", "*.ipynb"));
            File file = chooser.showOpenDialog(stage);
            if (file != null) {
                open(stage, content, server, file.toPath().toAbsolutePath().normalize());
            }
        });
        Button themeButton = new Button("Dark / light (Ctrl+Shift+L)");
        themeButton.setOnAction(event -> appearance.theme(appearance.theme().toggled()));
        VBox box = new VBox(12, title, folder, openButton, themeButton);
        box.getStyleClass().add("home");
        return box;
    }

    private void open(Stage stage, BorderPane content, EmbeddedServer server, Path file) {
        Path root = server.root();
        if (!file.startsWith(root)) {
            content.setCenter(new Label(file + " is outside the folder the app serves (" + root + ")"));
            return;
        }
        String path = root.relativize(file).toString().replace(File.separatorChar, '/');
        long started = System.nanoTime();
        openNotebook(server.connection(), path).whenComplete((view, failure) -> Platform.runLater(() -> {
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                Label error = new Label("Cannot open " + path + ": " + cause.getMessage());
                error.setId("open-error");
                content.setCenter(error);
                System.err.println("quire-desktop: cannot open " + path + ": " + cause.getMessage());
                return;
            }
            NotebookViewModel model = view.viewModel();
            open.add(model);
            stage.setOnHidden(event -> {
                open.remove(model);
                model.close();
            });
            content.setCenter(view);
            stage.titleProperty().bind(javafx.beans.binding.Bindings.when(model.dirtyProperty())
                    .then("\u25cf " + path + " \u2014 Quire").otherwise(path + " \u2014 Quire"));
            FirstScreen.measure(stage.getScene(), view, cells -> {
                long now = System.nanoTime();
                String line = String.format("opened %s (%d cells): first screen %d ms after open, %d ms after launch",
                        path, cells, (now - started) / 1_000_000, (now - launched) / 1_000_000);
                LOG.log(System.Logger.Level.INFO, line);
                System.err.println("quire-desktop: " + line);
                if (options.exitAfterFirstScreen()) {
                    Platform.exit();
                }
            });
        }));
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
        var client = connection.client();
        CompletableFuture<NotebookView> view = new CompletableFuture<>();
        Thread.ofVirtual().name("quire-open").start(() -> {
            try {
                NotebookDocument document = NotebookDocument.load(client, path);
                Platform.runLater(() -> {
                    try {
                        NotebookViewModel model = NotebookViewModel.builder(client, document).ui(Platform::runLater)
                                .build();
                        view.complete(new NotebookView(model));
                    } catch (RuntimeException e) {
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
        List.copyOf(open).forEach(NotebookViewModel::close);
        open.clear();
        servers.forEach(EmbeddedServer::close);
    }
}
