package io.quire.desktop.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.client.KernelSpecInfo;
import io.quire.desktop.EmbeddedServer;
import io.quire.desktop.ServerConnection;
import io.quire.desktop.notebook.NotebookViewModel;
import io.quire.kernel.FakeKernelProvisioner;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tabs, recent notebooks, autosave, changes on disk, new notebooks and remote servers, without a stage. */
class WorkspaceViewModelTest {
    @TempDir
    Path dir;
    private Path root;
    private EmbeddedServer server;
    private ConfigDir config;
    private WorkspaceViewModel workspace;
    private boolean live;

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        server = EmbeddedServer.start(root, FakeKernelProvisioner.registry(Files.createDirectories(dir.resolve("data"))),
                Optional.of(FakeKernelProvisioner.create()), Optional.of(FakeKernelProvisioner.KERNEL_NAME));
        config = new ConfigDir(dir.resolve("config"));
        write("a.ipynb", "x = 1");
        write("b.ipynb", "y = 2");
        workspace = workspace();
    }

    private WorkspaceViewModel workspace() {
        return workspace(Runnable::run);
    }

    private WorkspaceViewModel workspace(java.util.concurrent.Executor background) {
        return new WorkspaceViewModel(new WorkspaceViewModel.Servers() {
            @Override
            public boolean live() {
                return live; // most tests are about file mode: changes on disk, conflicts, autosave of files
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
                if (!file.startsWith(root)) {
                    throw new IllegalArgumentException(file + " is outside " + root);
                }
                return new WorkspaceViewModel.Located(server.connection(),
                        root.relativize(file).toString().replace(File.separatorChar, '/'));
            }
        }, config, new FileTokens(config.path().resolve("tokens.properties")), background, Runnable::run);
    }

    @AfterEach
    void stop() {
        if (workspace != null) {
            workspace.close();
        }
        server.close();
    }

    private void write(String name, String source) throws Exception {
        Files.writeString(root.resolve(name), """
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                 "cells": [{"id": "c1", "cell_type": "code", "source": "%s", "metadata": {},
                            "execution_count": null, "outputs": []}]}
                """.formatted(source));
    }

    /** Waits until the other client's copy of a cell has the typed text; says what both sides hold if not. */
    private static void awaitTyping(io.quire.client.rtu.CollabSession other, String cellId, String typed,
            NotebookViewModel notebook) {
        io.quire.testing.Await.untilPresent(java.time.Duration.ofSeconds(20),
                () -> "the other client sees the typing; the other has seq " + other.seq() + ", " + cellId + " = "
                        + other.cellJson(cellId).map(cell -> cell.path("source").asText()).orElse("(none)")
                        + ", connected " + other.isConnected() + ", errors " + other.errors() + "; the notebook"
                        + " shows " + notebook.cells().stream().filter(cell -> cell.id().equals(cellId))
                                .map(cell -> cell.sourceProperty().get()).findFirst().orElse("(no such cell)")
                        + ", live " + notebook.liveProperty().get() + ", message '"
                        + notebook.messageProperty().get() + "'",
                () -> other.cellJson(cellId).map(cell -> cell.path("source").asText()).filter(typed::equals)
                        .orElse(null));
    }

    private NotebookTab open(String name) throws Exception {
        return workspace.openLocal(root.resolve(name)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void liveOpen_showsTheServersDocument_andTypingReachesAnotherClient() throws Exception {
        workspace.close();
        live = true;
        workspace = workspace();
        var client = server.connection().client();
        try (var other = server.connection().rtu().open(client.fileByPath("a.ipynb").id(),
                java.time.Duration.ofSeconds(20))) {
            other.edit(header -> new io.quire.collab.Delta.EditSource(header, "c1",
                    io.quire.collab.TextOperation.builder().retain(5).insert("0").build()));
            other.awaitQuiet(java.time.Duration.ofSeconds(20));

            NotebookTab a = open("a.ipynb");
            assertThat(a.notebook().liveProperty().get()).isTrue();
            assertThat(a.notebook().messageProperty().get()).isEmpty();
            assertThat(a.notebook().cells().getFirst().sourceProperty().get()).isEqualTo("x = 10");
            assertThat(a.title().get()).isEqualTo("a.ipynb");
            assertThat(workspace.openTimes(a)).isPresent();

            a.notebook().cells().getFirst().sourceProperty().set("x = 100");
            awaitTyping(other, "c1", "x = 100", a.notebook());
        }
    }

    @Test
    void aLargeNotebook_showsItsFirstCellsReadOnly_thenTheWholeLiveDocument() throws Exception {
        StringBuilder cellsJson = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            cellsJson.append(i == 0 ? "" : ",").append("{\"id\": \"c" + i + "\", \"cell_type\": \"code\", \"source\":"
                    + " \"x = " + i + "\", \"metadata\": {}, \"execution_count\": null, \"outputs\": []}");
        }
        Files.writeString(root.resolve("big.ipynb"), "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {},"
                + " \"cells\": [" + cellsJson + "]}");
        java.util.concurrent.LinkedBlockingQueue<Runnable> queue = new java.util.concurrent.LinkedBlockingQueue<>();
        workspace.close();
        live = true;
        workspace = workspace(queue::add);
        var client = server.connection().client();
        try (var other = server.connection().rtu().open(client.fileByPath("big.ipynb").id(),
                java.time.Duration.ofSeconds(20))) {
            // the live document is ahead of the file in a cell of the head and in one after it
            for (String cell : new String[] {"c0", "c99"}) {
                other.edit(header -> new io.quire.collab.Delta.EditSource(header, cell,
                        io.quire.collab.TextOperation.builder().retain(cell.length() + 3).insert("00").build()));
            }
            other.awaitQuiet(java.time.Duration.ofSeconds(20));

            var opened = workspace.openLocal(root.resolve("big.ipynb"));
            queue.take().run(); // find the server and read the head
            NotebookTab tab = opened.get(10, TimeUnit.SECONDS);
            NotebookViewModel notebook = tab.notebook();

            assertThat(notebook.openingProperty().get()).isTrue();
            assertThat(notebook.cells()).hasSize(WorkspaceViewModel.HEAD_CELLS);
            assertThat(notebook.totalCells()).isEqualTo(100);
            assertThat(notebook.cells().getFirst().sourceProperty().get()).as("the file's head").isEqualTo("x = 0");
            assertThat(notebook.messageProperty().get())
                    .isEqualTo("Opening: " + WorkspaceViewModel.HEAD_CELLS + " of 100 cells");
            assertThat(notebook.dirtyProperty().get()).isFalse();
            notebook.perform(io.quire.desktop.notebook.NotebookCommand.DELETE);
            notebook.perform(io.quire.desktop.notebook.NotebookCommand.INSERT_BELOW);
            notebook.move(0, 1);
            assertThat(notebook.cells()).as("nothing changes while opening").hasSize(WorkspaceViewModel.HEAD_CELLS);
            assertThat(notebook.cells().getFirst().id()).isEqualTo("c0");
            assertThat(notebook.messageProperty().get())
                    .startsWith("Still opening (" + WorkspaceViewModel.HEAD_CELLS + " of 100 cells)");
            var firstCell = notebook.cells().getFirst();

            queue.take().run(); // the rest: live from the real-time channel

            assertThat(notebook.openingProperty().get()).isFalse();
            assertThat(notebook.liveProperty().get()).isTrue();
            assertThat(notebook.messageProperty().get()).isEmpty();
            assertThat(notebook.dirtyProperty().get()).isFalse();
            assertThat(notebook.cells()).hasSize(100);
            assertThat(notebook.totalCells()).isEqualTo(100);
            assertThat(notebook.cells().getFirst()).as("the rows shown stay").isSameAs(firstCell);
            assertThat(notebook.cells().getFirst().sourceProperty().get()).isEqualTo("x = 000");
            assertThat(notebook.cells().getLast().sourceProperty().get()).isEqualTo("x = 9900");
            assertThat(notebook.cells().stream().map(cell -> cell.id()).toList())
                    .isEqualTo(java.util.stream.IntStream.range(0, 100).mapToObj(i -> "c" + i).toList());

            notebook.cells().get(50).sourceProperty().set("x = 5050");
            awaitTyping(other, "c50", "x = 5050", notebook);
        }
    }

    @Test
    void twoNotebooks_openInTabs_withDirtyMarkersThatASaveClears() throws Exception {
        NotebookTab a = open("a.ipynb");
        NotebookTab b = open("b.ipynb");

        assertThat(workspace.tabs()).containsExactly(a, b);
        assertThat(workspace.selectedProperty().get()).isEqualTo(1);
        assertThat(a.title().get()).isEqualTo("a.ipynb");
        a.notebook().cells().getFirst().sourceProperty().set("x = 42");
        assertThat(a.title().get()).isEqualTo("a.ipynb *");
        assertThat(b.title().get()).isEqualTo("b.ipynb");

        a.notebook().save().get(10, TimeUnit.SECONDS);
        assertThat(a.title().get()).isEqualTo("a.ipynb");
        assertThat(Files.readString(root.resolve("a.ipynb"))).contains("x = 42");

        assertThat(open("a.ipynb")).as("an open notebook is selected, not opened twice").isSameAs(a);
        assertThat(workspace.selectedProperty().get()).isZero();
        workspace.close(a);
        assertThat(workspace.tabs()).containsExactly(b);
    }

    @Test
    void openedNotebooks_areRemembered_acrossRestarts() throws Exception {
        open("a.ipynb");
        open("b.ipynb");
        workspace.close();

        workspace = workspace();
        assertThat(workspace.recent()).extracting(RecentNotebook::path)
                .containsExactly(root.resolve("b.ipynb").toString(), root.resolve("a.ipynb").toString());
        NotebookTab reopened = workspace.openRecent(workspace.recent().get(1)).get(30, TimeUnit.SECONDS);
        assertThat(reopened.notebook().file().path()).isEqualTo("a.ipynb");
    }

    @Test
    void autosave_savesOnlyDirtyNotebooks() throws Exception {
        NotebookTab a = open("a.ipynb");
        NotebookTab b = open("b.ipynb");
        Instant bBefore = Files.getLastModifiedTime(root.resolve("b.ipynb")).toInstant();
        a.notebook().cells().getFirst().sourceProperty().set("x = 7");

        assertThat(workspace.autosave().get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(a.notebook().dirtyProperty().get()).isFalse();
        assertThat(Files.readString(root.resolve("a.ipynb"))).contains("x = 7");
        assertThat(Files.getLastModifiedTime(root.resolve("b.ipynb")).toInstant()).isEqualTo(bBefore);
        assertThat(b.notebook().dirtyProperty().get()).isFalse();
    }

    @Test
    void aFileChangedOnDisk_isFoundByTheCheck_andReloadShowsIt() throws Exception {
        NotebookTab a = open("a.ipynb");
        NotebookViewModel notebook = a.notebook();
        changeOnDisk("a.ipynb", "x = 'from disk'");

        workspace.checkForChanges().get(10, TimeUnit.SECONDS);
        assertThat(notebook.conflictProperty().get()).isPresent();
        notebook.reload().get(10, TimeUnit.SECONDS);
        assertThat(notebook.conflictProperty().get()).isEmpty();
        assertThat(notebook.cells().getFirst().sourceProperty().get()).isEqualTo("x = 'from disk'");
        assertThat(notebook.dirtyProperty().get()).isFalse();
    }

    @Test
    void aSaveOverAChangeOnDisk_isRefused_untilTheUserKeepsTheirs() throws Exception {
        NotebookTab a = open("a.ipynb");
        NotebookViewModel notebook = a.notebook();
        notebook.cells().getFirst().sourceProperty().set("x = 'mine'");
        changeOnDisk("a.ipynb", "x = 'theirs'");

        assertThatThrownBy(() -> notebook.save().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(NotebookViewModel.ConflictException.class);
        assertThat(Files.readString(root.resolve("a.ipynb"))).contains("theirs");
        assertThat(notebook.conflictProperty().get()).isPresent();
        assertThat(workspace.autosave().get(10, TimeUnit.SECONDS)).as("no autosave over a conflict").isZero();

        notebook.keepMine().get(10, TimeUnit.SECONDS);
        assertThat(Files.readString(root.resolve("a.ipynb"))).contains("mine");
        assertThat(notebook.conflictProperty().get()).isEmpty();
        assertThat(notebook.dirtyProperty().get()).isFalse();
    }

    @Test
    void saveAs_writesANewFile_andLeavesTheChangedOneAlone() throws Exception {
        NotebookTab a = open("a.ipynb");
        NotebookViewModel notebook = a.notebook();
        notebook.cells().getFirst().sourceProperty().set("x = 'mine'");
        changeOnDisk("a.ipynb", "x = 'theirs'");
        workspace.checkForChanges().get(10, TimeUnit.SECONDS);

        notebook.saveAs("a-mine.ipynb").get(10, TimeUnit.SECONDS);
        assertThat(Files.readString(root.resolve("a-mine.ipynb"))).contains("mine");
        assertThat(Files.readString(root.resolve("a.ipynb"))).contains("theirs");
        assertThat(a.title().get()).isEqualTo("a-mine.ipynb");
        assertThat(notebook.conflictProperty().get()).isEmpty();
        assertThatThrownBy(() -> notebook.saveAs("a.ipynb").get(10, TimeUnit.SECONDS))
                .hasMessageContaining("already exists");
    }

    @Test
    void aNewNotebook_isCreatedForTheChosenKernel_andOpened() throws Exception {
        KernelSpecInfo spec = workspace.kernelSpecs().get(10, TimeUnit.SECONDS).getFirst();
        Files.createDirectories(root.resolve("new"));
        NotebookTab tab = workspace.newLocalNotebook(root.resolve("new/Untitled.ipynb"), spec)
                .get(30, TimeUnit.SECONDS);

        assertThat(tab.notebook().file().path()).isEqualTo("new/Untitled.ipynb");
        assertThat(Files.readString(root.resolve("new/Untitled.ipynb"))).contains("\"name\": \"" + spec.name() + "\"");
        assertThat(tab.notebook().cells()).hasSize(1);
        assertThatThrownBy(() -> workspace.newLocalNotebook(root.resolve("new/Untitled.ipynb"), spec)
                .get(30, TimeUnit.SECONDS)).hasMessageContaining("already exists");
        assertThat(workspace.messageProperty().get()).contains("Cannot create");
    }

    @Test
    void openFolder_listsItsNotebooks() throws Exception {
        Files.createDirectories(root.resolve(".hidden"));
        write(".hidden/h.ipynb", "");
        assertThat(workspace.openFolder(root).get(10, TimeUnit.SECONDS))
                .containsExactly(root.resolve("a.ipynb"), root.resolve("b.ipynb"));
    }

    @Test
    void connect_checksTheToken_remembersTheServer_andOpensItsNotebooksThroughTheSdk() throws Exception {
        ServerConnection embedded = server.connection();
        assertThatThrownBy(() -> workspace.connect(embedded.baseUrl().toString(), "wrong").get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThat(workspace.remoteServers()).isEmpty();
        assertThatThrownBy(() -> workspace.connect("ftp://x", "t").get(10, TimeUnit.SECONDS))
                .hasMessageContaining("http://");

        ServerConnection connected = workspace.connect(embedded.baseUrl().toString(), embedded.token())
                .get(10, TimeUnit.SECONDS);
        assertThat(workspace.remoteServers()).containsExactly(connected.baseUrl());
        assertThat(Files.readString(config.path().resolve("tokens.properties"))).contains(embedded.token());
        assertThat(Files.readString(config.path().resolve("servers.json"))).doesNotContain(embedded.token());

        workspace.close();
        workspace = workspace();
        ServerConnection remembered = workspace.remote(connected.baseUrl()).orElseThrow();
        NotebookTab tab = workspace.openRemote(remembered, "b.ipynb").get(30, TimeUnit.SECONDS);
        assertThat(tab.local()).isEmpty();
        assertThat(workspace.recent().getFirst().server()).contains(connected.baseUrl().toString());
    }

    private void changeOnDisk(String name, String source) throws Exception {
        Path file = root.resolve(name);
        Instant before = Files.getLastModifiedTime(file).toInstant();
        write(name, source);
        // a later modification time even on file systems with coarse timestamps
        Files.setLastModifiedTime(file, FileTime.from(before.plusSeconds(5)));
    }

}
