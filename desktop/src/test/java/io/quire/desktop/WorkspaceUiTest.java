package io.quire.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.desktop.home.ConfigDir;
import io.quire.desktop.home.FileTokens;
import io.quire.desktop.home.NotebookTab;
import io.quire.desktop.home.WorkspaceView;
import io.quire.desktop.home.WorkspaceViewModel;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.testing.Await;
import io.quire.testing.Engines;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.PasswordField;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
import org.fxmisc.richtext.CodeArea;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * The window headless (TestFX + Monocle): notebooks in tabs with dirty markers and Ctrl+S, the prompt for a file
 * changed on disk, and with a real ipykernel Tab completion and an inline {@code input()}.
 */
class WorkspaceUiTest {
    @TempDir
    Path dir;
    private EmbeddedServer server;
    private WorkspaceViewModel workspace;
    private Path root;
    private final FxRobot robot = new FxRobot();

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void stop() throws Exception {
        FxToolkit.cleanupStages();
        if (workspace != null) {
            WorkspaceViewModel closing = workspace;
            robot.interact(() -> closing.close());
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(boolean ipykernel) throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        server = ipykernel
                ? EmbeddedServer.start(root, KernelSpecRegistry.create(), Optional.empty(), Optional.of("python3"))
                : EmbeddedServer.start(root, FakeKernelProvisioner.registry(Files.createDirectories(dir.resolve("d"))),
                        Optional.of(FakeKernelProvisioner.create()), Optional.of(FakeKernelProvisioner.KERNEL_NAME));
        ConfigDir config = new ConfigDir(dir.resolve("config"));
        WorkspaceViewModel.Servers servers = new WorkspaceViewModel.Servers() {
            @Override
            public boolean live() {
                return false; // these tests are about file mode: changes on disk, conflicts, autosave of files
            }

            @Override
            public ServerConnection home() {
                return server.connection();
            }

            @Override
            public Path homeFolder() {
                return root;
            }

            @Override
            public WorkspaceViewModel.Located locate(Path file) {
                return new WorkspaceViewModel.Located(server.connection(),
                        root.relativize(file).toString().replace(File.separatorChar, '/'));
            }
        };
        FxToolkit.setupStage(window -> {
            workspace = new WorkspaceViewModel(servers, config, new FileTokens(config.path().resolve("t")),
                    command -> Thread.ofVirtual().start(command), Platform::runLater);
            Scene scene = new Scene(new WorkspaceView(workspace), 1000, 700);
            Theme.LIGHT.apply(scene);
            window.setScene(scene);
            window.show();
        });
    }

    private void write(String name, String source) throws Exception {
        Files.writeString(root.resolve(name), """
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3",
                 "display_name": "Python 3", "language": "python"}},
                 "cells": [{"id": "c1", "cell_type": "code", "source": "%s", "metadata": {},
                            "execution_count": null, "outputs": []}]}
                """.formatted(source));
    }

    private NotebookTab open(String name) throws Exception {
        java.util.concurrent.CompletableFuture<NotebookTab> opened = new java.util.concurrent.CompletableFuture<>();
        robot.interact(() -> workspace.openLocal(root.resolve(name)).whenComplete((tab, failure) -> {
            if (failure != null) {
                opened.completeExceptionally(failure);
            } else {
                opened.complete(tab);
            }
        }));
        NotebookTab tab = opened.get(30, TimeUnit.SECONDS);
        robot.interact(() -> { });
        return tab;
    }

    private List<String> tabTitles() {
        TabPane tabs = robot.lookup("#tabs").queryAs(TabPane.class);
        return tabs.getTabs().stream().map(Tab::getText).toList();
    }

    private CodeArea visibleEditor() {
        return robot.lookup(".cell-editor").queryAllAs(CodeArea.class).stream().filter(Node::isVisible)
                .filter(area -> area.getScene() != null && area.localToScreen(area.getBoundsInLocal()) != null
                        && area.getParent() != null && isShowing(area))
                .findFirst().orElseThrow();
    }

    private static boolean isShowing(Node node) {
        for (Node at = node; at != null; at = at.getParent()) {
            if (!at.isVisible()) {
                return false;
            }
        }
        return node.getLayoutBounds().getWidth() > 0;
    }

    @Test
    void twoNotebooksInTabs_anEditMarksTheTab_andCtrlSClearsIt() throws Exception {
        start(false);
        write("a.ipynb", "print:a");
        write("b.ipynb", "print:b");
        open("a.ipynb");
        NotebookTab b = open("b.ipynb");
        assertThat(tabTitles()).containsExactly("Home", "a.ipynb", "b.ipynb");

        CodeArea editor = visibleEditor();
        robot.clickOn(editor);
        robot.interact(() -> editor.selectAll());
        robot.write("print:edited");
        Await.until(Duration.ofSeconds(5), "the dirty marker", () -> tabTitles().contains("b.ipynb *"));
        assertThat(tabTitles()).contains("a.ipynb");

        robot.press(KeyCode.CONTROL, KeyCode.S).release(KeyCode.S, KeyCode.CONTROL);
        Await.until(Duration.ofSeconds(10), "the marker cleared by Ctrl+S", () -> tabTitles().contains("b.ipynb"));
        assertThat(Files.readString(root.resolve("b.ipynb"))).contains("print:edited");
        assertThat(b.notebook().dirtyProperty().get()).isFalse();
    }

    @Test
    void aFileChangedOnDisk_showsThePrompt_andReloadShowsTheNewVersion() throws Exception {
        start(false);
        write("a.ipynb", "print:a");
        NotebookTab a = open("a.ipynb");
        Node bar = robot.lookup("#conflict-bar").query();
        assertThat(bar.isVisible()).isFalse();

        Path file = root.resolve("a.ipynb");
        FileTime before = Files.getLastModifiedTime(file);
        write("a.ipynb", "print:changed elsewhere");
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 5000));
        robot.interact(() -> {
            workspace.checkForChanges();
        });
        Await.until(Duration.ofSeconds(10), "the conflict prompt", bar::isVisible);
        assertThat(robot.lookup("#conflict-reload").tryQuery()).isPresent();
        assertThat(robot.lookup("#conflict-keep").tryQuery()).isPresent();
        assertThat(robot.lookup("#conflict-save-as").tryQuery()).isPresent();

