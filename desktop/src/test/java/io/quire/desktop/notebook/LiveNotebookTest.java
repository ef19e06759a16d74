package io.quire.desktop.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.client.QuireClient;
import io.quire.client.rtu.CollabSession;
import io.quire.client.rtu.RtuClient;
import io.quire.collab.Delta;
import io.quire.collab.TextOperation;
import io.quire.collab.rtu.RtuEvent;
import io.quire.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The view model in live mode (decision 0026), without a stage: the embedded server's real-time channel, the view
 * model on a single "UI" thread, and a second SDK client on the same notebook.
 */
class LiveNotebookTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private ExecutorService uiThread;
    private LiveServer live;
    private NotebookViewModel notebook;
    private CollabSession other;
    private final List<RtuEvent.Server> otherEvents = new CopyOnWriteArrayList<>();
    private Path file;

    @BeforeEach
    void open() throws Exception {
        live = new LiveServer(dir, """
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                 "cells": [
                  {"id": "c1", "cell_type": "code", "source": "hello world", "metadata": {}, "execution_count": null,
                   "outputs": []},
                  {"id": "c2", "cell_type": "markdown", "source": "# two", "metadata": {}},
                  {"id": "c3", "cell_type": "code", "source": "three", "metadata": {}, "execution_count": null,
                   "outputs": []}
                 ]}
                """);
        file = live.file;
        uiThread = live.ui();
        QuireClient client = live.client;
        RtuClient rtu = live.rtu;
        NotebookDocument document = NotebookDocument.load(client, "live.ipynb");
        notebook = onUi(() -> NotebookViewModel.builder(client, document).ui(uiThread).build());
        assertThat(notebook.goLive(rtu).get(30, TimeUnit.SECONDS)).isTrue();
        other = rtu.open(document.file().id(), WAIT, otherEvents::add);
    }

    @AfterEach
    void close() throws Exception {
        if (live != null) {
            live.close(notebook, other);
        }
    }

    /** Runs on the view model's thread (directly when already there). */
    private <T> T onUi(Callable<T> action) throws Exception {
        return live.onUi(action);
    }

    private CellViewModel cell(String id) throws Exception {
        return onUi(() -> notebook.cells().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow());
    }

    private String source(String id) throws Exception {
        return onUi(() -> cell(id).sourceProperty().get());
    }

    private static String otherSource(CollabSession session, String id) {
        return session.cellJson(id).map(json -> CellViewModel.text(json.path("source"))).orElse("<none>");
    }

    private void awaitUi(String what, Callable<Boolean> condition) {
        Await.until(WAIT, what, () -> {
            try {
                return onUi(condition);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static TextOperation insertAt(String text, int at, String inserted) {
        return TextOperation.builder().retain(at).insert(inserted).retain(text.length() - at).build();
    }

    private void otherTypes(String cellId, int at, String text) {
        other.edit(header -> new Delta.EditSource(header, cellId, insertAt(otherSource(other, cellId), at, text)));
    }

    @Test
    void goingLive_marksTheNotebookLive_andShowsTheServersDocument() throws Exception {
        assertThat(onUi(() -> notebook.liveProperty().get())).isTrue();
        assertThat(onUi(() -> notebook.cells().stream().map(CellViewModel::id).toList()))
                .containsExactly("c1", "c2", "c3");
        assertThat(onUi(() -> notebook.dirtyProperty().get())).isFalse();
    }

    @Test
    void localTyping_leavesAsAnInsertDelta_notAWholeCellReplace() throws Exception {
        onUi(() -> {
            cell("c1").sourceProperty().set("hello, world");
            return null;
        });
        Await.until(WAIT, "the other client sees the typing", () -> otherSource(other, "c1").equals("hello, world"));
        Delta.EditSource edit = otherEvents.stream().filter(RtuEvent.DeltaEvent.class::isInstance)
                .map(event -> ((RtuEvent.DeltaEvent) event).delta().delta())
                .filter(Delta.EditSource.class::isInstance).map(Delta.EditSource.class::cast).findFirst()
                .orElseThrow();
        assertThat(edit.operation()).isEqualTo(insertAt("hello world", 5, ","));
        assertThat(onUi(() -> notebook.dirtyProperty().get())).isTrue();
    }

    @Test
    void remoteInsertBeforeTheCaret_movesTheCaret_andOneAfterItDoesNot() throws Exception {
        onUi(() -> {
            cell("c1").caretProperty().set(6); // "hello |world"
            cell("c1").anchorProperty().set(6);
            return null;
        });
        otherTypes("c1", 0, ">> ");
        awaitUi("the remote insert shows", () -> cell("c1").sourceProperty().get().equals(">> hello world"));
        assertThat(onUi(() -> cell("c1").caretProperty().get())).isEqualTo(9);
        otherTypes("c1", 14, "!");
        awaitUi("the second insert shows", () -> cell("c1").sourceProperty().get().equals(">> hello world!"));
        assertThat(onUi(() -> cell("c1").caretProperty().get())).isEqualTo(9);
        assertThat(onUi(() -> cell("c1").anchorProperty().get())).isEqualTo(9);
    }

    @Test
    void concurrentEditsOfOneCell_bothStay_andConverge() throws Exception {
        // both type before seeing the other's change
        onUi(() -> {
            cell("c3").sourceProperty().set("three!");
            otherTypes("c3", 0, "#");
            return null;
        });
        other.awaitQuiet(WAIT);
        awaitUi("the app has both edits", () -> cell("c3").sourceProperty().get().equals("#three!"));
        Await.until(WAIT, "the other client has both edits", () -> otherSource(other, "c3").equals("#three!"));
        other.awaitQuiet(WAIT);
        assertThat(onUi(() -> notebook.toJson().path("cells").get(2).path("source").asText()))
                .isEqualTo(otherSource(other, "c3"));
    }

    @Test
    void remoteCellInsertDeleteAndMove_areReflected_keepingTheSelection() throws Exception {
        onUi(() -> {
            notebook.select(2); // c3
            return null;
        });
        ObjectNode cell = JsonNodeFactory.instance.objectNode();
        cell.put("id", "n1");
        cell.put("cell_type", "code");
        cell.putObject("metadata");
        cell.put("source", "new");
        cell.putNull("execution_count");
        cell.putArray("outputs");
        other.insertCell(1, cell);
        awaitUi("the insert shows", () -> ids().equals(List.of("c1", "n1", "c2", "c3")));
        assertThat(onUi(() -> notebook.selectedCell().id())).isEqualTo("c3");
        assertThat(source("n1")).isEqualTo("new");

        other.edit(header -> new Delta.MoveCell(header, "c1", 3));
        awaitUi("the move shows", () -> ids().equals(List.of("n1", "c2", "c3", "c1")));
        other.edit(header -> new Delta.DeleteCell(header, "c2"));
        awaitUi("the delete shows", () -> ids().equals(List.of("n1", "c3", "c1")));
        assertThat(onUi(() -> notebook.selectedCell().id())).isEqualTo("c3");
        other.edit(header -> new Delta.SetCellType(header, "n1", "markdown"));
        awaitUi("the type change shows", () -> cell("n1").typeProperty().get() == CellType.MARKDOWN);
    }

    @Test
    void localCellInsertDeleteMoveAndTypeChange_reachTheOtherClient() throws Exception {
        onUi(() -> {
            notebook.select(0);
            notebook.perform(NotebookCommand.INSERT_BELOW);
            notebook.selectedCell().sourceProperty().set("mine");
            notebook.perform(NotebookCommand.MOVE_DOWN);
            notebook.select(3);
            notebook.perform(NotebookCommand.TO_MARKDOWN);
            return null;
        });
        List<String> expected = ids();
        Await.until(WAIT, "the other client has the same cells " + expected, () -> other.cellIds().equals(expected));
        String mine = expected.get(2);
        assertThat(otherSource(other, mine)).isEqualTo("mine");
        Await.until(WAIT, "the type change arrives",
                () -> other.cellJson("c3").orElseThrow().path("cell_type").asText().equals("markdown"));
        onUi(() -> {
            notebook.select(2);
            notebook.perform(NotebookCommand.DELETE);
            return null;
        });
        Await.until(WAIT, "the delete arrives", () -> !other.cellIds().contains(mine));
    }

    @Test
    void presence_listsTheOtherClientOnItsCell_andTheAppsSelectionReachesIt() throws Exception {
        other.presence(Optional.of("c2"), Optional.of(new RtuEvent.Selection(1, 1)));
        awaitUi("the other client is listed", () -> notebook.collaborators().size() == 1);
        Collaborator them = onUi(() -> notebook.collaborators().getFirst());
        assertThat(them.clientId()).isEqualTo(other.clientId());
        assertThat(them.cellId()).contains("c2");
        assertThat(them.cursor()).contains(1);
        assertThat(onUi(() -> cell("c2").collaboratorsProperty().get())).containsExactly(them);
        assertThat(onUi(() -> cell("c1").collaboratorsProperty().get())).isEmpty();

        onUi(() -> {
            notebook.select(2);
            return null;
        });
        Await.until(WAIT, "the app's selection reaches the other client", () -> other.presence().values().stream()
                .anyMatch(presence -> presence.cellId().filter("c3"::equals).isPresent()));

        other.close();
        other = null;
        awaitUi("the other client left", () -> notebook.collaborators().isEmpty()
                && cell("c2").collaboratorsProperty().get().isEmpty());
    }

    @Test
    void save_writesTheLiveDocumentToTheFile_everyonesEdits() throws Exception {
        onUi(() -> {
            cell("c1").sourceProperty().set("hello world!");
            return null;
        });
        otherTypes("c3", 0, "# ");
        other.awaitQuiet(WAIT);
        awaitUi("the app has the other edit", () -> cell("c3").sourceProperty().get().equals("# three"));
        onUi(() -> notebook.save()).get(30, TimeUnit.SECONDS);
        var written = JSON.readTree(Files.readString(file));
        assertThat(written.path("cells").get(0).path("source").asText()).isEqualTo("hello world!");
        assertThat(written.path("cells").get(2).path("source").asText()).isEqualTo("# three");
        assertThat(onUi(() -> notebook.dirtyProperty().get())).isFalse();

        // a second save after more edits: nothing is merged twice
        onUi(() -> {
            cell("c1").sourceProperty().set("hello world!!");
            return null;
        });
        onUi(() -> notebook.save()).get(30, TimeUnit.SECONDS);
        written = JSON.readTree(Files.readString(file));
        assertThat(written.path("cells").get(0).path("source").asText()).isEqualTo("hello world!!");
        assertThat(written.path("cells").get(2).path("source").asText()).isEqualTo("# three");
        other.awaitSeq(other.seq(), WAIT);
        Await.until(WAIT, "the other client ends on the same text",
                () -> otherSource(other, "c1").equals("hello world!!"));
    }

    private List<String> ids() throws Exception {
        return onUi(() -> notebook.cells().stream().map(CellViewModel::id).toList());
    }
}
