package io.quire.collab;

import static io.quire.collab.Fixtures.FILE;
import static io.quire.collab.Fixtures.header;
import static io.quire.collab.Fixtures.ids;
import static io.quire.collab.Fixtures.insertAt;
import static io.quire.collab.Fixtures.notebook;
import static io.quire.collab.Fixtures.source;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quire.notebook.Cell;
import io.quire.notebook.CodeCell;
import io.quire.notebook.MarkdownCell;
import io.quire.notebook.MultilineText;
import io.quire.notebook.Notebook;
import io.quire.notebook.StreamOutput;
import io.quire.collab.spi.DeltaStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SaveMergeTest {
    private final DeltaLog log = DeltaLog.open(FILE, DeltaStores.inMemory(), notebook(), DeltaLog.Config.defaults());

    private static Notebook withSource(Notebook notebook, String cellId, String text) {
        List<Cell> cells = new ArrayList<>(notebook.cells());
        int index = notebook.indexOf(cellId).orElseThrow();
        cells.set(index, cells.get(index).withSource(MultilineText.of(text)));
        return notebook.withCells(cells);
    }

    @Test
    void diff_appliedInOrder_givesTheTarget() {
        Notebook from = notebook();
        ObjectNodeHolder meta = new ObjectNodeHolder();
        List<Cell> cells = new ArrayList<>();
        cells.add(MarkdownCell.of(Optional.of("c"), "print(y) 😀"));
        cells.add(CodeCell.of(Optional.of("n"), "new"));
        cells.add(((CodeCell) from.cell(0)).withOutputs(List.of(new StreamOutput("stdout", MultilineText.of("1\n"),
                JsonNodeFactory.instance.objectNode()))).withExecutionCount(Optional.of(3))
                .withMetadata(meta.tags()));
        Notebook to = from.withCells(cells).withMetadata(meta.kernel());

        List<Delta> deltas = NotebookDiff.diff(from, to, () -> header("ann", 0));
        Notebook result = from;
        for (Delta delta : deltas) {
            result = Documents.apply(result, delta).notebook();
        }

        assertThat(result.toJson()).isEqualTo(to.toJson());
        assertThat(NotebookDiff.diff(to, to, () -> header("ann", 0))).isEmpty();
    }

    @Test
    void diff_randomDocuments_alwaysReachTheTarget() {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            Notebook from = randomNotebook(random);
            Notebook to = randomNotebook(random);
            Notebook result = from;
            for (Delta delta : NotebookDiff.diff(from, to, () -> header("ann", 0))) {
                result = Documents.apply(result, delta).notebook();
            }
            assertThat(result.toJson()).as("round %d", round).isEqualTo(to.toJson());
        }
    }

    private static Notebook randomNotebook(Random random) {
        List<Cell> cells = new ArrayList<>();
        List<String> ids = new ArrayList<>(List.of("a", "b", "c", "d", "e", "f"));
        java.util.Collections.shuffle(ids, random);
        int n = random.nextInt(ids.size() + 1);
        for (String id : ids.subList(0, n)) {
            String text = List.of("", "x", "xy", "x😀y", "yx").get(random.nextInt(5));
            cells.add(random.nextBoolean() ? CodeCell.of(Optional.of(id), text)
                    : MarkdownCell.of(Optional.of(id), text));
        }
        return Notebook.empty().withCells(cells);
    }

    @Test
    void staleSave_editingAnotherCell_keepsBothEdits() {
        Notebook writerCopy = log.document(); // the writer read seq 0
        log.submit(new Delta.EditSource(header("bob", 0), "c", insertAt("print(x)", 8, " # bob")));
        log.submit(new Delta.InsertCell(header("bob", 1), 0, CodeCell.of(Optional.of("n"), "new")));

        SaveMerge.Result result = SaveMerge.merge(log, "ann", OptionalLong.of(0), 0,
                withSource(writerCopy, "a", "x = 2\n"));

        assertThat(result.base()).isZero();
        assertThat(result.dropped()).isZero();
        assertThat(ids(log.document())).containsExactly("n", "a", "b", "c");
        assertThat(source(log.document(), "a")).isEqualTo("x = 2\n");
        assertThat(source(log.document(), "c")).isEqualTo("print(x) # bob");
        assertThat(result.document().toJson()).isEqualTo(log.document().toJson());
        assertThat(result.seq()).isEqualTo(log.head()).isEqualTo(3);
    }

    @Test
    void staleSave_editingTheSameCell_keepsBothTexts() {
        Notebook writerCopy = log.document();
        log.submit(new Delta.EditSource(header("bob", 0), "c", insertAt("print(x)", 0, "# bob\n")));

        SaveMerge.merge(log, "ann", OptionalLong.of(0), 0, withSource(writerCopy, "c", "print(x, y)"));

        assertThat(source(log.document(), "c")).isEqualTo("# bob\nprint(x, y)");
    }

    @Test
    void staleSave_deletingACellEditedMeanwhile_deletesIt_andEditsOfADeletedCellAreDropped() {
        Notebook writerCopy = log.document();
        log.submit(new Delta.DeleteCell(header("bob", 0), "b"));
        List<Cell> cells = new ArrayList<>(withSource(writerCopy, "b", "# Changed").cells());

        SaveMerge.Result result = SaveMerge.merge(log, "ann", OptionalLong.of(0), 0, writerCopy.withCells(cells));

        assertThat(ids(log.document())).containsExactly("a", "c");
        assertThat(result.dropped()).isEqualTo(1);
    }

    @Test
    void unknownBase_keepsCellsTheWriterNeverSaw() {
        Notebook writerCopy = log.document(); // what was on disk at seq 0
        log.submit(new Delta.InsertCell(header("bob", 0), 1, CodeCell.of(Optional.of("n"), "new")));
        List<Cell> cells = new ArrayList<>(writerCopy.cells());
        cells.remove(2); // the writer deleted "c"

        SaveMerge.Result result = SaveMerge.merge(log, "ann", OptionalLong.empty(), 0, writerCopy.withCells(cells));

        assertThat(result.base()).isEqualTo(1);
        assertThat(ids(log.document())).containsExactly("a", "n", "b");
    }

    @Test
    void baseAheadOfTheLog_isTreatedAsUnknown() {
        SaveMerge.Result result = SaveMerge.merge(log, "ann", OptionalLong.of(99), 0,
                withSource(log.document(), "a", "z"));

        assertThat(result.base()).isZero();
        assertThat(source(log.document(), "a")).isEqualTo("z");
    }

    @Test
    void cellsWithoutIds_getIds() {
        List<Cell> cells = new ArrayList<>(log.document().cells());
        cells.add(CodeCell.of(Optional.empty(), "more"));

        SaveMerge.merge(log, "ann", OptionalLong.of(0), 0, log.document().withCells(cells));

        assertThat(log.document().cells()).hasSize(4);
        assertThat(log.document().cell(3).id()).isPresent();
    }

    @Test
    void restore_undoesEveryEditSince_andTheDocumentEqualsTheRestoredNotebook() {
        Notebook old = log.document();
        log.submit(new Delta.EditSource(header("bob", 0), "c", insertAt("print(x)", 8, " # bob")));
        log.submit(new Delta.InsertCell(header("bob", 1), 0, CodeCell.of(Optional.of("n"), "new")));
        log.submit(new Delta.DeleteCell(header("bob", 2), "b"));
        log.submit(new Delta.MoveCell(header("bob", 3), "c", 0));

        SaveMerge.Restore restore = SaveMerge.restore(log, "ann", old);

        assertThat(restore.exact()).isTrue();
        assertThat(restore.rounds()).isEqualTo(1);
        assertThat(log.document().toJson()).isEqualTo(old.toJson());
        assertThat(restore.document().toJson()).isEqualTo(old.toJson());
        assertThat(restore.seq()).isEqualTo(log.head()).isEqualTo(4 + restore.deltas());
        assertThat(log.deltasAfter(4)).allSatisfy(d -> assertThat(d.delta().header().author()).isEqualTo("ann"));
    }

    @Test
    void restore_ofTheCurrentDocument_submitsNothing() {
        SaveMerge.Restore restore = SaveMerge.restore(log, "ann", log.document());

        assertThat(restore.exact()).isTrue();
        assertThat(restore.deltas()).isZero();
        assertThat(log.head()).isZero();
    }

    @Test
    void restore_replacesACellThatDiffersOnlyInFieldsNoDeltaChanges() {
        Notebook old = log.document();
        List<Cell> cells = new ArrayList<>(old.cells());
        com.fasterxml.jackson.databind.node.ObjectNode attachments = JsonNodeFactory.instance.objectNode();
        attachments.putObject("a.png").put("image/png", "iVBORw0KGgo=");
        cells.set(1, new MarkdownCell(Optional.of("b"), MultilineText.of("# Title ![a](attachment:a.png)"),
                JsonNodeFactory.instance.objectNode(), Optional.of(attachments), JsonNodeFactory.instance.objectNode()));
        Notebook restored = old.withCells(cells);

        SaveMerge.Restore restore = SaveMerge.restore(log, "ann", restored);

        assertThat(restore.exact()).isTrue();
        assertThat(log.document().toJson()).isEqualTo(restored.toJson());
        assertThat(ids(log.document())).containsExactly("a", "b", "c");
    }

    @Test
    void restore_takesOutEditsSequencedWhileItRuns() {
        Notebook old = notebook();
        // another node on the same store types into cell c as soon as the restore's first delta is logged
        DeltaStore shared = DeltaStores.inMemory();
        DeltaLog node = DeltaLog.open(FILE, shared, notebook(), DeltaLog.Config.defaults());
        node.submit(new Delta.EditSource(header("bob", 0), "a", insertAt("x = 1\n", 6, "y = 2\n")));
        DeltaLog other = DeltaLog.open(FILE, shared, notebook(), DeltaLog.Config.defaults());
        java.util.concurrent.atomic.AtomicBoolean typed = new java.util.concurrent.atomic.AtomicBoolean();
        node.addListener(delta -> {
            if (delta.delta().header().author().equals("ann") && typed.compareAndSet(false, true)) {
                other.refresh();
                other.submit(new Delta.EditSource(header("bob", other.head()), "c",
                        insertAt("print(x)", 0, "# typing\n")));
            }
        });

        SaveMerge.Restore restore = SaveMerge.restore(node, "ann", old);

        assertThat(typed).isTrue();
        assertThat(restore.exact()).isTrue();
        assertThat(restore.rounds()).isEqualTo(2);
        node.refresh();
        assertThat(node.document().toJson()).isEqualTo(old.toJson());
    }

    /** Metadata fixtures. */
    private static final class ObjectNodeHolder {
        com.fasterxml.jackson.databind.node.ObjectNode tags() {
            com.fasterxml.jackson.databind.node.ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.putArray("tags").add("parameters");
            return node;
        }

        com.fasterxml.jackson.databind.node.ObjectNode kernel() {
            com.fasterxml.jackson.databind.node.ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.putObject("kernelspec").put("name", "python3");
            return node;
        }
    }
}
