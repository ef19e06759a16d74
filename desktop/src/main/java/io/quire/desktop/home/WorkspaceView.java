package io.quire.desktop.home;

import io.quire.client.KernelSpecInfo;
import io.quire.desktop.ServerConnection;
import io.quire.desktop.notebook.NotebookView;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * The window's content: a home tab (recent notebooks, open a notebook or a folder, new notebook from a kernel spec,
 * remote servers) and a tab per open notebook whose title carries {@code *} while it has unsaved changes. The view
 * only binds to {@link WorkspaceViewModel} and shows its dialogs.
 */
public final class WorkspaceView extends BorderPane {
    private final WorkspaceViewModel workspace;
    private final TabPane tabPane = new TabPane();
    private final Tab home = new Tab("Home");
    private final Map<NotebookTab, Tab> shown = new HashMap<>();

    /**
     * A view of a workspace.
     *
     * @param workspace the view model
     */
    public WorkspaceView(WorkspaceViewModel workspace) {
        this.workspace = workspace;
        tabPane.setId("tabs");
        home.setId("home-tab");
        home.setClosable(false);
        home.setContent(homeScreen());
        tabPane.getTabs().add(home);
        workspace.tabs().forEach(this::addTab);
        workspace.tabs().addListener((ListChangeListener<NotebookTab>) change -> {
            while (change.next()) {
                change.getRemoved().forEach(removed -> Optional.ofNullable(shown.remove(removed))
                        .ifPresent(tab -> tabPane.getTabs().remove(tab)));
                change.getAddedSubList().forEach(this::addTab);
            }
        });
        workspace.selectedProperty().addListener((property, before, after) -> {
            int index = after.intValue() + 1;
            if (index < tabPane.getTabs().size() && tabPane.getSelectionModel().getSelectedIndex() != index) {
                tabPane.getSelectionModel().select(index);
            }
        });
        tabPane.getSelectionModel().selectedIndexProperty().addListener((property, before, after) -> {
            if (after.intValue() >= 0 && after.intValue() - 1 != workspace.selectedProperty().get()) {
                workspace.select(after.intValue() - 1);
            }
        });
        setCenter(tabPane);
        Label message = new Label();
        message.setId("workspace-message");
        message.textProperty().bind(workspace.messageProperty());
        message.setPadding(new Insets(2, 8, 2, 8));
        setBottom(message);
    }

    /**
     * The notebook view of an open tab.
     *
     * @param tab the tab
     * @return its view, when shown
     */
    public Optional<NotebookView> viewOf(NotebookTab tab) {
        return Optional.ofNullable(shown.get(tab)).map(shownTab -> (NotebookView) shownTab.getContent());
    }

    private void addTab(NotebookTab notebookTab) {
        Tab tab = new Tab();
        tab.textProperty().bind(notebookTab.title());
        tab.setContent(new NotebookView(notebookTab.notebook()));
        tab.setOnCloseRequest(event -> {
            event.consume();
            if (confirmClose(notebookTab)) {
                workspace.close(notebookTab);
            }
        });
        shown.put(notebookTab, tab);
        tabPane.getTabs().add(workspace.tabs().indexOf(notebookTab) + 1, tab);
        tabPane.getSelectionModel().select(tab);
    }

