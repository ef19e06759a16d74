package io.quire.server.collab;

import static io.quire.server.collab.Nodes.FILE;
import static io.quire.server.collab.Nodes.TTL;
import static io.quire.server.collab.Nodes.code;
import static io.quire.server.collab.Nodes.execute;
import static io.quire.server.collab.Nodes.notebook;
import static io.quire.server.collab.Nodes.stdout;
import static org.assertj.core.api.Assertions.assertThat;

import io.quire.collab.DeltaLog;
import io.quire.collab.DeltaStores;
import io.quire.collab.KernelLeases;
import io.quire.collab.LeaseState;
import io.quire.collab.spi.DeltaStore;
import io.quire.notebook.ErrorOutput;
import io.quire.notebook.Notebook;
import io.quire.notebook.Output;
import io.quire.notebook.StreamOutput;
import io.quire.server.collab.SharedExecutionEvent.CellState;
import io.quire.server.collab.SharedExecutionEvent.KernelStatus;
import io.quire.store.Backend;
import io.quire.store.Store;
import io.quire.store.TestDatabases;
import io.quire.testing.Await;
import io.quire.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Two server nodes on one store: one runs a file's kernel at a time, the other takes over when it dies. */
@ParameterizedClass(name = "{0}")
@EnumSource(KernelLeaseTakeoverTest.Kind.class)
class KernelLeaseTakeoverTest {
    /** Where the log and the leases live. */
    enum Kind { MEMORY, H2, POSTGRESQL }

    @Parameter
    Kind kind;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private Store database;
    private DeltaStore store;
    private KernelLeases leases;
    private Nodes.Node nodeA;
    private Nodes.Node nodeB;
    private final Recorder eventsA = new Recorder();
    private final Recorder eventsB = new Recorder();

