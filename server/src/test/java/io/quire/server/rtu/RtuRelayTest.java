package io.quire.server.rtu;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.client.rtu.CollabSession;
import io.quire.client.rtu.RtuClient;
import io.quire.collab.Delta;
import io.quire.collab.ExecuteTarget;
import io.quire.collab.rtu.RtuEvent;
import io.quire.server.QuireServer;
import io.quire.server.team.TeamAdmin;
import io.quire.server.v1.FileIds;
import io.quire.store.Backend;
import io.quire.store.Store;
import io.quire.store.StoreConfig;
import io.quire.store.TestDatabases;
import io.quire.testing.Await;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Presence and execution events across server nodes (decision 0028): two team-mode nodes in this JVM, each with its
 * own store pool on one database (an H2 file, an embedded PostgreSQL, and CockroachDB when configured), fake kernels.
 * A client on one node sees the presence of a client on the other, its departure, the departure of the clients of a
 * node that stopped or died, and the kernel status, cell states and output chunks of a cell the other node's shared
 * kernel runs.
 */
class RtuRelayTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, String> SETTINGS = Map.of("rtu-presence-ttl", "1.5");
    private static final String NOTEBOOK = """
            {"cells": [{"cell_type": "code", "id": "c1", "metadata": {}, "source": "print:hello\\nsleep:600\\nprint:bye",
             "outputs": [], "execution_count": null}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""";

    @TempDir
    Path dir;

    private String url(Backend backend) {
        TestDatabases.requireAvailable(backend);
        return backend == Backend.H2 ? "jdbc:h2:file:" + dir.resolve("quire").toAbsolutePath() + ";DB_CLOSE_DELAY=-1"
                : TestDatabases.freshUrl(backend);
    }

    private static RtuClient client(QuireServer server, String token) {
        return RtuClient.create(URI.create("http://127.0.0.1:" + server.port()), token);
    }

    private static boolean seen(List<RtuEvent.Server> events, Predicate<RtuEvent.Server> test) {
        return events.stream().anyMatch(test);
    }

    private static Predicate<RtuEvent.Server> presenceOf(String clientId) {
        return event -> event instanceof RtuEvent.Presence presence && presence.clientId().equals(clientId);
    }

    private static Predicate<RtuEvent.Server> leftOf(String clientId) {
        return event -> event instanceof RtuEvent.PresenceLeft left && left.clientId().equals(clientId);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void presenceCrossesNodes_andGoesWithItsClient_itsNodeStopping_orItsNodeDying(Backend backend) throws Exception {
        String url = url(backend);
        Store storeA = Store.open(StoreConfig.builder(url).build());
        Store storeB = Store.open(StoreConfig.builder(url).build());
        try {
            String token = new TeamAdmin(storeA, Clock.systemUTC()).initOrganisation("Org", "o@x.example").token()
                    .secret();
            QuireServer a = TeamServers.start(storeA, dir, "a", SETTINGS);
            boolean aClosed = false;
            try (QuireServer b = TeamServers.start(storeB, dir, "b", SETTINGS)) {
                TeamServers.save(a, token, "p.ipynb", NOTEBOOK);
                String file = FileIds.of("p.ipynb");
                List<RtuEvent.Server> onB = new CopyOnWriteArrayList<>();
                try (CollabSession sb = client(b, token).open(file, WAIT, onB::add)) {
                    CollabSession first = client(a, token).open(file, WAIT);
                    first.presence(Optional.of("c1"), Optional.of(new RtuEvent.Selection(2, 5)));
                    Await.until(WAIT, "node b's client seeing the presence of node a's client", () -> seen(onB,
                            event -> event instanceof RtuEvent.Presence p && p.clientId().equals(first.clientId())
                                    && p.cellId().equals(Optional.of("c1"))
                                    && p.cursor().equals(Optional.of(new RtuEvent.Selection(2, 5)))));
                    assertThat(onB).filteredOn(presenceOf(first.clientId())).first()
                            .extracting(event -> ((RtuEvent.Presence) event).fileId()).isEqualTo(file);
                    first.close();
                    Await.until(WAIT, "node b's client told that it left", () -> seen(onB, leftOf(
                            first.clientId())));

                    CollabSession second = client(a, token).open(file, WAIT);
                    second.presence(Optional.of("c1"), Optional.empty());
                    Await.until(WAIT, "the second presence", () -> seen(onB, presenceOf(second.clientId())));
                    // a client subscribing on node b later is told who is on node a in its catch-up
                    try (CollabSession late = client(b, token).open(file, WAIT)) {
                        Await.until(WAIT, "the late subscriber seeing node a's client", () -> late.presence()
                                .containsKey(second.clientId()));
                    }
                    a.close();
                    aClosed = true;
                    Await.until(WAIT, "node a's client gone with its node", () -> seen(onB, leftOf(
                            second.clientId())));
                    second.close();

                    // a node that dies says nothing more: its clients expire after the presence TTL (node a closed
                    // its store: the dead node writes through node b's)
                    try (RtuSignals dead = new RtuSignals(storeB, "node-dead", Clock.systemUTC(), Duration.ZERO,
                            Duration.ofMillis(1500))) {
                        dead.emit(sb.logId(), new RtuEvent.Presence("-", "ghost", "ghost-client", Optional.empty(),
                                Optional.empty()));
                        dead.flush();
                        Await.until(WAIT, "the dead node's client present", () -> seen(onB, presenceOf(
                                "ghost-client")));
                        long shown = System.nanoTime();
                        Await.until(WAIT, "the dead node's client expired", () -> seen(onB, leftOf("ghost-client")));
                        assertThat(Duration.ofNanos(System.nanoTime() - shown)).isGreaterThan(Duration.ofMillis(
                                500));
                        assertThat(sb.presence()).doesNotContainKey("ghost-client");
                    }
                }
            } finally {
                if (!aClosed) {
                    a.close();
                }
            }
        } finally {
            storeA.close();
            storeB.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void executionEventsOfTheLeaseHolder_reachTheOtherNodesClients(Backend backend) throws Exception {
        String url = url(backend);
        Store storeA = Store.open(StoreConfig.builder(url).build());
        Store storeB = Store.open(StoreConfig.builder(url).build());
        String token = new TeamAdmin(storeA, Clock.systemUTC()).initOrganisation("Org", "o@x.example").token()
                .secret();
        try (QuireServer a = TeamServers.start(storeA, dir, "a", SETTINGS);
             QuireServer b = TeamServers.start(storeB, dir, "b", SETTINGS)) {
            TeamServers.save(a, token, "run.ipynb", NOTEBOOK);
            String file = FileIds.of("run.ipynb");
            List<RtuEvent.Server> onA = new CopyOnWriteArrayList<>();
            List<RtuEvent.Server> onB = new CopyOnWriteArrayList<>();
            try (CollabSession sa = client(a, token).open(file, WAIT, onA::add);
                 CollabSession sb = client(b, token).open(file, WAIT, onB::add)) {
                sa.edit(header -> new Delta.ExecuteRequest(header, new ExecuteTarget.Cells(List.of("c1"))));
                Predicate<RtuEvent.Server> done = event -> event instanceof RtuEvent.CellState state
                        && state.cellId().equals("c1") && state.state().equals("done");
                Await.until(WAIT, "the cell done on both nodes' clients", () -> seen(onA, done) && seen(onB, done));
                boolean aHolds = a.rtuExecution().executions().get(sa.logId()).orElseThrow().status().holdsLease();
                boolean bHolds = b.rtuExecution().executions().get(sa.logId()).orElseThrow().status().holdsLease();
                assertThat(aHolds).as("exactly one node runs the kernel").isNotEqualTo(bHolds);
                List<RtuEvent.Server> other = aHolds ? onB : onA;
                String otherFile = file;

                List<String> states = other.stream().filter(event -> event instanceof RtuEvent.CellState state
                        && state.cellId().equals("c1")).map(event -> ((RtuEvent.CellState) event).state()).toList();
                assertThat(states).as("cell states on the node without the kernel").containsSubsequence("queued",
                        "running", "done").doesNotHaveDuplicates();
                assertThat(other).as("kernel status relayed").anyMatch(event -> event instanceof RtuEvent.KernelStatus
                        status && status.state().equals("busy") && status.fileId().equals(otherFile));
                Await.until(WAIT, "the kernel idle again on the other node", () -> seen(other, event -> event
                        instanceof RtuEvent.KernelStatus status && status.state().equals("idle")));
                String chunks = other.stream().filter(event -> event instanceof RtuEvent.OutputChunk chunk
                        && chunk.cellId().equals("c1")).map(event -> ((RtuEvent.OutputChunk) event).outputs()
                        .toString()).reduce("", String::concat);
                assertThat(chunks).as("output chunks relayed").contains("hello").contains("bye");
                // running is seen before done, and the output delta before the chunk that goes with it
                int running = indexOf(other, event -> event instanceof RtuEvent.CellState state
                        && state.state().equals("running"));
                int firstChunk = indexOf(other, event -> event instanceof RtuEvent.OutputChunk);
                int firstOutputDelta = indexOf(other, event -> event instanceof RtuEvent.DeltaEvent delta
                        && (delta.delta().delta() instanceof Delta.AppendOutputs
                        || delta.delta().delta() instanceof Delta.ReplaceOutputs));
                assertThat(running).isLessThan(indexOf(other, done));
                assertThat(firstOutputDelta).isNotNegative().isLessThan(firstChunk);
            }
        } finally {
            storeA.close();
            storeB.close();
        }
    }

    private static int indexOf(List<RtuEvent.Server> events, Predicate<RtuEvent.Server> test) {
        for (int i = 0; i < events.size(); i++) {
            if (test.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
