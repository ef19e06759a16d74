package io.quire.server.rtu;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.client.rtu.CollabSession;
import io.quire.client.rtu.RtuClient;
import io.quire.collab.Delta;
import io.quire.collab.ExecuteTarget;
import io.quire.collab.rtu.RtuEvent;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.kernel.local.LocalProcessProvisioner;
import io.quire.notebook.CodeCell;
import io.quire.notebook.ErrorOutput;
import io.quire.notebook.Notebook;
import io.quire.server.QuireServer;
import io.quire.server.ServerConfig;
import io.quire.server.kernels.KernelBackend;
import io.quire.server.team.TeamAdmin;
import io.quire.server.team.TeamMode;
import io.quire.server.v1.FileIds;
import io.quire.store.Store;
import io.quire.store.StoreConfig;
import io.quire.testing.Await;
import io.quire.testing.Engines;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interrupt sent to a node that does not hold the file's kernel lease: recorded in {@code kernel_controls}
 * ({@code forwarded}) and applied by the holder within a poll interval (decision 0025). Two team-mode nodes in this
 * JVM on one H2 file database, real ipykernel.
 */
class RtuForwardedControlTest {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private QuireServer node(Store store, String name) throws Exception {
        ServerConfig config = ServerConfig.defaults().with("port", "0", "test")
                .with("root", Files.createDirectories(dir.resolve(name + "-root")).toString(), "test")
                .with("state-dir", dir.resolve(name + "-state").toString(), "test")
                .with("default-kernel", "python3", "test");
        return QuireServer.start(config, KernelBackend.of(KernelSpecRegistry.create(),
                LocalProcessProvisioner.create()), Optional.of(TeamMode.over(store)), "test");
    }

    private static boolean has(List<RtuEvent.Server> events, String action, String result) {
        return events.stream().anyMatch(event -> event instanceof RtuEvent.KernelControlled control
                && control.action().equals(action) && control.result().equals(result));
    }

    private static boolean holdsLease(QuireServer node, UUID logId) {
        return node.rtuExecution().executions().get(logId).map(execution -> execution.status().holdsLease())
                .orElse(false);
    }

    @Test
    void interruptOnTheOtherNode_isForwardedToTheLeaseHolder() throws Exception {
        Engines.requireIpykernel();
        String url = "jdbc:h2:file:" + dir.resolve("quire").toAbsolutePath() + ";DB_CLOSE_DELAY=-1";
        Store storeA = Store.open(StoreConfig.builder(url).build());
        Store storeB = Store.open(StoreConfig.builder(url).build());
        String token = new TeamAdmin(storeA, Clock.systemUTC()).initOrganisation("Org", "o@x.example").token()
                .secret();
        try (QuireServer a = node(storeA, "a"); QuireServer b = node(storeB, "b")) {
            TeamServers.save(a, token, "sleep.ipynb", """
                    {"cells": [{"cell_type": "code", "id": "c1", "metadata": {}, "source": "import time\\nprint('zz', flush=True)\\ntime.sleep(30)", "outputs": [],
                     "execution_count": null}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""");
            String file = FileIds.of("sleep.ipynb");
            List<RtuEvent.Server> onA = new CopyOnWriteArrayList<>();
            List<RtuEvent.Server> onB = new CopyOnWriteArrayList<>();
            try (CollabSession sa = RtuClient.create(URI.create("http://127.0.0.1:" + a.port()), token)
                    .open(file, WAIT, onA::add);
                 CollabSession sb = RtuClient.create(URI.create("http://127.0.0.1:" + b.port()), token)
                         .open(file, WAIT, onB::add)) {
                sa.edit(header -> new Delta.ExecuteRequest(header, new ExecuteTarget.Cells(List.of("c1"))));
                Await.until(WAIT, "the cell running", () -> onA.stream().anyMatch(event ->
                        event instanceof RtuEvent.OutputChunk chunk && chunk.outputs().toString().contains("zz")));
                // either node may take the lease: node b reads the request from the log and competes for it too
                boolean aHolds = holdsLease(a, sa.logId());
                assertThat(aHolds).as("exactly one node holds the file's kernel lease")
                        .isNotEqualTo(holdsLease(b, sb.logId()));
                CollabSession other = aHolds ? sb : sa;
                List<RtuEvent.Server> onOther = aHolds ? onB : onA;
                List<RtuEvent.Server> onHolder = aHolds ? onA : onB;

                // false = not sent, while the other node's session is (re)subscribing: a client sends it again
                Await.until(Duration.ofSeconds(20), "the other node's session sending the interrupt", other::interrupt);
                Await.until(Duration.ofSeconds(10), "the other node answering forwarded", () -> has(onOther,
                        "interrupt", "forwarded"));
                Await.until(Duration.ofSeconds(20), "the lease holder applying it", () -> has(onHolder, "interrupt",
                        "applied") && onHolder.stream().anyMatch(event -> event instanceof RtuEvent.CellState state
                        && state.state().equals("interrupted")));
                Await.until(Duration.ofSeconds(20), "the KeyboardInterrupt in the other node's client document", () -> {
                    Notebook document = other.document();
                    return ((CodeCell) document.cell(0)).outputs().stream().anyMatch(output ->
                            output instanceof ErrorOutput error && error.ename().equals("KeyboardInterrupt"));
                });
            }
        } finally {
            storeA.close();
            storeB.close();
        }
    }
}
