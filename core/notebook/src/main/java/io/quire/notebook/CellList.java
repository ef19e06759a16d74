package io.quire.notebook;

import java.util.AbstractList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The immutable cell list of a {@link Notebook}, with an index from cell id to position.
 *
 * <p>Design: a notebook under live collaboration is replaced by a changed copy for every delta, so finding a cell by
 * id and deriving the next list must not cost a pass over all cells each time. The list is an array that is never
 * written after construction; the changing operations ({@link #with}, {@link #inserted}, {@link #removed},
 * {@link #moved}) copy it once (a copy of references, no cell is copied). The id index is kept in an {@link IdIndex}
 * holder that lists with the same id at every position share: replacing a cell with one of the same id (a text edit,
 * new outputs, metadata) hands the holder on, so a chain of edits builds the index once. Inserting, removing or
 * moving a cell starts a new holder, which scans on its first lookup and builds its table on the second.
 *
 * <p>Ids are looked up as {@link Notebook#indexOf} always did: the first cell with the id wins (an id used twice
 * finds the earlier cell), cells without an id are never found. As a {@link java.util.List} the type behaves like
 * {@link java.util.List#copyOf}'s lists: unmodifiable (every mutator throws {@link UnsupportedOperationException}),
 * no null elements, and equal to any list with equal elements in the same order.
 *
 * <p>Thread-safe: the array is never written after construction and the index holder publishes its table through a
 * volatile field (its other field is only a hint), so a notebook can be shared between threads as before.
 */
final class CellList extends AbstractList<Cell> implements RandomAccess {
    private static final CellList EMPTY = new CellList(new Cell[0], new IdIndex());

    private final Cell[] cells;
    private final IdIndex index;

    private CellList(Cell[] cells, IdIndex index) {
        this.cells = cells;
        this.index = index;
    }

    /**
     * The cells as a cell list: the list itself if it is one (it cannot change), else a copy.
     *
     * @throws NullPointerException if the collection or a cell is null
     */
    static CellList copyOf(Collection<? extends Cell> cells) {
        if (cells instanceof CellList list) {
            return list;
        }
        Cell[] array = cells.toArray(new Cell[0]);
        if (array.length == 0) {
            return EMPTY;
        }
        for (Cell cell : array) {
            Objects.requireNonNull(cell, "cell");
        }
        return new CellList(array, new IdIndex());
    }

    @Override
    public Cell get(int index) {
        return cells[index];
    }

    @Override
    public int size() {
        return cells.length;
    }

    @Override
    public Object[] toArray() {
        return cells.clone();
    }

    // as List.copyOf's lists: every mutator throws, even when it would change nothing

    @Override
    public void sort(Comparator<? super Cell> c) {
        throw unmodifiable();
    }

    @Override
    public void replaceAll(UnaryOperator<Cell> operator) {
        throw unmodifiable();
    }

    @Override
    public boolean removeIf(Predicate<? super Cell> filter) {
        throw unmodifiable();
    }

    @Override
    public boolean addAll(Collection<? extends Cell> c) {
        throw unmodifiable();
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        throw unmodifiable();
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        throw unmodifiable();
    }

    @Override
    public void clear() {
        throw unmodifiable();
    }

    private static UnsupportedOperationException unmodifiable() {
        return new UnsupportedOperationException("the cells of a notebook cannot be changed; derive a new notebook "
                + "(withCells, withCell, ...)");
    }

    /** @return the position of the first cell with the id, or -1 */
    int indexOfId(String id) {
        return index.find(cells, id);
    }

    /** This list with the cell at a position replaced. */
    CellList with(int at, Cell cell) {
        Objects.requireNonNull(cell, "cell");
        Objects.checkIndex(at, cells.length);
        Cell[] copy = cells.clone();
        copy[at] = cell;
        boolean sameId = cells[at].id().equals(cell.id());
        return new CellList(copy, sameId ? index : new IdIndex());
    }

    /** This list with a cell inserted at a position (0 to size). */
    CellList inserted(int at, Cell cell) {
        Objects.requireNonNull(cell, "cell");
        Objects.checkIndex(at, cells.length + 1);
        Cell[] copy = new Cell[cells.length + 1];
        System.arraycopy(cells, 0, copy, 0, at);
        copy[at] = cell;
        System.arraycopy(cells, at, copy, at + 1, cells.length - at);
        return new CellList(copy, new IdIndex());
    }

    /** This list without the cell at a position. */
    CellList removed(int at) {
        Objects.checkIndex(at, cells.length);
        Cell[] copy = new Cell[cells.length - 1];
        System.arraycopy(cells, 0, copy, 0, at);
        System.arraycopy(cells, at + 1, copy, at, cells.length - at - 1);
        return new CellList(copy, new IdIndex());
    }

    /** This list with the cell at {@code from} moved to position {@code to} (its position in the result). */
    CellList moved(int from, int to) {
        Objects.checkIndex(from, cells.length);
        Objects.checkIndex(to, cells.length);
        if (from == to) {
            return this;
        }
        Cell[] copy = cells.clone();
        Cell cell = copy[from];
        if (from < to) {
            System.arraycopy(copy, from + 1, copy, from, to - from);
        } else {
            System.arraycopy(copy, to, copy, to + 1, from - to);
        }
        copy[to] = cell;
        return new CellList(copy, new IdIndex());
    }

    /**
     * The id → first position table of one arrangement of ids. Shared by the lists that have the same id at every
     * position. The first lookup scans the cells (a list that is looked up in once, as after most inserts, never pays
     * for a table); the second builds an open-addressing table of positions (no boxing, no entry objects), which is
     * never changed after it is published.
     */
    private static final class IdIndex {
        /** Lists this short are always scanned. */
        private static final int SCAN_UP_TO = 8;

        private volatile int[] table; // position + 1 per slot, 0 = empty; length a power of two
        private boolean scannedOnce; // racy on purpose: at worst a second thread scans once more

        int find(Cell[] cells, String id) {
            int[] t = table;
            if (t == null) {
                if (cells.length <= SCAN_UP_TO || !scannedOnce) {
                    scannedOnce = true;
                    return scan(cells, id);
                }
                t = build(cells);
                table = t; // a race builds the same table twice, harmless
            }
            int mask = t.length - 1;
            for (int slot = spread(id.hashCode()) & mask; t[slot] != 0; slot = (slot + 1) & mask) {
                int at = t[slot] - 1;
                if (idOf(cells[at]).equals(id)) {
                    return at;
                }
            }
            return -1;
        }

        private static int scan(Cell[] cells, String id) {
            for (int i = 0; i < cells.length; i++) {
                var cellId = cells[i].id();
                if (cellId.isPresent() && cellId.get().equals(id)) {
                    return i;
                }
            }
            return -1;
        }

        private static int[] build(Cell[] cells) {
            int[] t = new int[Integer.highestOneBit(cells.length * 2 - 1) << 1]; // at most half full
            int mask = t.length - 1;
            next:
            for (int i = 0; i < cells.length; i++) {
                var cellId = cells[i].id();
                if (cellId.isEmpty()) {
                    continue;
                }
                String id = cellId.get();
                int slot = spread(id.hashCode()) & mask;
                while (t[slot] != 0) {
                    if (idOf(cells[t[slot] - 1]).equals(id)) {
                        continue next; // a later cell with an id already seen: the first one is found
                    }
                    slot = (slot + 1) & mask;
                }
                t[slot] = i + 1;
            }
            return t;
        }

        private static String idOf(Cell cell) {
            return cell.id().orElseThrow(); // only cells with ids are in the table
        }

        private static int spread(int hash) {
            return hash ^ (hash >>> 16) ^ (hash >>> 7);
        }
    }
}
