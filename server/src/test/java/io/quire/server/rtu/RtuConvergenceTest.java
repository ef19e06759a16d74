package io.quire.server.rtu;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.client.rtu.CollabSession;
import io.quire.client.rtu.RtuClient;
import io.quire.collab.Delta;
import io.quire.collab.DeltaHeader;
import io.quire.collab.DeltaLog;
import io.quire.collab.DeltaRejectedException;
import io.quire.collab.DeltaStores;
import io.quire.collab.SequencedDelta;
import io.quire.collab.TextOperation;
import io.quire.collab.rtu.RtuEvent;
import io.quire.collab.spi.DeltaStore;
import io.quire.notebook.Cell;
import io.quire.notebook.CodeCell;
import io.quire.notebook.MarkdownCell;
import io.quire.notebook.Notebook;
import io.quire.server.QuireServer;
import io.quire.server.team.TeamAdmin;
import io.quire.server.v1.FileIds;
import io.quire.store.ResourceRole;
import io.quire.store.Store;
import io.quire.store.StoreConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acceptance test of live collaboration: two server nodes (two {@link QuireServer}s, each with its own store
 * connection pool, on one H2 file database) and SDK clients split across them make random concurrent cell inserts,
 * deletes, moves and text edits (same and different cells), with random disconnects, reconnects to either node, and
 * duplicate retries. At the end every client's document equals the persisted document, and the log holds every acknowledged
 * delta exactly once.
 *
 * <p>Fixed seed by default; a longer run: {@code -Dquire.rtu.seed=N -Dquire.rtu.iterations=M -Dquire.rtu.clients=K}.
 */
class RtuConvergenceTest {
    private static final Logger LOG = LoggerFactory.getLogger(RtuConvergenceTest.class);
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void clientsOnTwoNodes_convergeOnThePersistedDocument() throws Exception {
        long seed = Long.getLong("quire.rtu.seed", 20261126L);
        int iterations = Integer.getInteger("quire.rtu.iterations", 60);
        int clients = Integer.getInteger("quire.rtu.clients", 6);
        LOG.info("convergence run: seed {}, {} clients, {} operations each", seed, clients, iterations);
        String url = "jdbc:h2:file:" + dir.resolve("quire").toAbsolutePath() + ";DB_CLOSE_DELAY=-1";
        Store storeA = Store.open(StoreConfig.builder(url).build());
        Store storeB = Store.open(StoreConfig.builder(url).build());
        TeamAdmin.Bootstrap org = new TeamAdmin(storeA, Clock.systemUTC()).initOrganisation("Org", "o@x.example");
        List<String> tokens = List.of(org.token().secret(), TeamServers.member(storeA, org.organisation().id(),
                org.project(), "e1@x.example", Optional.of(ResourceRole.EDITOR)), TeamServers.member(storeA,
                org.organisation().id(), org.project(), "e2@x.example", Optional.of(ResourceRole.EDITOR)));
        try (QuireServer nodeA = TeamServers.start(storeA, dir, "a"); QuireServer nodeB = TeamServers.start(storeB,
                dir, "b")) {
            TeamServers.save(nodeA, tokens.get(0), "together.ipynb", """
                    {"cells": [
                      {"cell_type": "code", "id": "c1", "metadata": {}, "source": "a = 1", "outputs": [],
                       "execution_count": null},
                      {"cell_type": "markdown", "id": "c2", "metadata": {}, "source": "# Title"},
                      {"cell_type": "code", "id": "c3", "metadata": {}, "source": "print(a)", "outputs": [],
                       "execution_count": null}],
                     "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""");
            String file = FileIds.of("together.ipynb");
            Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
            Set<UUID> created = ConcurrentHashMap.newKeySet();
            List<CollabSession> sessions = new ArrayList<>();
            List<List<RtuClient>> nodesOf = new ArrayList<>(); // per session: its client on node A and on node B
            for (int i = 0; i < clients; i++) {
                String token = tokens.get(i % tokens.size());
                List<RtuClient> both = List.of(RtuClient.create(URI.create("http://127.0.0.1:" + nodeA.port()), token),
                        RtuClient.create(URI.create("http://127.0.0.1:" + nodeB.port()), token));
                nodesOf.add(both);
                sessions.add(both.get(i % 2).open(file, WAIT, event -> {
                    if (event instanceof RtuEvent.Ack ack) {
                        acknowledged.add(ack.deltaId());
                    }
                }));
            }

            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    CollabSession session = sessions.get(i);
                    List<RtuClient> both = nodesOf.get(i);
                    Random random = new Random(seed * 31 + i);
                    runs.add(pool.submit(() -> {
                        for (int n = 0; n < iterations; n++) {
                            step(session, both, random, created);
                        }
                        return null;
                    }));
                }
                for (Future<?> run : runs) {
                    run.get();
                }
            } finally {
                pool.shutdownNow();
            }

