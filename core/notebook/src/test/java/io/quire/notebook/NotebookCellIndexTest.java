package io.quire.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Finding cells by id and the single-cell changes (issue 7): {@link Notebook#indexOf} must answer as a scan of the
 * cells would, however the notebook was derived and however often it is asked (the first lookup scans, later ones use
 * a table shared by the notebooks derived with the same ids).
 */
class NotebookCellIndexTest {

    private static Cell code(String id) {
        return CodeCell.of(Optional.ofNullable(id), "x = '" + id + "'");
    }

    /** {@code size} cells with ids c0, c1, ... */
    private static Notebook notebook(int size) {
        return Notebook.empty().withCells(IntStream.range(0, size).mapToObj(i -> code("c" + i)).toList());
    }

    /** The answer of a scan of the cells: the first cell with the id. */
    private static Optional<Integer> scan(List<Cell> cells, String id) {
        for (int i = 0; i < cells.size(); i++) {
            if (cells.get(i).id().equals(Optional.of(id))) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** Asks three times (scan, table build, table) for every id and one unknown id. */
    private static void assertIndexMatchesScan(Notebook notebook, List<String> ids) {
        for (int round = 0; round < 3; round++) {
            for (String id : ids) {
                assertThat(notebook.indexOf(id)).as("indexOf(%s), round %d", id, round)
                        .isEqualTo(scan(notebook.cells(), id));
            }
            assertThat(notebook.indexOf("no-such-cell")).isEmpty();
        }
    }

    @Test
    void indexOf_afterInsert_findsTheNewCellAndTheShiftedOnes() {
        Notebook before = notebook(20);
        before.indexOf("c5"); // scanned
        before.indexOf("c5"); // table built

        Notebook after = before.withCellInserted(3, code("new"));

        assertThat(after.indexOf("new")).contains(3);
        assertThat(after.indexOf("c3")).contains(4);
        assertThat(after.indexOf("c19")).contains(20);
        assertThat(after.indexOf("c2")).contains(2);
        assertThat(before.indexOf("new")).isEmpty();
        assertThat(before.indexOf("c3")).contains(3);
    }

    @Test
    void indexOf_afterDelete_doesNotFindTheCellAndShiftsTheLaterOnes() {
        Notebook before = notebook(20);
        before.indexOf("c0");
        before.indexOf("c0");

        Notebook after = before.withoutCell(4);

        for (int round = 0; round < 2; round++) {
            assertThat(after.indexOf("c4")).isEmpty();
            assertThat(after.indexOf("c5")).contains(4);
            assertThat(after.indexOf("c3")).contains(3);
        }
        assertThat(before.indexOf("c4")).contains(4);
    }

    @Test
    void indexOf_afterMove_findsEveryCellAtItsNewPlace() {
        Notebook before = notebook(12);
        List<Cell> down = new ArrayList<>(before.cells());
        down.add(9, down.remove(2));
        List<Cell> up = new ArrayList<>(before.cells());
        up.add(1, up.remove(10));

        Notebook movedDown = before.withCellMoved(2, 9);
        Notebook movedUp = before.withCellMoved(10, 1);

        assertThat(movedDown.cells()).isEqualTo(down);
        assertThat(movedUp.cells()).isEqualTo(up);
        List<String> ids = IntStream.range(0, 12).mapToObj(i -> "c" + i).toList();
        assertIndexMatchesScan(movedDown, ids);
        assertIndexMatchesScan(movedUp, ids);
        assertThat(movedDown.indexOf("c2")).contains(9);
        assertThat(movedUp.indexOf("c10")).contains(1);
        assertThat(before.withCellMoved(4, 4)).isSameAs(before);
    }

    @Test
    void indexOf_afterReplacingACellWithAnotherId_findsTheNewIdOnly() {
        Notebook before = notebook(16);
        before.indexOf("c7");
        before.indexOf("c7"); // a table exists: a wrongly shared one would still say c7 is at 7

        Notebook after = before.withCell(7, code("renamed"));

        assertThat(after.indexOf("c7")).isEmpty();
        assertThat(after.indexOf("c7")).isEmpty();
        assertThat(after.indexOf("renamed")).contains(7);
        assertThat(before.indexOf("c7")).contains(7);
        assertThat(before.indexOf("renamed")).isEmpty();
    }

    @Test
    void indexOf_afterEditsKeepingTheId_stillFindsEveryCell() {
        Notebook notebook = notebook(30);
        for (int i = 0; i < 60; i++) {
            int at = notebook.indexOf("c" + (i % 30)).orElseThrow();
            notebook = notebook.withCell(at, notebook.cell(at).withSource(MultilineText.of("edit " + i)));
        }

        assertIndexMatchesScan(notebook, IntStream.range(0, 30).mapToObj(i -> "c" + i).toList());
        assertThat(notebook.cell(notebook.indexOf("c29").orElseThrow()).source().text()).isEqualTo("edit 59");
    }

    @Test
    void indexOf_duplicateIds_findsTheFirstCellAndThenTheNextOnceTheFirstIsGone() {
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            cells.add(code(i == 3 || i == 8 ? "twice" : "c" + i));
        }
        Notebook notebook = Notebook.empty().withCells(cells);

        for (int round = 0; round < 3; round++) {
            assertThat(notebook.indexOf("twice")).contains(3);
        }
        Notebook withoutFirst = notebook.withoutCell(3);
        for (int round = 0; round < 3; round++) {
            assertThat(withoutFirst.indexOf("twice")).contains(7);
        }
        Notebook firstRenamed = notebook.withCell(3, code("other"));
        for (int round = 0; round < 3; round++) {
            assertThat(firstRenamed.indexOf("twice")).contains(8);
        }
        Notebook earlierCopy = notebook.withCellInserted(0, code("twice"));
        for (int round = 0; round < 3; round++) {
            assertThat(earlierCopy.indexOf("twice")).contains(0);
        }
    }

    @Test
    void indexOf_cellsWithoutIds_areNeverFoundAndDoNotShiftTheOthers() {
        Notebook old = Notebook.parse("""
                {"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [
                 {"cell_type": "markdown", "metadata": {}, "source": "a"},
                 {"cell_type": "code", "metadata": {}, "source": "b", "outputs": [], "execution_count": null}]}""");
        for (int round = 0; round < 3; round++) {
            assertThat(old.indexOf("")).isEmpty();
            assertThat(old.indexOf("a")).isEmpty();
        }

        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            cells.add(code(i % 2 == 0 ? null : "c" + i));
        }
        Notebook mixed = Notebook.empty().withCells(cells);
        assertIndexMatchesScan(mixed, IntStream.range(0, 20).mapToObj(i -> "c" + i).toList());
        assertThat(mixed.indexOf("c19")).contains(19);
        Notebook named = mixed.withCell(0, code("c0"));
        assertThat(named.indexOf("c0")).contains(0);
        assertThat(named.indexOf("c0")).contains(0);
    }

    @Test
    void indexOf_afterRandomChanges_answersAsAScan() {
        Random random = new Random(7);
        List<String> ids = IntStream.range(0, 40).mapToObj(i -> "c" + i).toList();
        Notebook notebook = notebook(25);
        List<Cell> expected = new ArrayList<>(notebook.cells());
        for (int step = 0; step < 400; step++) {
            int size = expected.size();
            int op = random.nextInt(5);
            if (op == 0 || size < 10) {
                int at = random.nextInt(size + 1);
                String id = random.nextInt(6) == 0 ? null : ids.get(random.nextInt(ids.size())); // duplicates too
                expected.add(at, code(id));
                notebook = notebook.withCellInserted(at, expected.get(at));
            } else if (op == 1) {
                int at = random.nextInt(size);
                expected.remove(at);
                notebook = notebook.withoutCell(at);
            } else if (op == 2) {
                int from = random.nextInt(size);
                int to = random.nextInt(size);
                expected.add(to, expected.remove(from));
                notebook = notebook.withCellMoved(from, to);
            } else if (op == 3) {
                int at = random.nextInt(size);
                Cell cell = random.nextBoolean() ? expected.get(at).withSource(MultilineText.of("s" + step))
                        : code(ids.get(random.nextInt(ids.size())));
                expected.set(at, cell);
                notebook = notebook.withCell(at, cell);
            }
            assertThat(notebook.cells()).isEqualTo(expected);
            String probe = ids.get(random.nextInt(ids.size()));
            assertThat(notebook.indexOf(probe)).as("step %d: indexOf(%s)", step, probe)
                    .isEqualTo(scan(expected, probe));
            if (step % 20 == 0) {
                assertIndexMatchesScan(notebook, ids);
            }
        }
    }

    @Test
    void indexOf_firstLookupsFromManyThreads_allAnswerAsAScan() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int trial = 0; trial < 20; trial++) {
                Notebook notebook = notebook(200).withCellInserted(0, code("front"));
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> answers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        boolean right = true;
                        for (int i = 0; i < 200; i++) {
                            right &= notebook.indexOf("c" + i).equals(Optional.of(i + 1));
                        }
                        return right && notebook.indexOf("front").equals(Optional.of(0));
                    }));
                }
                start.countDown();
                for (Future<Boolean> answer : answers) {
                    assertThat(answer.get()).isTrue();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void singleCellChanges_refusePositionsOutsideTheList() {
        Notebook notebook = notebook(3);

        assertThatThrownBy(() -> notebook.withCell(3, code("x"))).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> notebook.withCellInserted(4, code("x")))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> notebook.withCellInserted(-1, code("x")))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> notebook.withoutCell(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> notebook.withCellMoved(0, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> notebook.withCell(0, null)).isInstanceOf(NullPointerException.class);
        assertThat(notebook.withCellInserted(3, code("x")).indexOf("x")).contains(3);
    }

    @Test
    void cells_isUnmodifiableAndEqualToAPlainListOfTheSameCells() {
        Notebook notebook = notebook(10).withCell(2, code("two"));
        List<Cell> plain = new ArrayList<>(notebook.cells());

        assertThat(notebook.cells()).isEqualTo(plain).hasSameHashCodeAs(plain);
        assertThat(plain).isEqualTo(notebook.cells());
        assertThat(notebook).isEqualTo(Notebook.empty().withCells(plain)).hasSameHashCodeAs(
                Notebook.empty().withCells(plain));
        assertThatThrownBy(() -> notebook.cells().add(code("x"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> notebook.cells().set(0, code("x")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> notebook.cells().remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> notebook.cells().subList(0, 2).clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> notebook.cells().sort(null)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> notebook.cells().removeIf(cell -> false))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> notebook.cells().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(notebook.cells().toArray()[2]).isEqualTo(code("two"));
    }

    @Test
    void constructor_refusesNullCells() {
        List<Cell> cells = new ArrayList<>();
        cells.add(null);

        assertThatThrownBy(() -> Notebook.empty().withCells(cells)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void derivedNotebooks_keepNoHandleOnTheCallersMetadata() {
        ObjectNode metadata = (ObjectNode) JsonTrees.parse("{\"kernelspec\": {\"name\": \"python3\"}}");
        Notebook notebook = notebook(3).withMetadata(metadata);
        ObjectNode cellMetadata = (ObjectNode) JsonTrees.parse("{\"tags\": [\"a\"]}");
        Cell cell = notebook.cell(0).withMetadata(cellMetadata);

        metadata.put("changed", true);
        ((ObjectNode) metadata.get("kernelspec")).put("name", "other");
        cellMetadata.putArray("tags").add("b");
        Notebook derived = notebook.withCell(0, cell).withCellInserted(1, code("x")).withoutCell(2)
                .withCellMoved(0, 1).withCells(notebook.cells());
        derived.metadata().put("changed", true);

        assertThat(derived.metadata().has("changed")).isFalse();
        assertThat(derived.kernelName()).contains("python3");
        assertThat(cell.hasTag("a")).isTrue();
        assertThat(cell.hasTag("b")).isFalse();
        assertThat(notebook.withCell(0, cell).cell(0).withSource(MultilineText.of("y")).hasTag("a")).isTrue();
    }
}
