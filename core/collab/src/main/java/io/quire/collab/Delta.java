package io.quire.collab;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.notebook.Cell;
import io.quire.notebook.Output;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One change to a notebook, as a client sends it and as the per-file log stores it. Every delta carries a
 * {@link DeltaHeader} (client-chosen id, file, author, base sequence number). Cells are addressed by their nbformat
 * 4.5 id, never by position, except where a position is the point (insert, move).
 *
 * <p>The family is closed: {@link CellDelta} for changes to one existing cell, plus cell insertion, notebook metadata
 * and execute requests. Consumers dispatch with an exhaustive {@code switch}.
 */
public sealed interface Delta permits Delta.InsertCell, Delta.SetNotebookMetadata, Delta.ExecuteRequest,
        Delta.CellDelta {

    /** The cell types a cell can be changed to. */
    Set<String> CELL_TYPES = Set.of("code", "markdown", "raw");

    /** The longest cell id nbformat allows. */
    int MAX_CELL_ID_LENGTH = 64;

    /** @return the delta's id, file, author and base */
    DeltaHeader header();

    /** @return the delta's id (from the header) */
    default java.util.UUID deltaId() {
        return header().deltaId();
    }

    /**
     * The tie-break between two concurrent deltas: where both insert text (or cells) at the same position, the one
     * that precedes goes first. Ordered by author, then delta id, so every party decides alike without knowing the
     * order in which the server will sequence them.
     *
     * @param other the other delta
     * @return whether this delta goes first
     */
    default boolean precedes(Delta other) {
        return TIE_BREAK.compare(header(), other.header()) < 0;
    }

    /** The order behind {@link #precedes(Delta)}. */
    Comparator<DeltaHeader> TIE_BREAK = Comparator.comparing(DeltaHeader::author)
            .thenComparing(DeltaHeader::deltaId);

    /** A change to one existing cell. */
    sealed interface CellDelta extends Delta permits DeleteCell, MoveCell, EditSource, SetCellType, SetCellMetadata,
            AppendOutputs, ReplaceOutputs, ClearOutputs {
        /** @return the id of the cell changed */
        String cellId();
    }

    /**
     * Inserts a cell.
     *
     * @param header the header
     * @param index  the position the cell takes, 0 to the number of cells
     * @param cell   the cell; it must have an id
     */
    record InsertCell(DeltaHeader header, int index, Cell cell) implements Delta {
        /** Validates the fields. */
        public InsertCell {
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(cell, "cell");
            if (index < 0) {
                throw new IllegalArgumentException("insert index must not be negative, got " + index);
            }
            requireCellId(cell.id().orElseThrow(() -> new IllegalArgumentException("an inserted cell needs an id")));
        }

        /**
         * This delta at another position.
         *
         * @param newIndex the position
         * @return the changed delta
         */
        public InsertCell withIndex(int newIndex) {
            return new InsertCell(header, newIndex, cell);
        }

        /** @return the inserted cell's id */
        public String cellId() {
            return cell.id().orElseThrow();
        }
    }

    /**
     * Deletes a cell.
     *
     * @param header the header
     * @param cellId the cell
     */
    record DeleteCell(DeltaHeader header, String cellId) implements CellDelta {
        /** Validates the fields. */
        public DeleteCell {
            Objects.requireNonNull(header, "header");
            requireCellId(cellId);
        }
    }

    /**
     * Moves a cell.
     *
     * @param header   the header
     * @param cellId   the cell
     * @param newIndex the position the cell has after the move, 0 to the number of cells minus one
     */
    record MoveCell(DeltaHeader header, String cellId, int newIndex) implements CellDelta {
        /** Validates the fields. */
        public MoveCell {
            Objects.requireNonNull(header, "header");
            requireCellId(cellId);
            if (newIndex < 0) {
                throw new IllegalArgumentException("move index must not be negative, got " + newIndex);
            }
        }

        /**
         * This delta to another position.
         *
         * @param index the position
         * @return the changed delta
         */
        public MoveCell withNewIndex(int index) {
            return new MoveCell(header, cellId, index);
        }
    }

    /**
     * Edits a cell's source.
     *
     * @param header    the header
     * @param cellId    the cell
     * @param operation the edit, over the whole source as the client saw it at the base (UTF-16 code units)
     */
    record EditSource(DeltaHeader header, String cellId, TextOperation operation) implements CellDelta {
        /** Validates the fields. */
        public EditSource {
            Objects.requireNonNull(header, "header");
            requireCellId(cellId);
            Objects.requireNonNull(operation, "operation");
        }

        /**
         * This delta with another operation.
         *
         * @param op the operation
         * @return the changed delta
         */
        public EditSource withOperation(TextOperation op) {
            return new EditSource(header, cellId, op);
        }
    }

    /**
     * Changes a cell's type. The id, source and metadata stay; outputs and the execution count go when a code cell
     * becomes another type, attachments go when a markdown or raw cell becomes a code cell (as in JupyterLab).
     *
     * @param header   the header
     * @param cellId   the cell
     * @param cellType {@code code}, {@code markdown} or {@code raw}
     */
    record SetCellType(DeltaHeader header, String cellId, String cellType) implements CellDelta {
        /** Validates the fields. */
        public SetCellType {
            Objects.requireNonNull(header, "header");
            requireCellId(cellId);
            Objects.requireNonNull(cellType, "cellType");
            if (!CELL_TYPES.contains(cellType)) {
                throw new IllegalArgumentException("cell type must be one of code, markdown, raw, got '" + cellType
                        + "'");
            }
        }
    }

    /**
     * Sets or removes one value in a cell's metadata. Missing objects along the path are created.
     *
     * @param header the header
     * @param cellId the cell
     * @param path   the keys from the metadata object down to the value, at least one
     * @param value  the value to set, or empty to remove the key
     */
    record SetCellMetadata(DeltaHeader header, String cellId, List<String> path, Optional<JsonNode> value)
            implements CellDelta {
        /** Validates and copies the fields. */
        public SetCellMetadata {
            Objects.requireNonNull(header, "header");
            requireCellId(cellId);
            path = requirePath(path);
            value = value.map(JsonNode::deepCopy);
        }

        @Override
        public Optional<JsonNode> value() {
            return value.map(JsonNode::deepCopy);
        }
    }

    /**
     * Sets or removes one value in the notebook's metadata. Missing objects along the path are created.
     *
     * @param header the header
     * @param path   the keys from the metadata object down to the value, at least one
     * @param value  the value to set, or empty to remove the key
     */
    record SetNotebookMetadata(DeltaHeader header, List<String> path, Optional<JsonNode> value) implements Delta {
        /** Validates and copies the fields. */
        public SetNotebookMetadata {
            Objects.requireNonNull(header, "header");
            path = requirePath(path);
            value = value.map(JsonNode::deepCopy);
        }

        @Override
        public Optional<JsonNode> value() {
            return value.map(JsonNode::deepCopy);
        }
    }

    /**
     * Appends outputs to a code cell (a kernel's stream, display or error message arriving).
     *
     * @param header  the header
     * @param cellId  the code cell
     * @param outputs the outputs, at least one
     */
    record AppendOutputs(DeltaHeader header, String cellId, List<Output> outputs) implements CellDelta {
        /** Validates and copies the fields. */
        public AppendOutputs {
            Objects.requireNonNull(header, "header");
            requireCellId(cellId);
            outputs = List.copyOf(outputs);
            if (outputs.isEmpty()) {
                throw new IllegalArgumentException("append outputs needs at least one output");
            }
        }
    }

    /**
     * Replaces all outputs of a code cell, and its execution count when one is given.
     *
     * @param header         the header
     * @param cellId         the code cell
     * @param outputs        the new outputs, possibly none
     * @param executionCount the new execution count, or empty to keep the cell's
     */
    record ReplaceOutputs(DeltaHeader header, String cellId, List<Output> outputs, Optional<Integer> executionCount)
            implements CellDelta {
        /** Validates and copies the fields. */
        public ReplaceOutputs {
            Objects.requireNonNull(header, "header");
            requireCellId(cellId);
            outputs = List.copyOf(outputs);
            Objects.requireNonNull(executionCount, "executionCount");
            if (executionCount.isPresent() && executionCount.get() < 0) {
                throw new IllegalArgumentException("execution count must not be negative, got "
                        + executionCount.get());
            }
        }
    }

    /**
     * Clears a code cell's outputs and its execution count (JupyterLab's "clear outputs").
     *
     * @param header the header
     * @param cellId the code cell
     */
    record ClearOutputs(DeltaHeader header, String cellId) implements CellDelta {
        /** Validates the fields. */
        public ClearOutputs {
            Objects.requireNonNull(header, "header");
            requireCellId(cellId);
        }
    }

    /**
     * Asks for cells to be run. It changes nothing in the document; it takes its place in the log so that runs are
     * ordered with the edits around them, and the execution service acts on it once it is sequenced.
     *
     * @param header the header
     * @param target which cells
     */
    record ExecuteRequest(DeltaHeader header, ExecuteTarget target) implements Delta {
        /** Validates the fields. */
        public ExecuteRequest {
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(target, "target");
        }
    }

    /**
     * Checks a cell id as nbformat 4.5 defines it: 1 to 64 characters of letters, digits, {@code -} and {@code _}.
     *
     * @param cellId the id
     * @return the id
     * @throws IllegalArgumentException if it is not a valid cell id
     */
    static String requireCellId(String cellId) {
        Objects.requireNonNull(cellId, "cellId");
        if (cellId.isEmpty() || cellId.length() > MAX_CELL_ID_LENGTH || !cellId.matches("[a-zA-Z0-9_-]+")) {
            throw new IllegalArgumentException("a cell id must be 1 to " + MAX_CELL_ID_LENGTH
                    + " letters, digits, '-' or '_', got '" + cellId + "'");
        }
        return cellId;
    }

    private static List<String> requirePath(List<String> path) {
        List<String> copy = List.copyOf(path);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("a metadata path needs at least one key");
        }
        for (String key : copy) {
            if (key.isEmpty()) {
                throw new IllegalArgumentException("a metadata path must not contain an empty key: " + copy);
            }
        }
        return copy;
    }
}
