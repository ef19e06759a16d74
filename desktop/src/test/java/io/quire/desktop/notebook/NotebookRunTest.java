package io.quire.desktop.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quire.client.QuireClient;
import io.quire.desktop.EmbeddedServer;
import io.quire.kernel.FakeKernelProvisioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The view model's runs and saves against the embedded server over in-JVM fake kernels (no stage). */
class NotebookRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private EmbeddedServer server;
    private QuireClient client;
    private Path root;

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        server = EmbeddedServer.start(root, FakeKernelProvisioner.registry(Files.createDirectories(dir.resolve("data"))),
                Optional.of(FakeKernelProvisioner.create()), Optional.of(FakeKernelProvisioner.KERNEL_NAME));
        client = server.connection().client();
        Files.writeString(root.resolve("n.ipynb"), """
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                 "cells": [{"id": "a", "cell_type": "code", "source": "print:old", "metadata": {},
                            "execution_count": null, "outputs": []},
                           {"id": "b", "cell_type": "markdown", "source": "# Notes", "metadata": {}}]}
                """);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String text(JsonNode multiline) {
        return CellViewModel.text(multiline);
    }

    private NotebookViewModel open() {
        return NotebookViewModel.builder(client, NotebookDocument.load(client, "n.ipynb"))
                .pollInterval(Duration.ofMillis(20)).build();
    }

    @Test
    void runningAnEditedCell_savesItFirst_andShowsTheServersOutputs() throws Exception {
        NotebookViewModel notebook = open();
        CellViewModel cell = notebook.cells().getFirst();
        cell.sourceProperty().set("print:hello\nresult:42");
        notebook.run(cell).get(30, TimeUnit.SECONDS);
        assertThat(cell.stateProperty().get()).isEqualTo(CellState.DONE);
        assertThat(cell.outputs()).extracting(output -> output.path("output_type").asText())
                .containsExactly("stream", "execute_result");
        assertThat(text(cell.outputs().getFirst().path("text"))).isEqualTo("hello\n");
        assertThat(cell.executionCountProperty().get()).hasValue(1);
        assertThat(cell.elapsedProperty().get()).isPresent();
        assertThat(notebook.dirtyProperty().get()).isFalse();
        JsonNode saved = JSON.readTree(root.resolve("n.ipynb").toFile());
        assertThat(saved.path("cells").get(0).path("source").asText()).isEqualTo("print:hello\nresult:42");
        assertThat(saved.path("cells").get(0).path("outputs").get(1).path("data").path("text/plain").asText())
                .isEqualTo("42");
    }

    @Test
    void clearOutputWait_keepsOnlyWhatCameAfterIt() throws Exception {
        NotebookViewModel notebook = open();
        CellViewModel cell = notebook.cells().getFirst();
        cell.sourceProperty().set("print:before\nclear:wait\nprint:after");
        notebook.run(cell).get(30, TimeUnit.SECONDS);
        assertThat(cell.outputs()).hasSize(1);
        assertThat(text(cell.outputs().getFirst().path("text"))).isEqualTo("after\n");
    }

    @Test
    void aFailingCell_endsInError_withTheErrorOutput() throws Exception {
        NotebookViewModel notebook = open();
        CellViewModel cell = notebook.cells().getFirst();
        cell.sourceProperty().set("error:ValueError:bad value");
        notebook.run(cell).get(30, TimeUnit.SECONDS);
        assertThat(cell.stateProperty().get()).isEqualTo(CellState.ERROR);
        assertThat(cell.outputs().getFirst().path("ename").asText()).isEqualTo("ValueError");
    }

    @Test
    void runAll_runsCodeCells_andRendersMarkdown_andTheKernelIsIdleAfter() throws Exception {
        NotebookViewModel notebook = open();
        notebook.cells().get(1).renderedProperty().set(false);
        notebook.runAll().get(30, TimeUnit.SECONDS);
        assertThat(text(notebook.cells().getFirst().outputs().getFirst().path("text"))).isEqualTo("old\n");
        assertThat(notebook.cells().get(1).renderedProperty().get()).isTrue();
        io.quire.testing.Await.until(Duration.ofSeconds(10), "kernel idle", () ->
                notebook.kernel().statusProperty().get() == io.quire.desktop.kernel.KernelStatus.IDLE);
    }

    @Test
    void restartAndRunAll_startsAFreshKernel_thenRunsEveryCell() throws Exception {
        NotebookViewModel notebook = open();
        CellViewModel cell = notebook.cells().getFirst();
        notebook.run(cell).get(30, TimeUnit.SECONDS);
        notebook.run(cell).get(30, TimeUnit.SECONDS);
        assertThat(cell.executionCountProperty().get()).as("the same kernel counts on").hasValue(2);

        notebook.restartAndRunAll().get(30, TimeUnit.SECONDS);

        assertThat(cell.executionCountProperty().get()).as("a fresh kernel counts from 1").hasValue(1);
        assertThat(text(cell.outputs().getFirst().path("text"))).isEqualTo("old\n");
    }

    @Test
    void runningSelectedCells_runsEachCodeCellInOrder() throws Exception {
        NotebookViewModel notebook = open();
        notebook.perform(NotebookCommand.INSERT_BELOW);
        notebook.selectedCell().sourceProperty().set("print:second");
        notebook.select(0);
        notebook.extendSelection(2);
        notebook.perform(NotebookCommand.RUN);
        io.quire.testing.Await.until(Duration.ofSeconds(30), "both code cells ran", () -> notebook.cells().stream()
                .filter(c -> c.typeProperty().get() == CellType.CODE)
                .allMatch(c -> c.stateProperty().get() == CellState.DONE));
        assertThat(text(notebook.cells().get(0).outputs().getFirst().path("text"))).isEqualTo("old\n");
        assertThat(text(notebook.cells().get(1).outputs().getFirst().path("text"))).isEqualTo("second\n");
        assertThat(notebook.cells().get(1).executionCountProperty().get()).hasValue(2);
        assertThat(notebook.cells().get(2).renderedProperty().get()).isTrue();
    }

    @Test
    void save_writesEdits_andClearsDirty() throws Exception {
        NotebookViewModel notebook = open();
        notebook.perform(NotebookCommand.INSERT_BELOW);
        notebook.selectedCell().sourceProperty().set("print:new");
        assertThat(notebook.dirtyProperty().get()).isTrue();
        notebook.save().get(10, TimeUnit.SECONDS);
        assertThat(notebook.dirtyProperty().get()).isFalse();
        NotebookViewModel reopened = open();
        assertThat(reopened.cells()).extracting(c -> c.sourceProperty().get())
                .containsExactly("print:old", "print:new", "# Notes");
    }

    @Test
    void savingAnInvalidNotebook_reportsTheServersError_andStaysDirty() throws Exception {
        NotebookViewModel notebook = open();
        notebook.cells().getFirst().sourceProperty().set("changed");
        server.close();
        assertThat(notebook.save()).failsWithin(Duration.ofSeconds(10));
        assertThat(notebook.dirtyProperty().get()).isTrue();
        assertThat(notebook.messageProperty().get()).startsWith("Save failed:");
        server = EmbeddedServer.start(root);
    }
}
