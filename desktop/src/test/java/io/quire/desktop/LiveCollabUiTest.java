package io.quire.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quire.client.rtu.CollabSession;
import io.quire.client.rtu.RtuClient;
import io.quire.collab.Delta;
import io.quire.collab.TextOperation;
import io.quire.collab.rtu.RtuEvent;
import io.quire.desktop.notebook.NotebookView;
import io.quire.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.fxmisc.richtext.CodeArea;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * Issue 7's desktop acceptance, headless (TestFX + Monocle): the app's window on the embedded server and an SDK
 * client on the same notebook. The SDK client's edit appears in the app, the app's typing reaches the SDK client's
 * document, the SDK client's presence shows in the toolbar and on its cell, and both end on one document, which Save
 * writes to the file. No kernel is started.
 */
class LiveCollabUiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Stage stage;

    @TempDir
    Path dir;
    private EmbeddedServer server;
    private CollabSession sdk;
    private final FxRobot robot = new FxRobot();

    @BeforeAll
    static void toolkit() throws Exception {
        stage = FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void stop() throws Exception {
        FxToolkit.cleanupStages();
        if (sdk != null) {
            sdk.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private List<CodeArea> editors() {
        return robot.lookup(".cell-editor").queryAllAs(CodeArea.class).stream()
                .filter(Node::isVisible).filter(editor -> editor.getScene() != null).toList();
    }

    private boolean appShows(String text) {
        return editors().stream().anyMatch(editor -> editor.getText().equals(text));
    }

    private static String sdkSource(CollabSession session, String cellId) {
        JsonNode source = session.cellJson(cellId).orElseThrow().path("source");
        if (source.isTextual()) {
            return source.textValue();
        }
        StringBuilder text = new StringBuilder();
        source.forEach(part -> text.append(part.asText()));
        return text.toString();
    }

    @Test
    void sdkEditsAndPresenceShowInTheApp_appTypingReachesTheSdk_andBothEndEqual() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path file = root.resolve("shared.ipynb");
        Files.writeString(file, """
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3",
                 "display_name": "Python 3", "language": "python"}},
                 "cells": [{"id": "c1", "cell_type": "code", "source": "x = 1", "metadata": {},
                            "execution_count": null, "outputs": []},
                           {"id": "c2", "cell_type": "code", "source": "y = 2", "metadata": {},
                            "execution_count": null, "outputs": []}]}
                """);
        server = EmbeddedServer.start(root);
        NotebookView view = DesktopApp.openNotebook(server.connection(), "shared.ipynb").get(30, TimeUnit.SECONDS);
        FxToolkit.setupStage(window -> {
            Scene scene = new Scene(view, 900, 700);
            Theme.LIGHT.apply(scene);
            window.setScene(scene);
            window.show();
        });
        robot.interact(() -> { });
        assertThat(view.viewModel().liveProperty().get()).as("the notebook is live on the embedded server").isTrue();
        assertThat(robot.lookup("#live-badge").queryAll()).isNotEmpty();

        sdk = RtuClient.create(server.connection().baseUrl(), server.connection().token())
                .open(view.viewModel().file().id(), WAIT);

        // the SDK client edits a cell: the text appears in the app
        sdk.edit(header -> new Delta.EditSource(header, "c1",
                TextOperation.builder().retain(5).insert("  # from the sdk").build()));
        Await.until(WAIT, "the SDK's edit in the app's editor", () -> appShows("x = 1  # from the sdk"));

        // the user types in the app: the SDK client's document gets it
        CodeArea second = editors().stream().filter(editor -> editor.getText().equals("y = 2")).findFirst()
                .orElseThrow();
        robot.clickOn(second);
        robot.interact(() -> second.moveTo(5));
        robot.write(" + 40");
        Await.until(WAIT, "the app's typing in the SDK's document", () -> sdkSource(sdk, "c2").equals("y = 2 + 40"));

        // the SDK client's presence: a badge in the toolbar and a mark on its cell
        sdk.presence(Optional.of("c1"), Optional.of(new RtuEvent.Selection(0, 0)));
        String shortId = sdk.clientId().substring(0, 4);
        Await.until(WAIT, "the SDK client's badge", () -> FxThread.call(() -> robot.lookup(".collaborator")
                .queryAll().stream().anyMatch(node -> ((Label) node).getText().contains(shortId))));
        Await.until(WAIT, "the SDK client's mark on its cell", () -> FxThread.call(() -> robot
                .lookup(".cell-collaborators").queryAll().stream().anyMatch(node -> node.isVisible()
                        && node.getScene() != null && ((Label) node).getText().contains(shortId))));

        // both end on one document; Save writes it to the file
        sdk.awaitQuiet(WAIT);
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        robot.press(KeyCode.CONTROL, KeyCode.S).release(KeyCode.S, KeyCode.CONTROL);
        Await.until(WAIT, "saved", () -> !view.viewModel().dirtyProperty().get());
        JsonNode[] app = new JsonNode[1];
        robot.interact(() -> app[0] = view.viewModel().toJson());
        for (String id : List.of("c1", "c2")) {
            int index = id.equals("c1") ? 0 : 1;
            assertThat(app[0].path("cells").get(index).path("source").asText()).isEqualTo(sdkSource(sdk, id));
        }
        assertThat(sdk.cellIds()).containsExactly("c1", "c2");
        JsonNode written = JSON.readTree(file.toFile());
        assertThat(written.path("cells").get(0).path("source").asText()).isEqualTo("x = 1  # from the sdk");
        assertThat(written.path("cells").get(1).path("source").asText()).isEqualTo("y = 2 + 40");
    }
}
