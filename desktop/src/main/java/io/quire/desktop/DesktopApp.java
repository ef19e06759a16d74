package io.quire.desktop;

import io.quire.desktop.notebook.NotebookDocument;
import io.quire.desktop.notebook.NotebookView;
import io.quire.desktop.notebook.NotebookViewModel;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * notebook from it through the SDK; closing the window stops the kernels and the server.
 *
 * <p>Parameters: {@code --root FOLDER} (default: the notebook's folder, else the user's home), {@code --dark},
 * {@code --exit-after-first-screen} (for start-up benchmarks: logs the timings and quits once the notebook's first
 * screen is laid out), and a notebook file to open.
 */
public final class DesktopApp extends Application {
    private static final System.Logger LOG = System.getLogger(DesktopApp.class.getName());

    private EmbeddedServer server;
    private Optional<NotebookViewModel> open = Optional.empty();
    private Optional<Path> notebookArgument = Optional.empty();
    private boolean exitAfterFirstScreen;
    private Theme theme = Theme.LIGHT;
    private final BorderPane content = new BorderPane();
    private long launched;

    /** Creates the app; JavaFX calls it. */
    public DesktopApp() {
        launched = System.nanoTime();
    }

    @Override
    public void init() {
        Optional<Path> root = Optional.empty();
        List<String> args = new ArrayList<>(getParameters().getRaw());
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--root" -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException("--root needs a folder");
                    }
                    root = Optional.of(Path.of(args.get(++i)).toAbsolutePath().normalize());
                }
                case "--dark" -> theme = Theme.DARK;
                case "--exit-after-first-screen" -> exitAfterFirstScreen = true;
                default -> notebookArgument = Optional.of(Path.of(args.get(i)).toAbsolutePath().normalize());
            }
        }
        Path folder = root.or(() -> notebookArgument.map(Path::getParent))
                .orElse(Path.of(System.getProperty("user.home")));
        server = EmbeddedServer.start(folder);
        LOG.log(System.Logger.Level.INFO, "embedded server on " + server.connection().baseUrl() + " serving " + folder);
    }

    @Override
    public void start(Stage stage) {
        Scene scene = new Scene(content, 1100, 800);
        theme.apply(scene);
        stage.setScene(scene);
        stage.setTitle("Quire");
        content.setTop(null);
        stage.show();
        if (notebookArgument.isPresent()) {
            open(stage, notebookArgument.get());
        } else {
            content.setCenter(home(stage));
        }
    }

    private VBox home(Stage stage) {
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
                open(stage, file.toPath().toAbsolutePath().normalize());
            }
        });
        Button themeButton = new Button("Dark / light");
        themeButton.setOnAction(event -> {
            theme = theme.toggled();
            theme.apply(stage.getScene());
        });
        VBox box = new VBox(12, title, folder, openButton, themeButton);
        box.getStyleClass().add("home");
        return box;
    }

    private void open(Stage stage, Path file) {
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
                return;
            }
            open = Optional.of(view.viewModel());
            content.setCenter(view);
            stage.titleProperty().bind(javafx.beans.binding.Bindings.when(view.viewModel().dirtyProperty())
                    .then("\u25cf " + path + " \u2014 Quire").otherwise(path + " \u2014 Quire"));
            FirstScreen.measure(stage.getScene(), view, cells -> {
                long now = System.nanoTime();
                String line = String.format("opened %s (%d cells): first screen %d ms after open, %d ms after launch",
                        path, cells, (now - started) / 1_000_000, (now - launched) / 1_000_000);
                LOG.log(System.Logger.Level.INFO, line);
                System.err.println("quire-desktop: " + line);
                if (exitAfterFirstScreen) {
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
        open.ifPresent(NotebookViewModel::close);
        if (server != null) {
            server.close();
        }
    }
}
