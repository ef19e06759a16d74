package io.quire.store;

import java.util.List;
import java.util.Objects;

/**
 * The differences between two versions of a notebook, cell by cell. Cells are matched by id (cells of notebooks
 * before nbformat 4.5 have none, and are matched by position).
 *
 * @param from            the older side
 * @param to              the newer side
 * @param metadataChanged whether the notebook-level part differs (metadata, format version, unknown fields)
 * @param contentChanged  whether the content differs at all (for plain files, the only information)
 * @param added           cells only in {@code to}
 * @param removed         cells only in {@code from}
 * @param changed         cells in both whose source, metadata or outputs differ
 * @param moved           cells in both whose order relative to the other common cells changed (found as the cells
 *                        outside a longest common ordering, so an insertion above a cell does not count as moving it)
 */
public record VersionDiff(VersionId from, VersionId to, boolean metadataChanged, boolean contentChanged,
        List<CellRef> added, List<CellRef> removed, List<ChangedCell> changed, List<MovedCell> moved) {

    /**
     * A cell at a position.
     *
     * @param key      the cell's id (or {@code #n} for a cell without one)
     * @param position its index in the version
     */
    public record CellRef(String key, int position) {
        /** Checks the key. */
        public CellRef {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * A cell whose content changed.
     *
     * @param key            the cell's id
     * @param fromPosition   its index in {@code from}
     * @param toPosition     its index in {@code to}
     * @param cellChanged    whether its source, metadata, type or execution count changed
     * @param outputsChanged whether its outputs changed
     */
    public record ChangedCell(String key, int fromPosition, int toPosition, boolean cellChanged,
            boolean outputsChanged) {
        /** Checks the key. */
        public ChangedCell {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * A cell that moved.
     *
     * @param key          the cell's id
     * @param fromPosition its index in {@code from}
     * @param toPosition   its index in {@code to}
     */
    public record MovedCell(String key, int fromPosition, int toPosition) {
        /** Checks the key. */
        public MovedCell {
            Objects.requireNonNull(key, "key");
        }
    }

    /** Checks the components and copies the lists. */
    public VersionDiff {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
        moved = List.copyOf(moved);
    }

    /**
     * Whether the two versions have the same content.
     *
     * @return true if nothing differs
     */
    public boolean isEmpty() {
        return !contentChanged;
    }
}
