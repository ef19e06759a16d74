package io.quire.server.collab;

import static io.quire.server.collab.Nodes.FILE;
import static io.quire.server.collab.Nodes.code;
import static io.quire.server.collab.Nodes.execute;
import static io.quire.server.collab.Nodes.header;
import static io.quire.server.collab.Nodes.notebook;
import static io.quire.server.collab.Nodes.stdout;
import static org.assertj.core.api.Assertions.assertThat;

import io.quire.collab.Delta;
import io.quire.collab.DeltaLog;
import io.quire.collab.DeltaStores;
import io.quire.collab.ExecuteTarget;
import io.quire.collab.KernelLeases;
import io.quire.collab.SequencedDelta;
import io.quire.collab.TextOperation;
import io.quire.collab.spi.DeltaStore;
import io.quire.notebook.DisplayData;
import io.quire.notebook.ErrorOutput;
import io.quire.notebook.ExecuteResult;
import io.quire.notebook.Notebook;
import io.quire.notebook.Output;
import io.quire.notebook.StreamOutput;
import io.quire.server.collab.SharedExecutionEvent.CellState;
import io.quire.server.collab.SharedExecutionEvent.KernelStatus;
import io.quire.testing.Await;
import io.quire.testing.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedExecutionTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final DeltaStore store = DeltaStores.inMemory();
    private final KernelLeases leases = KernelLeases.inMemory(store, clock);
    private final Recorder events = new Recorder();
    private Nodes.Node node;
    private DeltaLog log;
    private SharedExecution execution;

    private void open(Notebook notebook) {
        log = DeltaLog.open(FILE, store, notebook, DeltaLog.Config.defaults());
        node = Nodes.fakeNode(dir, "node-a", leases);
        execution = node.executions().open(log, FileContext.none());
        execution.addListener(events);
    }

    @AfterEach
    void close() {
        if (node != null) {
            node.close();
        }
    }

    private List<SequencedDelta> kernelDeltas() {
        return log.deltasAfter(0).stream().filter(d -> d.delta().header().author()
                .equals(SharedExecutions.DEFAULT_AUTHOR)).toList();
    }

    @Test
    void execute_runsTheCellOnTheServer_andPersistsClearThenOutputsThenReplaceWithTheCount() {
        open(notebook("a", "print:hello\nresult:42"));

        long seq = execute(log, "a");

        assertThat(events.awaitEnd(seq, "a").state()).isEqualTo(CellState.DONE);
        CellState[] expected = {CellState.QUEUED, CellState.RUNNING, CellState.DONE};
        assertThat(events.states(seq, "a")).containsExactly(expected);
        assertThat(events.last(seq, "a").orElseThrow().executionCount()).contains(1);
        List<Output> outputs = code(log.document(), "a").outputs();
        assertThat(outputs).hasSize(2);
        assertThat(stdout(outputs)).isEqualTo("hello\n");
        assertThat(outputs.get(1)).isInstanceOf(ExecuteResult.class);
        assertThat(code(log.document(), "a").executionCount()).contains(1);
        List<SequencedDelta> written = kernelDeltas();
        assertThat(written.getFirst().delta()).isInstanceOf(Delta.ClearOutputs.class);
        assertThat(written.getLast().delta()).isInstanceOfSatisfying(Delta.ReplaceOutputs.class, replace ->
                assertThat(replace.executionCount()).contains(1));
        assertThat(events.statuses()).startsWith(KernelStatus.STARTING, KernelStatus.IDLE, KernelStatus.BUSY);
        Await.until(Recorder.WAIT, "idle after the run", () -> events.statuses().getLast() == KernelStatus.IDLE);
        assertThat(execution.status().holdsLease()).isTrue();
    }

    @Test
    void requests_runInLogOrder_andAllExpandsToTheCodeCellsOfTheDocumentAtItsSeq() {
        open(notebook("a", "print:a", "md1", "# title", "c", "print:c"));

        long first = execute(log, "c");
        long second = execute(log, new ExecuteTarget.All());
        long third = execute(log, new ExecuteTarget.Below("md1"));

        events.awaitEnd(third, "c");
        assertThat(events.started()).containsExactly(first + ":c", second + ":a", second + ":c", third + ":c");
        assertThat(stdout(code(log.document(), "a").outputs())).isEqualTo("a\n");
    }

    @Test
    void theSourceRun_isTheSourceAtTheExecuteDeltasSeq_notALaterEdit() {
        open(notebook("slow", "sleep:300", "a", "print:old"));
        execute(log, "slow");
        long seq = execute(log, "a");
        String source = "print:old";
        log.submit(new Delta.EditSource(header(log, "bob"), "a", TextOperation.builder().retain(6)
                .delete(3).insert("new").build()));
        assertThat(code(log.document(), "a").source().text()).isEqualTo("print:new");

        assertThat(events.awaitEnd(seq, "a").state()).isEqualTo(CellState.DONE);
        assertThat(stdout(code(log.document(), "a").outputs())).isEqualTo("old\n");
        assertThat(source).isNotEqualTo(code(log.document(), "a").source().text());
    }

    @Test
    void aFailingCell_cancelsTheRestOfItsRequest_butLaterRequestsRun() {
        open(notebook("a", "error:ValueError:bad", "c", "print:c"));

        long all = execute(log, new ExecuteTarget.All());
        long later = execute(log, "c");

        assertThat(events.awaitEnd(all, "a")).satisfies(e -> {
            assertThat(e.state()).isEqualTo(CellState.ERROR);
            assertThat(e.reason()).hasValueSatisfying(r -> assertThat(r).contains("ValueError: bad"));
        });
        assertThat(events.awaitEnd(all, "c").state()).isEqualTo(CellState.CANCELLED);
        assertThat(events.awaitEnd(later, "c").state()).isEqualTo(CellState.DONE);
        assertThat(code(log.document(), "a").outputs()).singleElement().isInstanceOf(ErrorOutput.class);
    }

    @Test
    void interrupt_endsTheRunningCellInterrupted_cancelsEveryQueuedCell_andLaterRequestsStillRun() {
        open(notebook("a", "print:started\nsleep:20000\nprint:never", "c", "print:c"));
        long all = execute(log, new ExecuteTarget.All());
        long queued = execute(log, "c");
        events.awaitState(all, "a", CellState.RUNNING);
        // the kernel is inside the cell once its first output is in the document (an interrupt that reaches the
        // kernel before the cell starts interrupts nothing, as with a real kernel)
        Await.until(Duration.ofSeconds(10), "the first output of cell a",
                () -> stdout(code(log.document(), "a").outputs()).equals("started\n"));

        assertThat(execution.interrupt("ann")).isEqualTo(ControlResult.APPLIED);

        assertThat(events.awaitEnd(all, "a")).satisfies(e -> {
            assertThat(e.state()).isEqualTo(CellState.INTERRUPTED);
            assertThat(e.reason()).contains("interrupted by ann");
        });
        assertThat(events.awaitEnd(all, "c").state()).isEqualTo(CellState.CANCELLED);
        assertThat(events.awaitEnd(queued, "c").state()).isEqualTo(CellState.CANCELLED);
        long after = execute(log, "c");
        assertThat(events.awaitEnd(after, "c").state()).isEqualTo(CellState.DONE);
        List<Output> outputs = code(log.document(), "a").outputs();
        assertThat(stdout(outputs)).isEqualTo("started\n");
        assertThat(outputs.getLast()).isInstanceOfSatisfying(ErrorOutput.class, error ->
                assertThat(error.ename()).isEqualTo("KeyboardInterrupt"));
        assertThat(events.started()).containsExactly(all + ":a", after + ":c");
    }

    @Test
    void restart_broadcastsRestartingThenIdle_andInterruptsTheRunningCell() {
        open(notebook("a", "sleep:20000", "c", "print:c"));
        long seq = execute(log, "a");
        events.awaitState(seq, "a", CellState.RUNNING);

        assertThat(execution.restart("bob")).isEqualTo(ControlResult.APPLIED);

        assertThat(events.awaitEnd(seq, "a").state()).isEqualTo(CellState.INTERRUPTED);
        assertThat(events.statuses()).containsSubsequence(KernelStatus.RESTARTING, KernelStatus.IDLE);
        assertThat(events.events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(
                SharedExecutionEvent.KernelStatusChanged.class, s -> assertThat(s.reason())
                        .contains("kernel restarted by bob")));
        long after = execute(log, "c");
        assertThat(events.awaitEnd(after, "c").state()).isEqualTo(CellState.DONE);
    }

    @Test
    void shutdown_reportsDead_andTheNextRequestStartsANewKernel() {
        open(notebook("a", "print:a"));
        long first = execute(log, "a");
        events.awaitEnd(first, "a");
        String kernel = node.kernels().list().getFirst().id();

        assertThat(execution.shutdown("ann")).isEqualTo(ControlResult.APPLIED);

        assertThat(execution.status().kernel().status()).isEqualTo(KernelStatus.DEAD);
        assertThat(node.kernels().list()).isEmpty();
        assertThat(execution.interrupt("ann")).isEqualTo(ControlResult.NO_KERNEL);
        long second = execute(log, "a");
        assertThat(events.awaitEnd(second, "a").state()).isEqualTo(CellState.DONE);
        assertThat(node.kernels().list()).singleElement().satisfies(k -> assertThat(k.id()).isNotEqualTo(kernel));
    }

    @Test
    void aCellDeletedBeforeItsTurn_isSkipped_andOneDeletedWhileItRuns_losesItsOutputsWithoutCrashing() {
        open(notebook("slow", "print:x\nsleep:400\nprint:y", "gone", "print:gone", "c", "print:c"));
        long first = execute(log, "slow", "gone", "c");
        events.awaitState(first, "slow", CellState.RUNNING);
        Await.until(Recorder.WAIT, "first output persisted", () -> stdout(code(log.document(), "slow").outputs())
                .equals("x\n"));

        log.submit(new Delta.DeleteCell(header(log, "bob"), "slow"));
        log.submit(new Delta.DeleteCell(header(log, "bob"), "gone"));

        assertThat(events.awaitEnd(first, "slow")).satisfies(e -> {
            assertThat(e.state()).isEqualTo(CellState.DONE);
            assertThat(e.reason()).hasValueSatisfying(r -> assertThat(r).contains("outputs were dropped"));
        });
        assertThat(events.awaitEnd(first, "gone").state()).isEqualTo(CellState.SKIPPED);
        assertThat(events.awaitEnd(first, "c").state()).isEqualTo(CellState.DONE);
        assertThat(log.document().indexOf("slow")).isEmpty();
    }

    @Test
    void streamChunks_arePersistedCoalesced_inFewerDeltasThanMessages() {
        StringBuilder source = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            source.append("print:line ").append(i).append('\n');
        }
        open(notebook("a", source.toString()));

        long seq = execute(log, "a");

        assertThat(events.awaitEnd(seq, "a").state()).isEqualTo(CellState.DONE);
        List<Output> outputs = code(log.document(), "a").outputs();
        assertThat(outputs).singleElement().isInstanceOf(StreamOutput.class);
        assertThat(stdout(outputs)).startsWith("line 0\nline 1\n").endsWith("line 199\n");
        List<SequencedDelta> appends = kernelDeltas().stream().filter(d -> d.delta() instanceof Delta.AppendOutputs)
                .toList();
        assertThat(appends.size()).isLessThan(50);
        for (SequencedDelta append : appends) {
            List<Output> batch = ((Delta.AppendOutputs) append.delta()).outputs();
            assertThat(batch).as("one coalesced stream per batch").hasSize(1);
        }
    }

    @Test
    void clearOutputWait_andUpdateDisplayData_endAsInJupyter() {
        open(notebook("a", "display-id:d1:text/plain:one\nprint:first\nclear:wait\nprint:after",
                "b", "display-id:d2:text/plain:old", "c", "update:d2:text/plain:new"));

        long seq = execute(log, new ExecuteTarget.All());

        assertThat(events.awaitEnd(seq, "c").state()).isEqualTo(CellState.DONE);
        Notebook document = log.document();
        assertThat(code(document, "a").outputs()).singleElement().satisfies(o ->
                assertThat(stdout(List.of(o))).isEqualTo("after\n"));
        Await.until(Recorder.WAIT, "display d2 updated in cell b", () -> code(log.document(), "b").outputs()
                .stream().anyMatch(o -> o instanceof DisplayData d && d.toJson().toString().contains("new")));
        assertThat(code(log.document(), "c").outputs()).isEmpty();
    }

    @Test
    void outputChunks_reachListeners_withTheDeltasThatPersistThem() {
        open(notebook("a", "print:one\nsleep:100\nprint:two"));

        long seq = execute(log, "a");

        events.awaitEnd(seq, "a");
        List<SharedExecutionEvent.OutputChunk> chunks = events.events.stream()
                .filter(SharedExecutionEvent.OutputChunk.class::isInstance)
                .map(SharedExecutionEvent.OutputChunk.class::cast).toList();
        assertThat(chunks).isNotEmpty();
        assertThat(chunks.getFirst().replace()).isFalse();
        assertThat(stdout(chunks.getFirst().outputs())).isEqualTo("one\n");
        assertThat(chunks.getLast().replace()).isTrue();
        assertThat(stdout(chunks.getLast().outputs())).isEqualTo("one\ntwo\n");
    }

    @Test
    void anExecutionOpenedLater_queuesTheRequestsTheLeaseDoesNotMarkDone() {
        log = DeltaLog.open(FILE, store, notebook("a", "print:a"), DeltaLog.Config.defaults());
        long seq = execute(log, "a");
        node = Nodes.fakeNode(dir, "node-a", leases);

        execution = node.executions().open(log, FileContext.none());
        execution.addListener(events);

        Await.until(Recorder.WAIT, "the request run", () -> stdout(code(log.document(), "a").outputs())
                .equals("a\n"));
        Await.until(Recorder.WAIT, "progress recorded", () -> leases.read(FILE).orElseThrow().progress()
                .doneSeq() == seq);
        assertThat(leases.read(FILE).orElseThrow().progress().running()).isEqualTo(Optional.empty());
    }
}
