package io.quire.server.rtu;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.client.rtu.CollabSession;
import io.quire.client.rtu.RtuClient;
import io.quire.collab.Delta;
import io.quire.collab.DeltaLog;
import io.quire.collab.DeltaStores;
import io.quire.collab.ExecuteTarget;
import io.quire.collab.KernelLeases;
import io.quire.collab.SequencedDelta;
import io.quire.collab.TextOperation;
import io.quire.collab.rtu.RtuEvent;
import io.quire.notebook.CodeCell;
import io.quire.notebook.ErrorOutput;
import io.quire.notebook.Notebook;
import io.quire.notebook.Output;
import io.quire.notebook.StreamOutput;
import io.quire.server.collab.SharedExecutions;
import io.quire.server.team.TeamAdmin;
import io.quire.server.v1.FileIds;
import io.quire.store.Backend;
import io.quire.store.Store;
import io.quire.store.StoreConfig;
import io.quire.store.TestDatabases;
import io.quire.testing.Await;
import io.quire.testing.Engines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test of issue 7's node failure: two server nodes as separate JVMs on one embedded PostgreSQL, SDK
 * clients on both editing a notebook while a cell prints in a loop on the node holding the file's kernel lease; that
 * node is killed ({@code kill -9}); the clients reconnect to the survivor and go on editing. No acknowledged delta is
 * lost, the running cell keeps the outputs persisted before the crash and is marked interrupted (decision 0020's
 * {@code Interrupted} error output), and a new execute runs on the survivor. Lease TTL 2 s.
 */
class RtuNodeKillTest {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    /** A node JVM. */
    private record Node(Process process, int port, String nodeId) {
    }

    @AfterEach
    void cleanUp() {
        children.forEach(Process::destroyForcibly);
        String runtime = dir.toString();
        ProcessHandle.allProcesses().filter(process -> process.info().commandLine().orElse("").contains(runtime))
                .forEach(ProcessHandle::destroyForcibly); // kernels orphaned by the killed node
    }