    @BeforeEach
    void open() {
        switch (kind) {
            case MEMORY -> {
                store = DeltaStores.inMemory();
                leases = KernelLeases.inMemory(store, clock);
            }
            case H2, POSTGRESQL -> {
                database = Store.open(TestDatabases.config(kind == Kind.H2 ? Backend.H2 : Backend.POSTGRESQL)
                        .build());
                store = DeltaStores.jdbc(database);
                leases = KernelLeases.jdbc(database, clock);
            }
        }
        nodeA = Nodes.fakeNode(dir, "node-a", leases);
        nodeB = Nodes.fakeNode(dir, "node-b", leases);
    }

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
        if (database != null) {
            database.close();
        }
    }

    private DeltaLog log(Notebook initial) {
        return DeltaLog.open(FILE, store, initial, DeltaLog.Config.defaults());
    }

    @Test
    void whenTheHolderDies_anotherNodeTakesOver_marksTheRunningCellInterrupted_keepsItsOutputs_andRunsTheQueue() {
        Notebook initial = notebook("a", "print:before\nsleep:30000\nprint:after", "c", "print:c");
        DeltaLog logA = log(initial);
        DeltaLog logB = log(initial);
        SharedExecution execA = nodeA.executions().open(logA, FileContext.none());
        SharedExecution execB = nodeB.executions().open(logB, FileContext.none());
        execA.addListener(eventsA);
        execB.addListener(eventsB);

        long first = execute(logA, "a", "c");
        long second = execute(logA, "c");
        eventsA.awaitState(first, "a", CellState.RUNNING);
        Await.until(Recorder.WAIT, "node A persisted the first output", () -> {
            logB.refresh();
            return stdout(code(logB.document(), "a").outputs()).equals("before\n");
        });

        execB.checkLease();
        assertThat(eventsB.started()).as("node B waits while node A's lease lasts").isEmpty();
        assertThat(leases.read(FILE).orElseThrow().lease().nodeId()).isEqualTo("node-a");

        // node A "dies": it stops renewing, and its lease runs out
        clock.advance(TTL.plusSeconds(1));
        execB.checkLease();

        assertThat(eventsB.awaitEnd(first, "a")).satisfies(e -> {
            assertThat(e.state()).isEqualTo(CellState.INTERRUPTED);
            assertThat(e.reason()).hasValueSatisfying(r -> assertThat(r).contains("node-b took"));
        });
        assertThat(eventsB.awaitEnd(first, "c").state()).isEqualTo(CellState.CANCELLED);
        assertThat(eventsB.awaitEnd(second, "c").state()).isEqualTo(CellState.DONE);
        LeaseState lease = leases.read(FILE).orElseThrow();
        assertThat(lease.lease().nodeId()).isEqualTo("node-b");
        assertThat(lease.lease().epoch()).isEqualTo(2);

        // node A comes back to its senses: it finds the lease lost, stops its kernel and persists nothing more
        execA.checkLease();
        assertThat(eventsA.awaitEnd(first, "a").state()).isEqualTo(CellState.INTERRUPTED);
        eventsA.awaitStatus(KernelStatus.DEAD);
        Await.until(Recorder.WAIT, "node A's kernel stopped", () -> nodeA.kernels().list().isEmpty());
        Await.until(Recorder.WAIT, "node B's progress recorded", () -> leases.read(FILE).orElseThrow().progress()
                .doneSeq() == second);

        Notebook reloaded = log(Notebook.empty()).document();
        List<Output> outputs = code(reloaded, "a").outputs();
        assertThat(outputs).hasSize(2);
        assertThat(outputs.getFirst()).isInstanceOfSatisfying(StreamOutput.class, s ->
                assertThat(s.text().text()).isEqualTo("before\n"));
        assertThat(outputs.get(1)).isInstanceOfSatisfying(ErrorOutput.class, error ->
                assertThat(error.ename()).isEqualTo(SharedExecutions.INTERRUPTED_ENAME));
        assertThat(stdout(code(reloaded, "c").outputs())).isEqualTo("c\n");
        assertThat(eventsA.started()).containsExactly(first + ":a");
        assertThat(eventsB.started()).containsExactly(second + ":c");
    }

    @Test
    void whenTheHolderStopsCleanly_itReleasesTheLease_andTheNextNodeMarksTheCutOffCellAtOnce() {
        Notebook initial = notebook("a", "print:before\nsleep:30000", "c", "print:c");
        DeltaLog logA = log(initial);
        DeltaLog logB = log(initial);
        SharedExecution execA = nodeA.executions().open(logA, FileContext.none());
        SharedExecution execB = nodeB.executions().open(logB, FileContext.none());
        execA.addListener(eventsA);
        execB.addListener(eventsB);
        long first = execute(logA, "a");
        long second = execute(logA, "c");
        eventsA.awaitState(first, "a", CellState.RUNNING);
        Await.until(Recorder.WAIT, "node A persisted the first output", () -> {
            logA.refresh();
            return stdout(code(logA.document(), "a").outputs()).equals("before\n");
        });

        nodeA.executions().close(FILE);
        execB.checkLease();

        assertThat(eventsB.awaitEnd(first, "a").state()).isEqualTo(CellState.INTERRUPTED);
        assertThat(eventsB.awaitEnd(second, "c").state()).isEqualTo(CellState.DONE);
        assertThat(leases.read(FILE).orElseThrow().lease().epoch()).isEqualTo(2);
        Notebook reloaded = log(Notebook.empty()).document();
        assertThat(stdout(code(reloaded, "a").outputs())).isEqualTo("before\n");
        assertThat(code(reloaded, "a").outputs().getLast()).isInstanceOfSatisfying(ErrorOutput.class, error ->
                assertThat(error.ename()).isEqualTo(SharedExecutions.INTERRUPTED_ENAME));
        assertThat(stdout(code(reloaded, "c").outputs())).isEqualTo("c\n");
        assertThat(execA.status().kernel().status()).isEqualTo(KernelStatus.DEAD);
    }

    @Test
    void twoNodesRacingForAFreeLease_runTheRequestOnce() throws Exception {
        Notebook initial = notebook("a", "print:once");
        DeltaLog logA = log(initial);
        DeltaLog logB = log(initial);
        long seq = execute(logA, "a");
        logB.refresh();

        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<SharedExecution> openA = CompletableFuture.supplyAsync(() -> {
            await(go);
            SharedExecution execution = nodeA.executions().open(logA, FileContext.none());
            execution.addListener(eventsA);
            return execution;
        });
        CompletableFuture<SharedExecution> openB = CompletableFuture.supplyAsync(() -> {
            await(go);
            SharedExecution execution = nodeB.executions().open(logB, FileContext.none());
            execution.addListener(eventsB);
            return execution;
        });
        go.countDown();
        openA.get();
        openB.get();

        Await.until(Recorder.WAIT, "the request done", () -> leases.read(FILE).map(state ->
                state.progress().doneSeq() == seq).orElse(false));
        nodeA.executions().tick();
        nodeB.executions().tick();
        Notebook reloaded = log(Notebook.empty()).document();
        assertThat(stdout(code(reloaded, "a").outputs())).isEqualTo("once\n");
        assertThat(nodeA.kernels().list().size() + nodeB.kernels().list().size()).isEqualTo(1);
        String holder = leases.read(FILE).orElseThrow().lease().nodeId();
        assertThat(holder).isIn("node-a", "node-b");
        assertThat(leases.read(FILE).orElseThrow().lease().epoch()).isEqualTo(1);
        long kernelDeltas = logA.deltasAfter(0).stream().filter(d -> d.delta().header().author()
                .equals(SharedExecutions.DEFAULT_AUTHOR)).count();
        assertThat(kernelDeltas).as("one clear, one append at most, one replace").isBetween(2L, 3L);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
