package io.quire.benchmarks;

import io.quire.collab.ClientDocument;
import io.quire.collab.Delta;
import io.quire.collab.DeltaHeader;
import io.quire.collab.DeltaLog;
import io.quire.collab.Fence;
import io.quire.collab.SequencedDelta;
import io.quire.collab.Snapshot;
import io.quire.collab.TextOperation;
import io.quire.collab.spi.DeltaStore;
import io.quire.notebook.Cell;
import io.quire.notebook.CodeCell;
import io.quire.notebook.MarkdownCell;
import io.quire.notebook.Notebook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of applying one delta to a notebook of 100 or 1,000 cells (issue 7), on the two public paths that apply
 * them: the SDK's {@link ClientDocument} (every live session applies every delta of the file) and the server's
 * {@link DeltaLog#submit} (the sequencer applies each delta once to validate it), the latter over a store that keeps
 * nothing, so only the sequencing and applying are measured.
 *
 * <p>The notebook is that of {@code scripts/rtu-bench.sh}: cells {@code c0..c(n-1)}, a markdown cell every tenth, with
 * typical kernelspec and language_info metadata. A text edit types one character into the middle cell and the next one
 * deletes it again, so the document does not grow; an insert is followed by the delete of the same cell.
 *
 * <p>Run: {@code java -jar core/benchmarks/target/quire-benchmarks.jar DeltaApply -f 1 -wi 3 -i 5 -w 1 -r 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DeltaApplyBenchmark {
    private static final UUID FILE = new UUID(7, 7);
    private static final Instant AT = Instant.parse("2026-11-26T00:00:00Z");

    /** How many cells the notebook has. */
    @Param({"100", "1000"})
    public int cells;

    private ClientDocument idle;
    private ClientDocument busy;
    private DeltaLog log;
    private String middle;
    private int middleLength;
    private long ids;
    private boolean typed;

    /** Opens the documents. */
    @Setup(Level.Trial)
    public void setUp() {
        Notebook notebook = notebook(cells);
        middle = "c" + (cells / 2);
        middleLength = notebook.cell(cells / 2).source().text().length();
        idle = new ClientDocument(FILE, "bench", 0, notebook);
        busy = new ClientDocument(FILE, "bench", 0, notebook);
        // an own edit of the last cell that stays in flight: every remote delta is transformed against it and the
        // local document is recomputed over it, as in a session that is typing while others type
        String last = "c" + (cells - 1);
        int lastLength = notebook.cell(cells - 1).source().text().length();
        busy.edit(new Delta.EditSource(busy.newHeader(), last,
                TextOperation.builder().retain(lastLength).insert("!").build()));
        busy.takeNext().orElseThrow();
        log = DeltaLog.open(FILE, new KeepNothingStore(), notebook, DeltaLog.Config.defaults());
    }

    /**
     * The SDK receives another author's text edit, with nothing of its own outstanding.
     *
     * @return the document (consumed by JMH)
     */
    @Benchmark
    public Notebook clientRemoteEdit() {
        idle.serverDelta(new SequencedDelta(idle.seq() + 1, AT, edit(idle.seq())));
        return idle.document();
    }

    /**
     * The SDK receives another author's text edit while its own edit of another cell is in flight.
     *
     * @return the document (consumed by JMH)
     */
    @Benchmark
    public Notebook clientRemoteEditWhileOwnInFlight() {
        busy.serverDelta(new SequencedDelta(busy.seq() + 1, AT, edit(busy.seq())));
        return busy.document();
    }

    /**
     * The SDK receives another author's new cell in the middle of the notebook, then its deletion (two deltas).
     *
     * @return the document (consumed by JMH)
     */
    @Benchmark
    public Notebook clientRemoteInsertThenDelete() {
        String id = "n" + ids;
        idle.serverDelta(new SequencedDelta(idle.seq() + 1, AT, new Delta.InsertCell(header(idle.seq()), cells / 2,
                CodeCell.of(Optional.of(id), "x = 1"))));
        idle.serverDelta(new SequencedDelta(idle.seq() + 1, AT, new Delta.DeleteCell(header(idle.seq()), id)));
        return idle.document();
    }

    /**
     * The server sequences a text edit.
     *
     * @return the document (consumed by JMH)
     */
    @Benchmark
    public Notebook serverEdit() {
        log.submit(edit(log.head()));
        return log.document();
    }

    /**
     * The server sequences a new cell in the middle of the notebook, then its deletion (two deltas).
     *
     * @return the document (consumed by JMH)
     */
    @Benchmark
    public Notebook serverInsertThenDelete() {
        String id = "n" + ids;
        log.submit(new Delta.InsertCell(header(log.head()), cells / 2, CodeCell.of(Optional.of(id), "x = 1")));
        log.submit(new Delta.DeleteCell(header(log.head()), id));
        return log.document();
    }

    /** Types one character at the end of the middle cell, or deletes it again. */
    private Delta edit(long base) {
        TextOperation op = typed
                ? TextOperation.builder().retain(middleLength - 1).delete(1).build()
                : TextOperation.builder().retain(middleLength).insert("x").build();
        middleLength += typed ? -1 : 1;
        typed = !typed;
        return new Delta.EditSource(header(base), middle, op);
    }

    private DeltaHeader header(long base) {
        return new DeltaHeader(new UUID(1, ++ids), FILE, "other", base);
    }

    static Notebook notebook(int size) {
        Notebook empty = Notebook.parse("""
                {"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": {
                  "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                  "language_info": {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
                    "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
                    "pygments_lexer": "ipython3", "version": "3.11.2"}}}""");
        List<Cell> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(i % 10 == 0
                    ? MarkdownCell.of(Optional.of("c" + i), "## Section " + i + "\n\nSome *text* here.\n")
                    : CodeCell.of(Optional.of("c" + i), "import numpy as np\nx = np.arange(" + i + ")\nprint(x.sum())\n"));
        }
        return empty.withCells(list);
    }

    /** A store that keeps only the latest snapshot: the benchmark measures sequencing, not storage. */
    private static final class KeepNothingStore implements DeltaStore {
        private Snapshot latest;

        @Override
        public void append(SequencedDelta delta) {
            // kept nowhere
        }

        @Override
        public void append(SequencedDelta delta, Fence fence) {
            // kept nowhere
        }

        @Override
        public long head(UUID fileId) {
            return 0;
        }

        @Override
        public List<SequencedDelta> read(UUID fileId, long afterSeq, long upToSeq) {
            return List.of();
        }

        @Override
        public Optional<SequencedDelta> findByDeltaId(UUID fileId, UUID deltaId) {
            return Optional.empty();
        }

        @Override
        public long seqAt(UUID fileId, Instant time) {
            return 0;
        }

        @Override
        public void saveSnapshot(Snapshot snapshot) {
            latest = snapshot;
        }

        @Override
        public Optional<Snapshot> latestSnapshot(UUID fileId, long seq) {
            return Optional.ofNullable(latest);
        }
    }
}
