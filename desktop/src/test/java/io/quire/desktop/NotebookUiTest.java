package io.quire.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quire.desktop.notebook.NotebookView;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.testing.Await;
import io.quire.testing.Engines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javafx.scene.Scene;
import javafx.scene.control.ListCell;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.fxmisc.richtext.CodeArea;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * The editor end to end, headless (TestFX + Monocle): the embedded server, a notebook opened through the SDK, typing,
 * Shift+Enter, outputs on screen, Ctrl+S, reopening.
 */
class NotebookUiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Stage stage;

    @TempDir
    Path dir;
    private EmbeddedServer server;
    private final FxRobot robot = new FxRobot();

    @BeforeAll
    static void toolkit() throws Exception {
        stage = FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void stop() throws Exception {
        FxToolkit.cleanupStages();
        if (server != null) {
            server.close();
        }
    }

    private Path fakeServer() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        server = EmbeddedServer.start(root, FakeKernelProvisioner.registry(Files.createDirectories(dir.resolve("data"))),
                Optional.of(FakeKernelProvisioner.create()), Optional.of(FakeKernelProvisioner.KERNEL_NAME));
        return root;
    }

    private NotebookView show(String path) throws Exception {
        NotebookView view = DesktopApp.openNotebook(server.connection(), path).get(30, TimeUnit.SECONDS);
        FxToolkit.setupStage(window -> {
            Scene scene = new Scene(view, 900, 700);
            Theme.LIGHT.apply(scene);
            window.setScene(scene);
            window.show();
        });
        robot.interact(() -> { });
        return view;
    }

    private static void write(Path file, String firstSource) throws Exception {
        Files.writeString(file, """
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3",
                 "display_name": "Python 3", "language": "python"}},
                 "cells": [{"id": "c1", "cell_type": "code", "source": %s, "metadata": {},
                            "execution_count": null, "outputs": []},
                           {"id": "m1", "cell_type": "markdown", "source": "# Heading", "metadata": {}}]}
                """.formatted(JSON.writeValueAsString(firstSource)));
    }

    private boolean outputShows(String text) {
        return FxThread.call(() -> robot.lookup(".output-text").queryAll().stream()
                .anyMatch(node -> node instanceof Text t && t.getText().contains(text)));
    }

    private void editFirstCellRunAndSave(String code, String expected, Duration timeout) {
        CodeArea editor = robot.lookup(".cell-editor").queryAs(CodeArea.class);
        robot.clickOn(editor);
        robot.interact(() -> editor.selectAll());
        robot.write(code);
        robot.press(KeyCode.SHIFT, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.SHIFT);
        Await.until(timeout, "output " + expected + " on screen", () -> outputShows(expected));
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        robot.press(KeyCode.CONTROL, KeyCode.S).release(KeyCode.S, KeyCode.CONTROL);
    }

    @Test
    void typeRunSaveReopen_onFakeKernels() throws Exception {
        Path root = fakeServer();
        write(root.resolve("demo.ipynb"), "print:nothing yet");
        NotebookView view = show("demo.ipynb");
        assertThat(robot.lookup(".md-h1-text").queryAll()).as("the markdown cell is rendered").isNotEmpty();

        editFirstCellRunAndSave("print:hello from the desktop", "hello from the desktop", Duration.ofSeconds(30));
        Await.until(Duration.ofSeconds(10), "saved", () -> !view.viewModel().dirtyProperty().get());
        assertThat(view.viewModel().cells().getFirst().prompt()).isEqualTo("[1]:");

        JsonNode saved = JSON.readTree(root.resolve("demo.ipynb").toFile());
        assertThat(saved.path("cells").get(0).path("source").asText()).isEqualTo("print:hello from the desktop");
        assertThat(saved.path("cells")).as("Shift+Enter advanced to the markdown cell, adding none").hasSize(2);
        FxToolkit.cleanupStages();

        show("demo.ipynb");
        assertThat(outputShows("hello from the desktop")).as("the output after reopening").isTrue();
    }

    @Test
    void commandModeKeys_insertAndDeleteCells() throws Exception {
        Path root = fakeServer();
        write(root.resolve("keys.ipynb"), "print:x");
        NotebookView view = show("keys.ipynb");
        robot.clickOn(robot.lookup(".cell-editor").queryAs(CodeArea.class));
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        robot.type(KeyCode.B);
        assertThat(view.viewModel().cells()).hasSize(3);
        robot.type(KeyCode.D, KeyCode.D);
        assertThat(view.viewModel().cells()).hasSize(2);
        robot.type(KeyCode.Z);
        assertThat(view.viewModel().cells()).hasSize(3);
        assertThat(view.viewModel().dirtyProperty().get()).isTrue();
    }

    @Test
    void richOutputs_render() throws Exception {
        Path root = fakeServer();
        String png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
        write(root.resolve("rich.ipynb"), "display:image/png:" + png + "\n"
                + "display:text/html:<table><thead><tr><th>col</th></tr></thead><tbody><tr><td>v1</td></tr></tbody></table>\n"
                + "stderr:\u001b[31mred warning\u001b[0m\n"
                + "error:ZeroDivisionError:division by zero");
        NotebookView view = show("rich.ipynb");
        java.util.concurrent.CompletableFuture<?>[] run = new java.util.concurrent.CompletableFuture<?>[1];
        robot.interact(() -> run[0] = view.viewModel().runAll());
        run[0].get(30, TimeUnit.SECONDS);
        robot.interact(() -> { });
        assertThat(robot.lookup(".output-image").queryAll()).hasSize(1);
        assertThat(robot.lookup(".html-table .td").queryAll()).isNotEmpty();
        assertThat(outputShows("red warning")).isTrue();
        Text red = (Text) robot.lookup(".output-text").queryAll().stream()
                .filter(node -> ((Text) node).getText().contains("red warning")).findFirst().orElseThrow();
        assertThat(red.getFill()).isEqualTo(javafx.scene.paint.Color.rgb(0xE7, 0x5C, 0x58));
        assertThat(robot.lookup(".error-output").queryAll()).isNotEmpty();
    }

    private void runAll(NotebookView view) throws Exception {
        java.util.concurrent.CompletableFuture<?>[] run = new java.util.concurrent.CompletableFuture<?>[1];
        robot.interact(() -> run[0] = view.viewModel().runAll());
        run[0].get(30, TimeUnit.SECONDS);
        robot.interact(() -> { });
    }

    @Test
    void updateDisplayData_replacesTheDisplay_asInJupyterLab() throws Exception {
        Path root = fakeServer();
        write(root.resolve("update.ipynb"), "display-id:d1:text/plain:first version\nprint:between\n"
                + "update:d1:text/plain:second version");
        NotebookView view = show("update.ipynb");
        runAll(view);
        Await.until(Duration.ofSeconds(10), "the updated display", () -> outputShows("second version"));
        assertThat(outputShows("first version")).isFalse();
        assertThat(outputShows("between")).as("the update appends nothing and keeps the order").isTrue();
        assertThat(view.viewModel().cells().getFirst().outputs()).hasSize(2);
    }

    @Test
    void clearOutputWait_keepsOnlyWhatCameAfter_asInJupyterLab() throws Exception {
        Path root = fakeServer();
        write(root.resolve("clear.ipynb"), "print:old line\nclear:wait\nprint:new line");
        NotebookView view = show("clear.ipynb");
        runAll(view);
        Await.until(Duration.ofSeconds(10), "the new output", () -> outputShows("new line"));
        assertThat(outputShows("old line")).isFalse();
    }

    @Test
    void aThousandCells_openVirtualised_andTheFirstScreenIsMeasured() throws Exception {
        Path root = fakeServer();
        BenchmarkNotebook.write(root.resolve("big.ipynb"), 1000);
        long started = System.nanoTime();
        NotebookView view = DesktopApp.openNotebook(server.connection(), "big.ipynb").get(60, TimeUnit.SECONDS);
        AtomicLong firstScreen = new AtomicLong();
        AtomicInteger cells = new AtomicInteger();
        FxToolkit.setupStage(window -> {
            Scene scene = new Scene(view, 900, 700);
            Theme.LIGHT.apply(scene);
            FirstScreen.measure(scene, view, count -> {
                cells.set(count);
                firstScreen.set(System.nanoTime() - started);
            });
            window.setScene(scene);
            window.show();
        });
        Await.until(Duration.ofSeconds(60), "first screen", () -> firstScreen.get() > 0);
        System.err.println("desktop: 1000-cell notebook, first screen after " + firstScreen.get() / 1_000_000 + " ms");
        assertThat(cells.get()).isEqualTo(1000);
        long rows = robot.lookup(".notebook-cell").queryAll().stream()
                .filter(node -> node instanceof ListCell<?> cell && cell.getItem() != null).count();
        assertThat(rows).as("only the visible cells have nodes").isBetween(1L, 60L);
    }

    @Test
    void typeRunSaveReopen_onARealIpykernel() throws Exception {
        Engines.requireIpykernel();
        Path root = Files.createDirectories(dir.resolve("ipy"));
        server = EmbeddedServer.start(root, KernelSpecRegistry.create(), Optional.empty(), Optional.of("python3"));
        write(root.resolve("py.ipynb"), "x = 1");
        NotebookView view = show("py.ipynb");
        editFirstCellRunAndSave("print(6 * 7)", "42", Duration.ofSeconds(90));
        Await.until(Duration.ofSeconds(10), "saved", () -> !view.viewModel().dirtyProperty().get());
        FxToolkit.cleanupStages();
        show("py.ipynb");
        assertThat(outputShows("42")).isTrue();
        JsonNode saved = JSON.readTree(root.resolve("py.ipynb").toFile());
        assertThat(saved.path("cells").get(0).path("execution_count").asInt()).isEqualTo(1);
    }
}