    private Node startNode(String url, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RtuChildNode.class.getName(), url).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("QUIRE_PORT", "0");
        env.put("QUIRE_ROOT", Files.createDirectories(dir.resolve(name + "-root")).toString());
        env.put("QUIRE_STATE_DIR", dir.resolve(name + "-state").toString());
        env.put("QUIRE_DEFAULT_KERNEL", "python3");
        env.put("QUIRE_RTU_KERNEL_LEASE_TTL", "2");
        env.put("XDG_RUNTIME_DIR", Files.createDirectories(dir.resolve(name + "-runtime")).toString());
        Process process = builder.start();
        children.add(process);
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<String> nodeId = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    System.out.println("[node " + name + "] " + line);
                    if (line.startsWith(RtuChildNode.NODE_LINE)) {
                        nodeId.complete(line.substring(RtuChildNode.NODE_LINE.length()));
                    }
                    if (line.startsWith(RtuChildNode.PORT_LINE)) {
                        port.complete(Integer.parseInt(line.substring(RtuChildNode.PORT_LINE.length())));
                    }
                }
                port.completeExceptionally(new IOException("node " + name + " ended without listening"));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        });
        return new Node(process, port.get(WAIT.toSeconds(), TimeUnit.SECONDS), nodeId.get(5, TimeUnit.SECONDS));
    }

    private static CodeCell code(Notebook notebook, String cellId) {
        return (CodeCell) notebook.cell(notebook.indexOf(cellId).orElseThrow());
    }

    private static String stdout(List<Output> outputs) {
        return outputs.stream().filter(output -> output instanceof StreamOutput stream
                && stream.name().equals("stdout")).map(output -> ((StreamOutput) output).text().text())
                .collect(Collectors.joining());
    }

    private static Delta append(CollabSession session, String cellId, String text) {
        return session.edit(header -> new Delta.EditSource(header, cellId, TextOperation.builder()
                .retain(session.document().cell(session.document().indexOf(cellId).orElseThrow()).source().text()
                        .length()).insert(text).build()));
    }

    @Test
    void killingTheLeaseHolder_keepsAcknowledgedDeltasAndOutputs_andTheSurvivorRunsOn() throws Exception {
        Engines.requireIpykernel();
        String url = TestDatabases.freshUrl(Backend.POSTGRESQL);
        try (Store admin = Store.open(StoreConfig.builder(url).build())) { // migrates before the nodes start
            TeamAdmin.Bootstrap org = new TeamAdmin(admin, Clock.systemUTC()).initOrganisation("Org", "o@x.example");
            String token = org.token().secret();
            Node a = startNode(url, "a");
            Node b = startNode(url, "b");
            Map<String, Node> nodes = Map.of(a.nodeId(), a, b.nodeId(), b);
            RtuClient onA = RtuClient.create(URI.create("http://127.0.0.1:" + a.port()), token);
            RtuClient onB = RtuClient.create(URI.create("http://127.0.0.1:" + b.port()), token);
            TeamServers.save(a.port(), token, "loop.ipynb", """
                    {"cells": [
                      {"cell_type": "code", "id": "run", "metadata": {}, "source": "import time\\nfor i in range(600):\\n    print('line', i, flush=True)\\n    time.sleep(0.1)\\n", "outputs": [], "execution_count": null},
                      {"cell_type": "markdown", "id": "notes", "metadata": {}, "source": "# Notes"},
                      {"cell_type": "code", "id": "after", "metadata": {}, "source": "print('after the crash')", "outputs": [],
                       "execution_count": null}],
                     "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""");
            String file = FileIds.of("loop.ipynb");
            Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
            CollabSession sa = onA.open(file, WAIT, event -> {
                if (event instanceof RtuEvent.Ack ack) {
                    acknowledged.add(ack.deltaId());
                }
            });
            CollabSession sb = onB.open(file, WAIT, event -> {
                if (event instanceof RtuEvent.Ack ack) {
                    acknowledged.add(ack.deltaId());
                }
            });
            UUID logId = sa.logId();
            DeltaLog stored = DeltaLog.open(logId, DeltaStores.jdbc(admin), Notebook.empty(),
                    DeltaLog.Config.defaults());
            KernelLeases leases = KernelLeases.jdbc(admin, Clock.systemUTC());

            sb.edit(header -> new Delta.ExecuteRequest(header, new ExecuteTarget.Cells(List.of("run"))));
            List<Delta> edits = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                edits.add(append(sa, "notes", " a" + i));
                edits.add(append(sb, "notes", " b" + i));
                // one round acknowledged before the next, so the edits interleave with the running cell's output
                sa.awaitQuiet(WAIT);
                sb.awaitQuiet(WAIT);
            }
            Await.until(WAIT, "the loop printing into the log", () -> {
                stored.refresh();
                return stdout(code(stored.document(), "run").outputs()).contains("line 10\n");
            });
            sa.awaitQuiet(WAIT);
            sb.awaitQuiet(WAIT);
            String holderId = leases.read(logId).orElseThrow().lease().nodeId();
            Node holder = nodes.get(holderId);
            assertThat(holder).as("the lease names one of the nodes: " + holderId).isNotNull();
            Node survivor = holder == a ? b : a;
            CollabSession onHolder = holder == a ? sa : sb;
            CollabSession onSurvivor = holder == a ? sb : sa;
            RtuClient survivorClient = survivor == a ? onA : onB;

            holder.process().destroyForcibly(); // kill -9: no lease release, no final outputs
            holder.process().waitFor(30, TimeUnit.SECONDS);
            stored.refresh();
            String printedBeforeCrash = stdout(code(stored.document(), "run").outputs());
            assertThat(printedBeforeCrash).startsWith("line 0\nline 1\n").contains("line 10\n");

            onHolder.reconnect(survivorClient, WAIT); // its in-flight delta, if any, goes to the survivor
            for (int i = 0; i < 3; i++) {
                edits.add(append(onHolder, "notes", " c" + i));
                edits.add(append(onSurvivor, "notes", " d" + i));
            }
            onHolder.awaitQuiet(WAIT);
            onSurvivor.awaitQuiet(WAIT);

            Await.until(WAIT, "the cut-off cell marked interrupted by the survivor", () -> {
                stored.refresh();
                return code(stored.document(), "run").outputs().stream().anyMatch(output ->
                        output instanceof ErrorOutput error && error.ename().equals(SharedExecutions.INTERRUPTED_ENAME));
            });
            List<Output> runOutputs = code(stored.document(), "run").outputs();
            assertThat(stdout(runOutputs)).startsWith(printedBeforeCrash); // nothing persisted before the crash lost
            assertThat(runOutputs.getLast()).isInstanceOf(ErrorOutput.class);
            assertThat(leases.read(logId).orElseThrow().lease().nodeId()).isEqualTo(survivor.nodeId());

            onSurvivor.edit(header -> new Delta.ExecuteRequest(header, new ExecuteTarget.Cells(List.of("after"))));
            Await.until(WAIT, "a new execute on the survivor", () -> {
                stored.refresh();
                return stdout(code(stored.document(), "after").outputs()).equals("after the crash\n");
            });

            stored.refresh();
            Set<UUID> logged = stored.deltasAfter(0).stream().map(SequencedDelta::delta).map(Delta::deltaId)
                    .collect(Collectors.toSet());
            assertThat(logged).containsAll(acknowledged);
            assertThat(logged).containsAll(edits.stream().map(Delta::deltaId).toList());
            assertThat(stored.deltasAfter(0)).extracting(d -> d.delta().deltaId()).doesNotHaveDuplicates();
            String notes = stored.document().cell(stored.document().indexOf("notes").orElseThrow()).source().text();
            for (int i = 0; i < 5; i++) {
                assertThat(notes).contains(" a" + i, " b" + i);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(notes).contains(" c" + i, " d" + i);
            }
            Await.until(Duration.ofSeconds(30), "both clients on the persisted document", () -> {
                stored.refresh();
                return onHolder.document().toJson().equals(stored.document().toJson())
                        && onSurvivor.document().toJson().equals(stored.document().toJson());
            });
            onHolder.close();
            onSurvivor.close();
        }
    }
}
