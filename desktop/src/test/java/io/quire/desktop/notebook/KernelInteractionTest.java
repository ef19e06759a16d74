package io.quire.desktop.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.client.QuireClient;
import io.quire.desktop.EmbeddedServer;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.testing.Await;
import io.quire.testing.Engines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs over the kernel channels, completion, inspection and {@code input()} against a real ipykernel on the embedded
 * server, through the view model only (no stage).
 */
class KernelInteractionTest {
    @TempDir
    Path dir;
    private EmbeddedServer server;
    private QuireClient client;
    private NotebookViewModel notebook;

    @BeforeEach
    void start() throws Exception {
        Engines.requireIpykernel();
        Path root = Files.createDirectories(dir.resolve("root"));
        server = EmbeddedServer.start(root, KernelSpecRegistry.create(), Optional.empty(), Optional.of("python3"));
        client = server.connection().client();
        Files.writeString(root.resolve("k.ipynb"), """
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                 "cells": [{"id": "a", "cell_type": "code", "source": "", "metadata": {},
                            "execution_count": null, "outputs": []}]}
                """);
        notebook = NotebookViewModel.builder(client, NotebookDocument.load(client, "k.ipynb"))
                .runs(Runs.KERNEL_CHANNELS).build();
    }

    @AfterEach
    void stop() {
        if (notebook != null) {
            notebook.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aRunOverTheChannels_collectsOutputs_andMakesTheNotebookDirty() throws Exception {
        CellViewModel cell = notebook.cells().getFirst();
        cell.sourceProperty().set("print('a'); print('b')\n6 * 7");
        notebook.save().get(10, TimeUnit.SECONDS);
        notebook.run(cell).get(90, TimeUnit.SECONDS);

        assertThat(cell.stateProperty().get()).isEqualTo(CellState.DONE);
        assertThat(cell.executionCountProperty().get()).contains(1);
        assertThat(cell.outputs()).hasSize(2);
        assertThat(cell.outputs().get(0).path("text").asText()).isEqualTo("a\nb\n");
        assertThat(cell.outputs().get(1).path("data").path("text/plain").asText()).isEqualTo("42");
        assertThat(notebook.dirtyProperty().get()).as("outputs are the editor's until saved").isTrue();
    }

    @Test
    void anErrorStopsTheRunOfTheCellsAfterIt() throws Exception {
        CellViewModel first = notebook.cells().getFirst();
        first.sourceProperty().set("1/0");
        notebook.perform(NotebookCommand.INSERT_BELOW);
        CellViewModel second = notebook.selectedCell();
        second.sourceProperty().set("print('never')");
        notebook.runAll().get(90, TimeUnit.SECONDS);

        assertThat(first.stateProperty().get()).isEqualTo(CellState.ERROR);
        assertThat(first.outputs().getFirst().path("ename").asText()).isEqualTo("ZeroDivisionError");
        assertThat(second.stateProperty().get()).isEqualTo(CellState.IDLE);
        assertThat(second.outputs()).isEmpty();
    }

    @Test
    void completion_replacesTheKernelsRange() throws Exception {
        CellViewModel cell = notebook.cells().getFirst();
        cell.sourceProperty().set("x = 1\npri");
        Completion completion = notebook.complete(cell, cell.sourceProperty().get().length()).get(90,
                TimeUnit.SECONDS);

        assertThat(completion.matches()).contains("print");
        assertThat(completion.start()).isEqualTo(6);
        assertThat(completion.end()).isEqualTo(9);
        int caret = notebook.applyCompletion(cell, completion, "print");
        assertThat(cell.sourceProperty().get()).isEqualTo("x = 1\nprint");
        assertThat(caret).isEqualTo(11);
    }

    @Test
    void inspect_givesPlainHelpWithoutAnsi() throws Exception {
        CellViewModel cell = notebook.cells().getFirst();
        cell.sourceProperty().set("len(");
        Optional<String> help = notebook.inspect(cell, 3).get(90, TimeUnit.SECONDS);

        assertThat(help).isPresent();
        assertThat(help.get()).contains("Return the number of items").doesNotContain("\u001b[");
    }

    @Test
    void input_isAskedInline_andTheAnswerReachesTheKernel() throws Exception {
        CellViewModel cell = notebook.cells().getFirst();
        cell.sourceProperty().set("name = input('Name? ')\nprint('hello', name)");
        var run = notebook.run(cell);
        Await.until(Duration.ofSeconds(90), "the input prompt", () -> cell.inputProperty().get().isPresent());
        assertThat(cell.inputProperty().get()).contains(new InputPrompt("Name? ", false));

        notebook.answerInput(cell, "Ada").get(10, TimeUnit.SECONDS);
        run.get(30, TimeUnit.SECONDS);

        assertThat(cell.inputProperty().get()).isEmpty();
        assertThat(cell.stateProperty().get()).isEqualTo(CellState.DONE);
        assertThat(cell.outputs().getFirst().path("text").asText()).isEqualTo("Name? Ada\nhello Ada\n");
    }

    @Test
    void aPassword_isMasked_andNotEchoed() throws Exception {
        CellViewModel cell = notebook.cells().getFirst();
        cell.sourceProperty().set("import getpass\nsecret = getpass.getpass('Key: ')\nprint(len(secret))");
        var run = notebook.run(cell);
        Await.until(Duration.ofSeconds(90), "the password prompt", () -> cell.inputProperty().get().isPresent());
        assertThat(cell.inputProperty().get().get().password()).isTrue();

        notebook.answerInput(cell, "hunter2").get(10, TimeUnit.SECONDS);
        run.get(30, TimeUnit.SECONDS);

        String text = cell.outputs().stream().map(output -> output.path("text").asText()).reduce("", String::concat);
        assertThat(text).contains("Key: ").contains("7\n").doesNotContain("hunter2");
    }
}
