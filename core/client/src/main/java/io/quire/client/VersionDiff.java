package io.quire.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What changed between two versions of a notebook, cell by cell. Cells are matched by id; cells without an id
 * (notebooks before nbformat 4.5) are matched by position and named {@code #n}.
 *
 * @param from            the older version's id
 * @param to              the newer version's id
 * @param metadataChanged whether notebook-level metadata or format differ
 * @param contentChanged  whether anything differs (the only information for files that are not notebooks)
 * @param added           cells only in {@code to}, at their positions there
 * @param removed         cells only in {@code from}, at their positions there
 * @param changed         cells in both whose source, metadata or outputs differ
 * @param moved           cells in both whose order relative to the other common cells changed
 */
public record VersionDiff(String from, String to, boolean metadataChanged, boolean contentChanged,
        List<CellPosition> added, List<CellPosition> removed, List<ChangedCell> changed, List<MovedCell> moved) {

    /**
     * A cell at a position.
     *
     * @param cellId   the cell's id
     * @param position its index in the version
     */
    public record CellPosition(String cellId, int position) {
        /** Validates the id. */
        public CellPosition {
            Objects.requireNonNull(cellId, "cellId");
        }
    }

    /**
     * A cell whose content changed.
     *
     * @param cellId         the cell's id
     * @param fromPosition   its index in {@code from}
     * @param toPosition     its index in {@code to}
     * @param cellChanged    whether its source, metadata, type or execution count changed
     * @param outputsChanged whether its outputs changed
     */
    public record ChangedCell(String cellId, int fromPosition, int toPosition, boolean cellChanged,
            boolean outputsChanged) {
        /** Validates the id. */
        public ChangedCell {
            Objects.requireNonNull(cellId, "cellId");
        }
    }

    /**
     * A cell that moved.
     *
     * @param cellId       the cell's id
     * @param fromPosition its index in {@code from}
     * @param toPosition   its index in {@code to}
     */
    public record MovedCell(String cellId, int fromPosition, int toPosition) {
        /** Validates the id. */
        public MovedCell {
            Objects.requireNonNull(cellId, "cellId");
        }
    }

    /** Validates the fields and copies the lists. */
    public VersionDiff {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
        moved = List.copyOf(moved);
    }

    /**
     * Reads a diff resource.
     *
     * @param json the JSON object
     * @return the diff
     * @throws QuireException if a required field is missing
     */
    public static VersionDiff create(JsonNode json) {
        String what = "version diff";
        return new VersionDiff(Wire.text(json, "from", what), Wire.text(json, "to", what),
                Wire.bool(json, "metadata_changed", what), Wire.bool(json, "content_changed", what),
                items(json, "added", cell -> new CellPosition(Wire.text(cell, "cell_id", what),
                        Wire.integer(cell, "position", what))),
                items(json, "removed", cell -> new CellPosition(Wire.text(cell, "cell_id", what),
                        Wire.integer(cell, "position", what))),
                items(json, "changed", cell -> new ChangedCell(Wire.text(cell, "cell_id", what),
                        Wire.integer(cell, "from_position", what), Wire.integer(cell, "to_position", what),
                        Wire.bool(cell, "cell_changed", what), Wire.bool(cell, "outputs_changed", what))),
                items(json, "moved", cell -> new MovedCell(Wire.text(cell, "cell_id", what),
                        Wire.integer(cell, "from_position", what), Wire.integer(cell, "to_position", what))));
    }

    private static <T> List<T> items(JsonNode json, String field, Function<JsonNode, T> reader) {
        JsonNode array = json.get(field);
        if (array == null || !array.isArray()) {
            throw new QuireException("the server sent a version diff without a list '" + field + "': " + json);
        }
        List<T> items = new ArrayList<>(array.size());
        array.forEach(item -> items.add(reader.apply(item)));
        return items;
    }
}
