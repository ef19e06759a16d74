package io.quire.collab;

import static io.quire.collab.Fixtures.FILE;
import static io.quire.collab.Fixtures.header;
import static io.quire.collab.Fixtures.ids;
import static io.quire.collab.Fixtures.insertAt;
import static io.quire.collab.Fixtures.notebook;
import static io.quire.collab.Fixtures.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quire.collab.spi.DeltaStore;
import io.quire.notebook.CodeCell;
import io.quire.notebook.MarkdownCell;
import io.quire.notebook.MultilineText;
import io.quire.notebook.Notebook;
import io.quire.notebook.Output;
import io.quire.notebook.RawCell;
import io.quire.notebook.StreamOutput;
import io.quire.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeltaLogTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final DeltaStore store = DeltaStores.inMemory();
    private final DeltaLog log = DeltaLog.open(FILE, store, notebook(),
            DeltaLog.Config.defaults().withSnapshotEvery(3).withClock(clock));

    private static final Output HELLO = new StreamOutput("stdout", MultilineText.of("hello\n"),
            JsonNodeFactory.instance.objectNode());

    // ------------------------------------------------------------------------------------------ each delta type

    @Test
    void insertCell_placesTheCellAtTheIndex() {
        Ack ack = log.submit(new Delta.InsertCell(header("ann", 0), 1, CodeCell.of(Optional.of("n"), "new")));

        assertThat(ack.seq()).isEqualTo(1);
        assertThat(ids(log.document())).containsExactly("a", "n", "b", "c");
    }

    @Test
    void deleteCell_removesIt() {
        log.submit(new Delta.DeleteCell(header("ann", 0), "b"));

        assertThat(ids(log.document())).containsExactly("a", "c");
    }

    @Test
    void moveCell_putsItAtTheNewIndex() {
        log.submit(new Delta.MoveCell(header("ann", 0), "a", 2));

        assertThat(ids(log.document())).containsExactly("b", "c", "a");
    }

    @Test
    void editSource_appliesTheTextOperation_keepingTheSourceSplitAsJupyterDoes() {
        log.submit(new Delta.EditSource(header("ann", 0), "a", insertAt("x = 1\n", 6, "y = 2\n")));

        assertThat(source(log.document(), "a")).isEqualTo("x = 1\ny = 2\n");
        assertThat(log.document().cell(0).source().parts()).containsExactly("x = 1\n", "y = 2\n");
    }

    @Test
    void setCellType_convertsKeepingIdSourceAndMetadata_andDroppingOutputs() {
        log.submit(new Delta.AppendOutputs(header("ann", 0), "a", List.of(HELLO)));
        log.submit(new Delta.SetCellType(header("ann", 1), "a", "markdown"));
        log.submit(new Delta.SetCellType(header("ann", 2), "b", "raw"));

        assertThat(log.document().cell(0)).isInstanceOfSatisfying(MarkdownCell.class, cell -> {
            assertThat(cell.id()).contains("a");
            assertThat(cell.source().text()).isEqualTo("x = 1\n");
        });
        assertThat(log.document().cell(1)).isInstanceOf(RawCell.class);

        log.submit(new Delta.SetCellType(header("ann", 3), "a", "code"));
        assertThat(log.document().cell(0)).isInstanceOfSatisfying(CodeCell.class, cell ->
                assertThat(cell.outputs()).isEmpty());
    }

    @Test
    void setCellMetadata_setsNestedValues_andRemovesKeys() {
        log.submit(new Delta.SetCellMetadata(header("ann", 0), "a", List.of("jupyter", "source_hidden"),
                Optional.of(JsonNodeFactory.instance.booleanNode(true))));
        assertThat(log.document().cell(0).metadata().at("/jupyter/source_hidden").booleanValue()).isTrue();

        log.submit(new Delta.SetCellMetadata(header("ann", 1), "a", List.of("jupyter", "source_hidden"),
                Optional.empty()));
        assertThat(log.document().cell(0).metadata().get("jupyter").has("source_hidden")).isFalse();
    }

    @Test
    void setNotebookMetadata_setsTheValue() {
        log.submit(new Delta.SetNotebookMetadata(header("ann", 0), List.of("kernelspec", "name"),
                Optional.of(JsonNodeFactory.instance.textNode("python3"))));

        assertThat(log.document().kernelName()).contains("python3");
    }

    @Test
    void outputs_appendReplaceAndClear() {
        log.submit(new Delta.AppendOutputs(header("k", 0), "a", List.of(HELLO)));
        log.submit(new Delta.AppendOutputs(header("k", 1), "a", List.of(HELLO)));
        assertThat(((CodeCell) log.document().cell(0)).outputs()).hasSize(2);

        log.submit(new Delta.ReplaceOutputs(header("k", 2), "a", List.of(HELLO), Optional.of(4)));
        CodeCell replaced = (CodeCell) log.document().cell(0);
        assertThat(replaced.outputs()).containsExactly(HELLO);
        assertThat(replaced.executionCount()).contains(4);

        log.submit(new Delta.ClearOutputs(header("k", 3), "a"));
        CodeCell cleared = (CodeCell) log.document().cell(0);
        assertThat(cleared.outputs()).isEmpty();
        assertThat(cleared.executionCount()).isEmpty();
    }

    @Test
    void executeRequest_isLoggedWithoutChangingTheDocument_andResolvesToCodeCells() {
        Notebook before = log.document();

        Ack ack = log.submit(new Delta.ExecuteRequest(header("ann", 0), new ExecuteTarget.All()));

        assertThat(ack.seq()).isEqualTo(1);
        assertThat(log.document()).isEqualTo(before);
        assertThat(new ExecuteTarget.All().resolve(before)).containsExactly("a", "c");
        assertThat(new ExecuteTarget.Above("c").resolve(before)).containsExactly("a");
        assertThat(new ExecuteTarget.Below("b").resolve(before)).containsExactly("c");
        assertThat(new ExecuteTarget.Cells(List.of("c", "b", "a")).resolve(before)).containsExactly("c", "a");
    }

    // ------------------------------------------------------------------------------------------ rejections

    @Test
    void editOfACellDeletedConcurrently_isRejectedAsCellDeleted() {
        log.submit(new Delta.DeleteCell(header("bob", 0), "a"));

        assertThatThrownBy(() -> log.submit(new Delta.EditSource(header("ann", 0), "a", insertAt("x = 1\n", 0, "#"))))
                .isInstanceOfSatisfying(DeltaRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectReason.CELL_DELETED);
                    assertThat(e.code()).isEqualTo("collab.rejected.cell_deleted");
                    assertThat(e.getMessage()).contains("'a'").contains("bob");
                });
        assertThat(log.head()).isEqualTo(1);
    }

    @Test
    void rejections_nameTheirReason_andChangeNothing() {
        Notebook before = log.document();
        expectRejected(new Delta.DeleteCell(header("ann", 0), "zz"), RejectReason.CELL_NOT_FOUND);
        expectRejected(new Delta.InsertCell(header("ann", 0), 4, CodeCell.of(Optional.of("n"), "")),
                RejectReason.INDEX_OUT_OF_RANGE);
        expectRejected(new Delta.InsertCell(header("ann", 0), 0, CodeCell.of(Optional.of("a"), "")),
                RejectReason.DUPLICATE_CELL_ID);
        expectRejected(new Delta.MoveCell(header("ann", 0), "a", 3), RejectReason.INDEX_OUT_OF_RANGE);
        expectRejected(new Delta.AppendOutputs(header("ann", 0), "b", List.of(HELLO)), RejectReason.NOT_A_CODE_CELL);
        expectRejected(new Delta.EditSource(header("ann", 0), "a", TextOperation.identity(99)),
                RejectReason.TEXT_MISMATCH);
        expectRejected(new Delta.DeleteCell(header("ann", 5), "a"), RejectReason.BASE_AHEAD);
        expectRejected(new Delta.DeleteCell(new DeltaHeader(UUID.randomUUID(), UUID.randomUUID(), "ann", 0), "a"),
                RejectReason.WRONG_FILE);
        expectRejected(new Delta.ExecuteRequest(header("ann", 0), new ExecuteTarget.Below("zz")),
                RejectReason.CELL_NOT_FOUND);

        assertThat(log.head()).isZero();
        assertThat(log.document()).isEqualTo(before);
        assertThat(store.head(FILE)).isZero();
    }

    @Test
    void metadataPathThroughANonObject_isRejected() {
        log.submit(new Delta.SetNotebookMetadata(header("ann", 0), List.of("x"),
                Optional.of(JsonNodeFactory.instance.numberNode(1))));

        expectRejected(new Delta.SetNotebookMetadata(header("ann", 1), List.of("x", "y"),
                Optional.of(JsonNodeFactory.instance.numberNode(2))), RejectReason.BAD_METADATA_PATH);
        assertThat(log.head()).isEqualTo(1);
    }

    private void expectRejected(Delta delta, RejectReason reason) {
        assertThatThrownBy(() -> log.submit(delta)).as(reason.name())
                .isInstanceOfSatisfying(DeltaRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    // ------------------------------------------------------------------------------------------ idempotency

    @Test
    void retryOfTheSameDeltaId_returnsTheOriginalAck_withoutApplyingTwice() {
        Delta.EditSource edit = new Delta.EditSource(header("ann", 0), "a", insertAt("x = 1\n", 0, "#"));
        Ack first = log.submit(edit);
        clock.advance(Duration.ofSeconds(5));
        log.submit(new Delta.EditSource(header("bob", 1), "c", insertAt("print(x)", 0, "#")));

        Ack retry = log.submit(edit);

        assertThat(retry).isEqualTo(first);
        assertThat(source(log.document(), "a")).isEqualTo("#x = 1\n");
        assertThat(log.head()).isEqualTo(2);
    }

    @Test
    void retryOfADeltaOlderThanTheMemoryWindow_isFoundInTheStore() {
        DeltaLog small = DeltaLog.open(UUID.randomUUID(), store, notebook(),
                DeltaLog.Config.defaults().withHistoryWindow(2).withClock(clock));
        UUID file = small.fileId();
        Delta first = new Delta.SetNotebookMetadata(new DeltaHeader(UUID.randomUUID(), file, "ann", 0),
                List.of("n"), Optional.of(JsonNodeFactory.instance.numberNode(0)));
        Ack ack = small.submit(first);
        for (int i = 1; i <= 6; i++) {
            small.submit(new Delta.SetNotebookMetadata(new DeltaHeader(UUID.randomUUID(), file, "ann", i),
                    List.of("n"), Optional.of(JsonNodeFactory.instance.numberNode(i))));
        }

        assertThat(small.submit(first)).isEqualTo(ack);
        assertThat(small.head()).isEqualTo(7);
    }

    // ------------------------------------------------------------------------------------------ transformation

    @Test
    void concurrentEditsOfOneCell_areTransformed_andBothSurvive() {
        String text = "print(x)";
        log.submit(new Delta.EditSource(header("ann", 0), "c", insertAt(text, 6, "a + ")));
        Ack ack = log.submit(new Delta.EditSource(header("bob", 0), "c", insertAt(text, 7, " * 2")));

        assertThat(ack.seq()).isEqualTo(2);
        assertThat(source(log.document(), "c")).isEqualTo("print(a + x * 2)");
        // what the log holds for bob is his edit transformed to apply after ann's
        Delta.EditSource logged = (Delta.EditSource) store.read(FILE, 1, 2).getFirst().delta();
        assertThat(logged.operation()).isEqualTo(insertAt("print(a + x)", 11, " * 2"));
        assertThat(logged.header().baseSeq()).isZero();
    }

    @Test
    void concurrentInsertsAtOnePosition_areOrderedByAuthorThenDeltaId() {
        String text = "x = 1\n";
        log.submit(new Delta.EditSource(header("zed", 0), "a", insertAt(text, 0, "Z")));
        log.submit(new Delta.EditSource(header("amy", 0), "a", insertAt(text, 0, "A")));

        assertThat(source(log.document(), "a")).isEqualTo("AZx = 1\n");
    }

    @Test
    void concurrentCellInsertAndDelete_adjustTheIndex() {
        // bob deletes the first cell while ann, who has not seen it, inserts before "c"
        log.submit(new Delta.DeleteCell(header("bob", 0), "a"));
        log.submit(new Delta.InsertCell(header("ann", 0), 2, CodeCell.of(Optional.of("n"), "")));

        assertThat(ids(log.document())).containsExactly("b", "n", "c");
    }

    @Test
    void concurrentMoveAndInsert_keepTheInsertBetweenTheSameCells() {
        // bob moves "c" to the top; ann inserts between "b" and "c" as she saw them
        log.submit(new Delta.MoveCell(header("bob", 0), "c", 0));
        log.submit(new Delta.InsertCell(header("ann", 0), 2, CodeCell.of(Optional.of("n"), "")));

        assertThat(ids(log.document())).containsExactly("c", "a", "b", "n");
    }

    @Test
    void editBasedBeforeTheMemoryWindow_isTransformedFromTheStoredLog() {
        DeltaLog small = DeltaLog.open(UUID.randomUUID(), store, notebook(),
                DeltaLog.Config.defaults().withHistoryWindow(1).withSnapshotEvery(2).withClock(clock));
        UUID file = small.fileId();
        String text = "print(x)";
        for (int i = 0; i < 5; i++) {
            String current = source(small.document(), "c");
            small.submit(new Delta.EditSource(new DeltaHeader(UUID.randomUUID(), file, "ann", i), "c",
                    insertAt(current, current.length(), "" + i)));
        }

        small.submit(new Delta.EditSource(new DeltaHeader(UUID.randomUUID(), file, "bob", 0), "c",
                insertAt(text, 0, ">")));

        assertThat(source(small.document(), "c")).isEqualTo(">print(x)01234");
    }

    // ------------------------------------------------------------------------------------------ snapshots, time

    @Test
    void snapshotPlusReplay_equalsDirectApplication() {
        for (int i = 0; i < 10; i++) {
            String current = source(log.document(), "a");
            log.submit(new Delta.EditSource(header("ann", i), "a", insertAt(current, current.length(), i + "\n")));
        }

        assertThat(store.latestSnapshot(FILE, Long.MAX_VALUE)).hasValueSatisfying(s ->
                assertThat(s.seq()).isEqualTo(9));
        DeltaLog reopened = DeltaLog.open(FILE, store, Notebook.empty(), DeltaLog.Config.defaults());
        assertThat(reopened.head()).isEqualTo(10);
        assertThat(reopened.document()).isEqualTo(log.document());
        assertThat(reopened.document().toJsonString()).isEqualTo(log.document().toJsonString());
        Notebook direct = notebook();
        for (SequencedDelta logged : store.read(FILE, 0, 10)) {
            direct = Documents.apply(direct, logged.delta()).notebook();
        }
        assertThat(direct).isEqualTo(log.document());
    }

    @Test
    void asOf_seqAndTime_readPastDocuments() {
        log.submit(new Delta.EditSource(header("ann", 0), "a", insertAt("x = 1\n", 0, "1")));
        clock.advance(Duration.ofMinutes(1));
        Instant between = clock.instant();
        clock.advance(Duration.ofMinutes(1));
        log.submit(new Delta.DeleteCell(header("ann", 1), "b"));
        for (int i = 2; i < 8; i++) {
            clock.advance(Duration.ofSeconds(1));
            log.submit(new Delta.SetNotebookMetadata(header("ann", i), List.of("n"),
                    Optional.of(JsonNodeFactory.instance.numberNode(i))));
        }

        assertThat(log.asOf(0)).isEqualTo(notebook());
        assertThat(source(log.asOf(1), "a")).isEqualTo("1x = 1\n");
        assertThat(ids(log.asOf(1))).containsExactly("a", "b", "c");
        assertThat(ids(log.asOf(2))).containsExactly("a", "c");
        assertThat(log.asOf(5).metadata().get("n").intValue()).isEqualTo(4);
        assertThat(log.asOf(log.head())).isEqualTo(log.document());
        assertThat(log.asOf(between)).isEqualTo(log.asOf(1));
        assertThat(log.asOf(Instant.parse("2020-01-01T00:00:00Z"))).isEqualTo(notebook());
        assertThatThrownBy(() -> log.asOf(99)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void open_refusesADocumentWithoutCellIds_andCellIdsEnsureFixesIt() {
        Notebook old = Notebook.empty().withCells(List.of(CodeCell.of(Optional.empty(), "1"),
                CodeCell.of(Optional.empty(), "2")));

        assertThatThrownBy(() -> DeltaLog.open(UUID.randomUUID(), store, old, DeltaLog.Config.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no id");
        int[] n = {0};
        Notebook fixed = CellIds.ensure(old, () -> "id" + n[0]++);
        assertThat(ids(fixed)).containsExactly("id0", "id1");
        assertThat(DeltaLog.open(UUID.randomUUID(), store, fixed, DeltaLog.Config.defaults()).document())
                .isEqualTo(fixed);
    }

    @Test
    void twoSequencersOnOneStore_catchUpOnConflict_andKeepOneLinearLog() {
        DeltaLog other = DeltaLog.open(FILE, store, Notebook.empty(), DeltaLog.Config.defaults().withClock(clock));
        String text = "print(x)";

        log.submit(new Delta.EditSource(header("ann", 0), "c", insertAt(text, 6, "a + ")));
        Ack ack = other.submit(new Delta.EditSource(header("bob", 0), "c", insertAt(text, 7, " * 2")));

        assertThat(ack.seq()).isEqualTo(2);
        assertThat(source(other.document(), "c")).isEqualTo("print(a + x * 2)");
        assertThat(log.refresh()).isEqualTo(2);
        assertThat(log.document()).isEqualTo(other.document());
    }
}
