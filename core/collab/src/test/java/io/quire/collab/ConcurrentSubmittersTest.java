package io.quire.collab;

import static io.quire.collab.Fixtures.FILE;
import static io.quire.collab.Fixtures.notebook;
import static io.quire.collab.Fixtures.source;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quire.collab.spi.DeltaStore;
import io.quire.notebook.CodeCell;
import io.quire.notebook.Notebook;
import io.quire.store.Store;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several threads (and, in one test, two sequencers standing for two server nodes) submit concurrent deltas based on
 * whatever state they last saw; the log must stay gap-free and every party must end with the same document.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(StoreKind.class)
class ConcurrentSubmittersTest {
    private static final int THREADS = 4;
    private static final int PER_THREAD = 30;

    @Parameter
    StoreKind kind;

    private Optional<Store> database;
    private DeltaStore store;

    @BeforeEach
    void open() {
        database = kind.openDatabase();
        store = StoreKind.deltaStore(database);
    }

    @AfterEach
    void close() {
        database.ifPresent(Store::close);
    }

    @Test
    void threadsOnOneLog_getGapFreeSeqs_andEveryInsertedTokenSurvivesOnce() throws Exception {
        DeltaLog log = DeltaLog.open(FILE, store, notebook(), DeltaLog.Config.defaults().withSnapshotEvery(7));

        List<Ack> acks = run(List.of(log), 11L);

        assertGapFree(acks);
        assertTokens(log.document());
        assertReloadsTheSame(log);
    }

    @Test
    void twoSequencersOnOneStore_keepOneLinearLog_andConverge() throws Exception {
        DeltaLog.Config config = DeltaLog.Config.defaults().withSnapshotEvery(5).withMaxAttempts(200);
        DeltaLog nodeA = DeltaLog.open(FILE, store, notebook(), config);
        DeltaLog nodeB = DeltaLog.open(FILE, store, Notebook.empty(), config);

        List<Ack> acks = run(List.of(nodeA, nodeB), 23L);
        nodeA.refresh();
        nodeB.refresh();

        assertGapFree(acks);
        assertThat(nodeA.head()).isEqualTo(nodeB.head()).isEqualTo(acks.size());
        assertThat(nodeA.document()).isEqualTo(nodeB.document());
        assertTokens(nodeA.document());
        assertReloadsTheSame(nodeA);
    }

    @Test
    void retryOnAnotherSequencer_getsTheOriginalAck() {
        DeltaLog nodeA = DeltaLog.open(FILE, store, notebook(), DeltaLog.Config.defaults());
        DeltaLog nodeB = DeltaLog.open(FILE, store, notebook(), DeltaLog.Config.defaults());
        Delta delta = new Delta.DeleteCell(Fixtures.header("ann", 0), "b");

        Ack first = nodeA.submit(delta);
        Ack retry = nodeB.submit(delta);

        assertThat(retry).isEqualTo(first);
        assertThat(store.head(FILE)).isEqualTo(1);
        assertThat(nodeB.document()).isEqualTo(nodeA.document());
    }

    /** Each thread edits against the state it last read, which others have usually moved on from. */
    private List<Ack> run(List<DeltaLog> nodes, long seed) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<Ack>>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                DeltaLog log = nodes.get(t % nodes.size());
                String author = "user" + t;
                Random random = new Random(seed + t);
                futures.add(pool.submit(() -> {
                    List<Ack> acks = new ArrayList<>();
                    for (int i = 0; i < PER_THREAD; i++) {
                        DeltaLog.State seen = log.state();
                        DeltaHeader header = new DeltaHeader(UUID.randomUUID(), FILE, author, seen.seq());
                        acks.add(log.submit(randomDelta(random, header, seen.notebook(), author, i)));
                        if (random.nextInt(5) == 0) {
                            Thread.yield();
                        }
                    }
                    return acks;
                }));
            }
            List<Ack> all = new ArrayList<>();
            for (Future<List<Ack>> future : futures) {
                all.addAll(future.get(120, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Mostly text edits of cells "a" and "c" (never deleted), plus metadata, outputs and cell inserts. */
    private static Delta randomDelta(Random random, DeltaHeader header, Notebook seen, String author, int i) {
        String token = "<" + author + ":" + i + ">";
        return switch (random.nextInt(6)) {
            case 0, 1, 2 -> {
                String cell = random.nextBoolean() ? "a" : "c";
                String text = source(seen, cell);
                // between tokens (start, end, or after a '>'), so no token is split by a later one
                List<Integer> places = new ArrayList<>(List.of(0, text.length()));
                for (int at = text.indexOf('>'); at >= 0; at = text.indexOf('>', at + 1)) {
                    places.add(at + 1);
                }
                yield new Delta.EditSource(header, cell, Fixtures.insertAt(text,
                        places.get(random.nextInt(places.size())), token));
            }
            case 3 -> new Delta.SetNotebookMetadata(header, List.of("last", author),
                    Optional.of(JsonNodeFactory.instance.numberNode(i)));
            case 4 -> new Delta.InsertCell(header, random.nextInt(seen.cells().size() + 1),
                    CodeCell.of(Optional.of(author + "-" + i), token));
            default -> new Delta.ClearOutputs(header, "c");
        };
    }

    private static void assertGapFree(List<Ack> acks) {
        List<Long> seqs = new ArrayList<>(acks.stream().map(Ack::seq).toList());
        Collections.sort(seqs);
        assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, THREADS * PER_THREAD).boxed().toList());
    }

    /** Every token a thread inserted (in a source edit or a new cell) is in the document exactly once. */
    private void assertTokens(Notebook document) {
        String all = String.join("|", document.cells().stream().map(cell -> cell.source().text()).toList());
        List<String> seqTokens = new ArrayList<>();
        for (SequencedDelta logged : store.read(FILE, 0, Long.MAX_VALUE)) {
            switch (logged.delta()) {
                case Delta.EditSource edit -> edit.operation().components().stream()
                        .filter(TextOperation.Insert.class::isInstance)
                        .forEach(c -> seqTokens.add(((TextOperation.Insert) c).text()));
                case Delta.InsertCell insert -> seqTokens.add(insert.cell().source().text());
                default -> { }
            }
        }
        assertThat(seqTokens).isNotEmpty();
        for (String token : seqTokens) {
            assertThat(all.indexOf(token)).as(token).isNotNegative();
            assertThat(all.indexOf(token)).as(token + " once").isEqualTo(all.lastIndexOf(token));
        }
    }

    /** A fresh sequencer (latest snapshot + later deltas) and a replay from seq 0 give the live document. */
    private void assertReloadsTheSame(DeltaLog log) {
        DeltaLog reopened = DeltaLog.open(FILE, store, Notebook.empty(), DeltaLog.Config.defaults());
        assertThat(reopened.head()).isEqualTo(log.head());
        assertThat(reopened.document()).isEqualTo(log.document());
        assertThat(store.latestSnapshot(FILE, Long.MAX_VALUE).orElseThrow().seq()).isPositive();
        Notebook replayed = store.latestSnapshot(FILE, 0).orElseThrow().notebook();
        for (SequencedDelta logged : store.read(FILE, 0, Long.MAX_VALUE)) {
            replayed = Documents.apply(replayed, logged.delta()).notebook();
        }
        assertThat(replayed).isEqualTo(log.document());
        assertThat(log.asOf(log.head() / 2)).isEqualTo(reopened.asOf(log.head() / 2));
    }
}