            for (CollabSession session : sessions) {
                if (!session.isConnected()) {
                    session.reconnect(WAIT);
                }
            }
            for (CollabSession session : sessions) {
                session.awaitQuiet(WAIT);
            }
            DeltaStore deltas = DeltaStores.jdbc(storeA);
            UUID logId = sessions.getFirst().logId();
            long head = deltas.head(logId);
            Notebook persisted = DeltaLog.open(logId, deltas, Notebook.empty(), DeltaLog.Config.defaults()).document();
            for (CollabSession session : sessions) {
                session.awaitSeq(head, WAIT);
                assertThat(session.seq()).isEqualTo(head);
                assertThat(session.document().toJson()).as("client document").isEqualTo(persisted.toJson());
                assertThat(session.confirmed().toJson()).isEqualTo(persisted.toJson());
                session.close();
            }

            List<SequencedDelta> log = deltas.read(logId, 0, head);
            List<UUID> logged = log.stream().map(SequencedDelta::deltaId).toList();
            assertThat(logged).as("every delta once").doesNotHaveDuplicates().hasSize((int) head);
            assertThat(new HashSet<>(logged)).as("acknowledged deltas are in the log").containsAll(acknowledged);
            assertThat(created).as("the log holds only deltas the clients made").containsAll(logged);
            assertThat(head).as("a meaningful amount of work was sequenced").isGreaterThan(clients * iterations / 3);
            LOG.info("converged: {} deltas logged, {} acknowledged, {} cells", head, acknowledged.size(),
                    persisted.cells().size());
        }
    }

    /** One random action of one client. */
    private static void step(CollabSession session, List<RtuClient> nodes, Random random, Set<UUID> created) {
        int action = random.nextInt(100);
        if (action < 3) {
            session.disconnect();
            return;
        }
        if (!session.isConnected() && action < 30) {
            session.reconnect(nodes.get(random.nextInt(2)), WAIT); // either node: the log is shared
        }
        if (action < 8) {
            session.retryInFlight();
            return;
        }
        try {
            Delta delta = session.edit(header -> randomDelta(header, session.document(), random));
            created.add(delta.deltaId());
        } catch (DeltaRejectedException e) {
            throw new AssertionError("a change made against the local document did not fit it", e);
        }
        if (random.nextInt(4) == 0) {
            Thread.yield();
        }
    }

    private static Delta randomDelta(DeltaHeader header, Notebook doc, Random random) {
        List<Cell> cells = doc.cells();
        int n = cells.size();
        int kind = random.nextInt(100);
        if (n == 0 || kind < 12) {
            String id = "k" + UUID.randomUUID().toString().substring(0, 8);
            Cell cell = random.nextBoolean() ? CodeCell.of(Optional.of(id), text(random))
                    : MarkdownCell.of(Optional.of(id), text(random));
            return new Delta.InsertCell(header, random.nextInt(n + 1), cell);
        }
        // half of the edits go to the first two cells, so clients often type into the same cell
        Cell target = cells.get(random.nextBoolean() ? random.nextInt(Math.min(2, n)) : random.nextInt(n));
        String cellId = target.id().orElseThrow();
        if (kind < 20 && n > 2) {
            return new Delta.DeleteCell(header, cellId);
        }
        if (kind < 30 && n > 1) {
            return new Delta.MoveCell(header, cellId, random.nextInt(n));
        }
        String source = target.source().text();
        int at = random.nextInt(source.length() + 1);
        if (at > 0 && at < source.length() && Character.isLowSurrogate(source.charAt(at))) {
            at--; // never split a surrogate pair
        }
        int delete = random.nextInt(4) == 0 ? random.nextInt(Math.min(5, source.length() - at) + 1) : 0;
        if (at + delete < source.length() && Character.isLowSurrogate(source.charAt(at + delete))) {
            delete++;
        }
        TextOperation.Builder op = TextOperation.builder().retain(at).delete(delete);
        if (delete == 0 || random.nextBoolean()) {
            op.insert(text(random));
        }
        op.retain(source.length() - at - delete);
        TextOperation built = op.build();
        if (built.isIdentity()) {
            built = TextOperation.builder().retain(source.length()).insert("!").build();
        }
        return new Delta.EditSource(header, cellId, built);
    }

    private static String text(Random random) {
        String alphabet = "abcxyz 0123\né😀";
        StringBuilder text = new StringBuilder();
        int length = 1 + random.nextInt(4);
        for (int i = 0; i < length; i++) {
            int at = random.nextInt(alphabet.length() - 1);
            if (Character.isHighSurrogate(alphabet.charAt(at))) {
                text.append(alphabet, at, at + 2);
            } else if (Character.isLowSurrogate(alphabet.charAt(at))) {
                text.append('q');
            } else {
                text.append(alphabet.charAt(at));
            }
        }
        return text.toString();
    }
}