        robot.clickOn("#conflict-reload");
        Await.until(Duration.ofSeconds(10), "the prompt gone", () -> !bar.isVisible());
        assertThat(a.notebook().cells().getFirst().sourceProperty().get()).isEqualTo("print:changed elsewhere");
        Await.until(Duration.ofSeconds(5), "the editor showing it",
                () -> visibleEditor().getText().equals("print:changed elsewhere"));
    }

    @Test
    void tabCompletesPri_toPrint_withARealIpykernel() throws Exception {
        Engines.requireIpykernel();
        start(true);
        write("c.ipynb", "");
        open("c.ipynb");
        CodeArea editor = visibleEditor();
        robot.clickOn(editor);
        robot.write("pri");
        robot.press(KeyCode.TAB).release(KeyCode.TAB);
        Await.until(Duration.ofSeconds(90), "print completed", () -> {
            if (editor.getText().equals("pri")) {
                // several matches: the popup lists them; pick "print"
                robot.lookup("#completion-popup").tryQuery().ifPresent(popup -> {
                    @SuppressWarnings("unchecked")
                    javafx.scene.control.ListView<String> list = (javafx.scene.control.ListView<String>) popup;
                    robot.interact(() -> list.getSelectionModel().select("print"));
                    robot.press(KeyCode.ENTER).release(KeyCode.ENTER);
                });
            }
            return editor.getText().equals("print");
        });
        Await.until(Duration.ofSeconds(5), "the caret after the match", () -> editor.getCaretPosition() == 5);
        assertThat(robot.lookup("#completion-popup").tryQuery()).as("no popup left open").isEmpty();
    }

    @Test
    void input_isAnsweredInline_withARealIpykernel() throws Exception {
        Engines.requireIpykernel();
        start(true);
        write("i.ipynb", "");
        NotebookTab tab = open("i.ipynb");
        CodeArea editor = visibleEditor();
        robot.clickOn(editor);
        robot.interact(() -> tab.notebook().cells().getFirst().sourceProperty()
                .set("name = input('Name? ')\nprint('hello', name)"));
        robot.press(KeyCode.SHIFT, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.SHIFT);

        Await.until(Duration.ofSeconds(90), "the input field", () -> FxThread.call(() -> robot
                .lookup("#input-field").tryQuery().isPresent()));
        TextField field = FxThread.call(() -> robot.lookup("#input-field").queryAs(TextField.class));
        assertThat(field).isNotInstanceOf(PasswordField.class);
        robot.clickOn(field);
        robot.write("Ada");
        robot.press(KeyCode.ENTER).release(KeyCode.ENTER);

        Await.until(Duration.ofSeconds(30), "the greeting", () -> FxThread.call(() -> robot.lookup(".output-text")
                .queryAll().stream().anyMatch(node -> node instanceof Text text
                        && text.getText().contains("hello Ada"))));
        assertThat(FxThread.call(() -> robot.lookup("#input-field").tryQuery())).isEmpty();
    }
}