    private boolean confirmClose(NotebookTab tab) {
        if (!tab.notebook().dirtyProperty().get()) {
            return true;
        }
        ButtonType save = new ButtonType("Save", ButtonBar.ButtonData.YES);
        ButtonType discard = new ButtonType("Don't save", ButtonBar.ButtonData.NO);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, tab.notebook().file().path()
                + " has unsaved changes.", save, discard, ButtonType.CANCEL);
        alert.initOwner(window());
        alert.setHeaderText("Save before closing?");
        Optional<ButtonType> answer = alert.showAndWait();
        if (answer.isEmpty() || answer.get() == ButtonType.CANCEL) {
            return false;
        }
        if (answer.get() == save) {
            tab.notebook().save().thenRun(() -> workspace.close(tab));
            return false;
        }
        return true;
    }

    private Window window() {
        return getScene() == null ? null : getScene().getWindow();
    }

    private VBox homeScreen() {
        Label title = new Label("Quire");
        title.getStyleClass().add("title-1");

        Button openFile = new Button("Open notebook\u2026");
        openFile.setId("open-notebook");
        openFile.setOnAction(event -> {
            FileChooser chooser = new FileChooser();
            chooser.setInitialDirectory(initialFolder());
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Notebooks", "*.ipynb"));
            File file = chooser.showOpenDialog(window());
            if (file != null) {
                workspace.openLocal(file.toPath());
            }
        });
        Button openFolder = new Button("Open folder\u2026");
        openFolder.setId("open-folder");
        openFolder.setOnAction(event -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setInitialDirectory(initialFolder());
            File dir = chooser.showDialog(window());
            if (dir != null) {
                workspace.openFolder(dir.toPath());
            }
        });

        ComboBox<KernelSpecInfo> specs = new ComboBox<>();
        specs.setId("kernel-specs");
        specs.setPromptText("Kernel");
        specs.setCellFactory(list -> new SpecCell());
        specs.setButtonCell(new SpecCell());
        workspace.kernelSpecs().thenAccept(found -> {
            specs.getItems().setAll(found);
            if (!found.isEmpty()) {
                specs.getSelectionModel().selectFirst();
            }
        });
        Button newNotebook = new Button("New notebook\u2026");
        newNotebook.setId("new-notebook");
        newNotebook.disableProperty().bind(specs.getSelectionModel().selectedItemProperty().isNull());
        newNotebook.setOnAction(event -> {
            FileChooser chooser = new FileChooser();
            chooser.setInitialDirectory(initialFolder());
            chooser.setInitialFileName("Untitled.ipynb");
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Notebooks", "*.ipynb"));
            File file = chooser.showSaveDialog(window());
            if (file != null) {
                String name = file.getName().endsWith(".ipynb") ? file.getName() : file.getName() + ".ipynb";
                workspace.newLocalNotebook(file.toPath().resolveSibling(name),
                        specs.getSelectionModel().getSelectedItem());
            }
        });
        HBox actions = new HBox(8, openFile, openFolder, new Label("  "), specs, newNotebook);

        ListView<RecentNotebook> recent = new ListView<>(workspace.recent());
        recent.setId("recent");
        recent.setPrefHeight(220);
        recent.setPlaceholder(new Label("No recent notebooks"));
        recent.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(RecentNotebook item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.label());
            }
        });
        recent.setOnMouseClicked(event -> {
            if (event.getClickCount() == 2 && recent.getSelectionModel().getSelectedItem() != null) {
                workspace.openRecent(recent.getSelectionModel().getSelectedItem());
            }
        });
        recent.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.ENTER && recent.getSelectionModel().getSelectedItem() != null) {
                workspace.openRecent(recent.getSelectionModel().getSelectedItem());
            }
        });

        Label folderTitle = new Label();
        folderTitle.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> workspace.folderProperty().get() == null ? "" : "Notebooks in " + workspace.folderProperty().get(),
                workspace.folderProperty()));
        ListView<Path> folder = new ListView<>(workspace.folderNotebooks());
        folder.setId("folder-notebooks");
        folder.setPrefHeight(160);
        folder.visibleProperty().bind(workspace.folderProperty().isNotNull());
        folder.managedProperty().bind(folder.visibleProperty());
        folder.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(Path item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null
                        : workspace.folderProperty().get() == null ? item.toString()
                        : workspace.folderProperty().get().relativize(item).toString());
            }
        });
        folder.setOnMouseClicked(event -> {
            if (event.getClickCount() == 2 && folder.getSelectionModel().getSelectedItem() != null) {
                workspace.openLocal(folder.getSelectionModel().getSelectedItem());
            }
        });

        VBox box = new VBox(10, title, actions, new Label("Recent notebooks"), recent, folderTitle, folder,
                remoteSection());
        box.getStyleClass().add("home");
        box.setPadding(new Insets(16));
        return box;
    }

    private File initialFolder() {
        Path folder = Optional.ofNullable(workspace.folderProperty().get()).orElse(Path.of(System.getProperty(
                "user.home")));
        return folder.toFile().isDirectory() ? folder.toFile() : null;
    }

    private VBox remoteSection() {
        ListView<URI> servers = new ListView<>(workspace.remoteServers());
        servers.setId("remote-servers");
        servers.setPrefHeight(90);
        servers.setPlaceholder(new Label("No remote servers"));
        TextField path = new TextField();
        path.setId("remote-path");
        path.setPromptText("notebook path on the server, e.g. reports/daily.ipynb");
        Button open = new Button("Open");
        open.setId("remote-open");
        open.disableProperty().bind(servers.getSelectionModel().selectedItemProperty().isNull()
                .or(path.textProperty().isEmpty()));
        open.setOnAction(event -> {
            URI server = servers.getSelectionModel().getSelectedItem();
            Optional<ServerConnection> connection = workspace.remote(server);
            if (connection.isEmpty()) {
                connectDialog(server.toString());
            } else {
                workspace.openRemote(connection.get(), path.getText().strip());
            }
        });
        Button connect = new Button("Connect to server\u2026");
        connect.setId("connect-server");
        connect.setOnAction(event -> connectDialog(""));
        Button forget = new Button("Forget");
        forget.disableProperty().bind(servers.getSelectionModel().selectedItemProperty().isNull());
        forget.setOnAction(event -> workspace.forget(servers.getSelectionModel().getSelectedItem()));
        return new VBox(6, new Label("Remote servers"), servers, new HBox(8, path, open, connect, forget));
    }

    private void connectDialog(String url) {
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.setTitle("Connect to a Quire server");
        dialog.initOwner(window());
        TextField address = new TextField(url);
        address.setId("connect-url");
        address.setPromptText("https://quire.example.org/");
        PasswordField token = new PasswordField();
        token.setId("connect-token");
        Label storage = new Label(workspace.tokenStorage());
        storage.setWrapText(true);
        storage.setMaxWidth(460);
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        grid.addRow(0, new Label("URL"), address);
        grid.addRow(1, new Label("Token"), token);
        grid.add(storage, 0, 2, 2, 1);
        dialog.getDialogPane().setContent(grid);
        ButtonType connect = new ButtonType("Connect", ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().addAll(connect, ButtonType.CANCEL);
        dialog.showAndWait().filter(answer -> answer == connect)
                .ifPresent(answer -> workspace.connect(address.getText(), token.getText()));
    }

    private static final class SpecCell extends ListCell<KernelSpecInfo> {
        @Override
        protected void updateItem(KernelSpecInfo item, boolean empty) {
            super.updateItem(item, empty);
            setText(empty || item == null ? null : item.displayName());
        }
    }
}
