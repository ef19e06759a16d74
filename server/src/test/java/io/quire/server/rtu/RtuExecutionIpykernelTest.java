package io.quire.server.rtu;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.client.rtu.CollabSession;
import io.quire.client.rtu.RtuClient;
import io.quire.collab.Delta;
import io.quire.collab.ExecuteTarget;
import io.quire.collab.rtu.RtuEvent;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.notebook.CodeCell;
import io.quire.notebook.ErrorOutput;
import io.quire.notebook.Notebook;
import io.quire.notebook.Output;
import io.quire.notebook.StreamOutput;
import io.quire.server.QuireServer;
import io.quire.server.ServerConfig;
import io.quire.server.v1.FileIds;
import io.quire.testing.Await;
import io.quire.testing.Engines;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared execution through the real-time channel on one node with a real ipykernel: SDK clients execute cells by
 * sending execute deltas, receive the kernel status, cell states and output chunks, find the outputs in the log, and
 * interrupt a running cell.
 */
class RtuExecutionIpykernelTest {
    static final String TOKEN = "rtu-exec-token";
    static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    static QuireServer server;
    static RtuClient client;

    @BeforeAll
    static void start() throws IOException {
        Engines.requireIpykernel();
        Path root = Files.createDirectories(dir.resolve("root"));
        ServerConfig config = ServerConfig.defaults().with("port", "0", "test").with("root", root.toString(), "test")
                .with("token", TOKEN, "test").with("state-dir", dir.resolve("state").toString(), "test")
                .with("default-kernel", "python3", "test");
        server = QuireServer.start(config, KernelSpecRegistry.create(), "test");
        client = RtuClient.create(URI.create("http://127.0.0.1:" + server.port()), TOKEN);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String notebook(String name, String source) throws IOException {
        String json = """
                {"cells": [{"cell_type": "code", "id": "c1", "metadata": {}, "source": %s, "outputs": [],
                 "execution_count": null}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"""
                .formatted(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(source).toString());
        Files.writeString(dir.resolve("root").resolve(name), json, StandardCharsets.UTF_8);
        return FileIds.of(name);
    }

    static Delta execute(CollabSession session) {
        return session.edit(header -> new Delta.ExecuteRequest(header, new ExecuteTarget.Cells(List.of("c1"))));
    }

    static CodeCell c1(Notebook notebook) {
        return (CodeCell) notebook.cell(notebook.indexOf("c1").orElseThrow());
    }

    static String stdout(List<Output> outputs) {
        StringBuilder text = new StringBuilder();
        for (Output output : outputs) {
            if (output instanceof StreamOutput stream && stream.name().equals("stdout")) {
                text.append(stream.text().text());
            }
        }
        return text.toString();
    }

    static List<String> states(List<RtuEvent.Server> events, String cellId) {
        return events.stream().filter(RtuEvent.CellState.class::isInstance).map(RtuEvent.CellState.class::cast)
                .filter(state -> state.cellId().equals(cellId)).map(RtuEvent.CellState::state).toList();
    }

    @Test
    void executeDelta_streamsStatesAndOutputs_andPersistsThem() throws IOException {
        String file = notebook("loop.ipynb", "import time\nfor i in range(3):\n    print('tick', i, flush=True)\n"
                + "    time.sleep(0.3)\n");
        List<RtuEvent.Server> events = new CopyOnWriteArrayList<>();
        try (CollabSession session = client.open(file, WAIT, events::add)) {
            Await.until(Duration.ofSeconds(10), "the kernel status after subscribed", () -> events.stream()
                    .anyMatch(RtuEvent.KernelStatus.class::isInstance));
            assertThat(events.stream().filter(RtuEvent.Execution.class::isInstance).findFirst().orElseThrow())
                    .isInstanceOfSatisfying(RtuEvent.KernelStatus.class, status -> {
                        assertThat(status.fileId()).isEqualTo(file);
                        assertThat(status.state()).isEqualTo("dead"); // nothing ran yet
                    });
            execute(session);
            Await.until(WAIT, "c1 done", () -> states(events, "c1").contains("done"));
            assertThat(states(events, "c1")).containsSubsequence("queued", "running", "done");
            List<RtuEvent.OutputChunk> chunks = events.stream().filter(RtuEvent.OutputChunk.class::isInstance)
                    .map(RtuEvent.OutputChunk.class::cast).toList();
            assertThat(chunks).isNotEmpty().allSatisfy(chunk -> assertThat(chunk.fileId()).isEqualTo(file));
            assertThat(chunks.getLast().replace()).isTrue();
            assertThat(chunks.getLast().outputs().toString()).contains("tick 2");
            Await.until(Duration.ofSeconds(20), "the outputs in the client's document", () ->
                    stdout(c1(session.document()).outputs()).equals("tick 0\ntick 1\ntick 2\n"));
            assertThat(c1(session.document()).executionCount()).isPresent();
        }
        try (CollabSession later = client.open(file, WAIT)) { // a snapshot from the log
            assertThat(stdout(c1(later.document()).outputs())).isEqualTo("tick 0\ntick 1\ntick 2\n");
        }
    }

    @Test
    void outputs_arePersisted_whenTheClientLeftRightAfterTheExecute() throws IOException {
        String file = notebook("left.ipynb", "import time\ntime.sleep(1)\nprint('after you left', flush=True)\n");
        CollabSession session = client.open(file, WAIT);
        execute(session);
        session.awaitQuiet(Duration.ofSeconds(30)); // acknowledged: in the log
        session.disconnect();
        session.close();
        Await.until(WAIT, "the outputs persisted with nobody subscribed", () -> {
            try (CollabSession later = client.open(file, WAIT)) {
                return stdout(c1(later.document()).outputs()).equals("after you left\n");
            }
        });
    }

    @Test
    void interrupt_fromTheSdk_stopsTheRunningCell() throws IOException {
        String file = notebook("sleep.ipynb", "import time\nprint('sleeping', flush=True)\ntime.sleep(30)\n"
                + "print('never')\n");
        List<RtuEvent.Server> events = new CopyOnWriteArrayList<>();
        List<RtuEvent.Server> other = new CopyOnWriteArrayList<>();
        try (CollabSession session = client.open(file, WAIT, events::add);
             CollabSession watcher = client.open(file, WAIT, other::add)) {
            execute(session);
            Await.until(WAIT, "the cell printing", () -> events.stream().anyMatch(event ->
                    event instanceof RtuEvent.OutputChunk chunk && chunk.outputs().toString().contains("sleeping")));
            long started = System.nanoTime();
            assertThat(session.interrupt()).isTrue();
            Await.until(Duration.ofSeconds(20), "c1 interrupted", () -> states(events, "c1").contains("interrupted"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
            Await.until(Duration.ofSeconds(10), "the watcher told", () -> other.stream().anyMatch(event ->
                    event instanceof RtuEvent.KernelControlled control && control.action().equals("interrupt")
                            && control.result().equals("applied") && control.by().equals("local"))
                    && states(other, "c1").contains("interrupted"));
            Await.until(Duration.ofSeconds(30), "the KeyboardInterrupt persisted", () -> c1(session.document())
                    .outputs().stream().anyMatch(output -> output instanceof ErrorOutput error
                            && error.ename().equals("KeyboardInterrupt")));
            assertThat(stdout(c1(session.document()).outputs())).isEqualTo("sleeping\n");
        }
    }
}
