package io.quire.collab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.notebook.Cell;
import io.quire.notebook.CodeCell;
import io.quire.notebook.MarkdownCell;
import io.quire.notebook.MultilineText;
import io.quire.notebook.Notebook;
import io.quire.notebook.Output;
import io.quire.notebook.RawCell;
import io.quire.notebook.UnknownCell;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Applies deltas to notebooks. Every check that can refuse a delta against a document is here, so the sequencer
 * validates a delta by applying it, before anything is persisted.
 */
final class Documents {

    private Documents() {
    }

    /**
     * What a delta did to the cell list, kept by the sequencer to move the positions of later concurrent deltas.
     */
    sealed interface IndexEffect {
        /** The list did not change. */
        record None() implements IndexEffect {
        }

        /** A cell was inserted at a position. */
        record Inserted(int index) implements IndexEffect {
        }

        /** The cell at a position was removed. */
        record Removed(int index, String cellId) implements IndexEffect {
        }

        /** A cell moved from one position to another (the position after the move). */
        record Moved(int from, int to, String cellId) implements IndexEffect {
        }
    }

    /** A document after a delta, and what the delta did to the cell list. */
    record Applied(Notebook notebook, IndexEffect effect) {
    }

    /**
     * Checks that every cell has an id and no id is used twice: the log addresses cells by id.
     *
     * @throws IllegalArgumentException otherwise
     */
    static void requireCellIds(Notebook notebook) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < notebook.cells().size(); i++) {
            Optional<String> id = notebook.cell(i).id();
            if (id.isEmpty()) {
                throw new IllegalArgumentException("cell " + i + " has no id; a collaborative document needs "
                        + "nbformat 4.5 cell ids (see CellIds.ensure)");
            }
            if (!seen.add(id.get())) {
                throw new IllegalArgumentException("cell id '" + id.get() + "' is used by more than one cell");
            }
        }
    }

    static int indexOf(Notebook notebook, String cellId) {
        return notebook.indexOf(cellId).orElseThrow(() -> new DeltaRejectedException(RejectReason.CELL_NOT_FOUND,
                "the document has no cell '" + cellId + "'"));
    }

    static Cell cellAt(Notebook notebook, String cellId) {
        return notebook.cell(indexOf(notebook, cellId));
    }

    /**
     * Applies a delta.
     *
     * @throws DeltaRejectedException if the delta does not fit the document
     */
    static Applied apply(Notebook notebook, Delta delta) {
        // every case derives the next notebook from this one (Notebook.withCell & co.): one copy of the cell
        // references, no copy of the cells or the metadata, and the id index carried over when no cell moved
        int size = notebook.cells().size();
        return switch (delta) {
            case Delta.InsertCell insert -> {
                if (insert.index() > size) {
                    throw new DeltaRejectedException(RejectReason.INDEX_OUT_OF_RANGE, "cannot insert cell '"
                            + insert.cellId() + "' at index " + insert.index() + ": the document has " + size
                            + " cells");
                }
                if (notebook.indexOf(insert.cellId()).isPresent()) {
                    throw new DeltaRejectedException(RejectReason.DUPLICATE_CELL_ID, "the document already has a "
                            + "cell '" + insert.cellId() + "'");
                }
                yield new Applied(notebook.withCellInserted(insert.index(), insert.cell()),
                        new IndexEffect.Inserted(insert.index()));
            }
            case Delta.DeleteCell delete -> {
                int index = indexOf(notebook, delete.cellId());
                yield new Applied(notebook.withoutCell(index), new IndexEffect.Removed(index, delete.cellId()));
            }
            case Delta.MoveCell move -> {
                int from = indexOf(notebook, move.cellId());
                if (move.newIndex() >= size) {
                    throw new DeltaRejectedException(RejectReason.INDEX_OUT_OF_RANGE, "cannot move cell '"
                            + move.cellId() + "' to index " + move.newIndex() + ": the document has " + size
                            + " cells");
                }
                yield new Applied(notebook.withCellMoved(from, move.newIndex()), from == move.newIndex()
                        ? new IndexEffect.None() : new IndexEffect.Moved(from, move.newIndex(), move.cellId()));
            }
            case Delta.EditSource edit -> {
                int index = indexOf(notebook, edit.cellId());
                Cell cell = notebook.cell(index);
                MultilineText source = cell.source();
                String edited;
                try {
                    edited = edit.operation().apply(source.text());
                } catch (TextOperationException e) {
                    throw new DeltaRejectedException(RejectReason.TEXT_MISMATCH, "the edit of cell '"
                            + edit.cellId() + "' does not fit its source: " + e.getMessage());
                }
                MultilineText newSource = source.asList() ? MultilineText.of(edited) : MultilineText.single(edited);
                yield changed(notebook, index, cell.withSource(newSource));
            }
            case Delta.SetCellType type -> {
                int index = indexOf(notebook, type.cellId());
                yield changed(notebook, index, convert(notebook.cell(index), type.cellType()));
            }
            case Delta.SetCellMetadata set -> {
                int index = indexOf(notebook, set.cellId());
                Cell cell = notebook.cell(index);
                ObjectNode metadata = cell.metadata();
                setPath(metadata, set.path(), set.value(), "cell '" + set.cellId() + "'");
                yield changed(notebook, index, cell.withMetadata(metadata));
            }
            case Delta.SetNotebookMetadata set -> {
                ObjectNode metadata = notebook.metadata();
                setPath(metadata, set.path(), set.value(), "the notebook");
                yield new Applied(notebook.withMetadata(metadata), new IndexEffect.None());
            }
            case Delta.AppendOutputs append -> {
                int index = indexOf(notebook, append.cellId());
                CodeCell code = codeCell(notebook.cell(index), append.cellId());
                List<Output> outputs = new ArrayList<>(code.outputs());
                outputs.addAll(append.outputs());
                yield changed(notebook, index, code.withOutputs(outputs));
            }
            case Delta.ReplaceOutputs replace -> {
                int index = indexOf(notebook, replace.cellId());
                CodeCell code = codeCell(notebook.cell(index), replace.cellId()).withOutputs(replace.outputs());
                if (replace.executionCount().isPresent()) {
                    code = code.withExecutionCount(replace.executionCount());
                }
                yield changed(notebook, index, code);
            }
            case Delta.ClearOutputs clear -> {
                int index = indexOf(notebook, clear.cellId());
                CodeCell code = codeCell(notebook.cell(index), clear.cellId());
                yield changed(notebook, index, code.withOutputs(List.of()).withExecutionCount(Optional.empty()));
            }
            case Delta.ExecuteRequest execute -> {
                execute.target().resolve(notebook); // refuses targets that name missing cells
                yield new Applied(notebook, new IndexEffect.None());
            }
        };
    }

    /** The notebook with one cell replaced; the cell keeps its id (the id index carries over). */
    private static Applied changed(Notebook notebook, int index, Cell cell) {
        return new Applied(notebook.withCell(index, cell), new IndexEffect.None());
    }

    private static CodeCell codeCell(Cell cell, String cellId) {
        if (cell instanceof CodeCell code) {
            return code;
        }
        throw new DeltaRejectedException(RejectReason.NOT_A_CODE_CELL, "cell '" + cellId + "' is a "
                + cell.cellType() + " cell; only code cells have outputs");
    }

    private static Cell convert(Cell cell, String type) {
        if (cell.cellType().equals(type)) {
            return cell;
        }
        Optional<String> id = cell.id();
        MultilineText source = cell.source();
        ObjectNode metadata = cell.metadata();
        ObjectNode extra = cell instanceof UnknownCell ? JsonNodeFactory.instance.objectNode() : cell.extra();
        Optional<ObjectNode> attachments = switch (cell) {
            case MarkdownCell markdown -> markdown.attachments();
            case RawCell raw -> raw.attachments();
            case CodeCell ignored -> Optional.empty();
            case UnknownCell unknown -> unknown.json().get("attachments") instanceof ObjectNode a
                    ? Optional.of(a) : Optional.empty();
        };
        return switch (type) {
            case "code" -> new CodeCell(id, source, metadata, Optional.empty(), List.of(), extra);
            case "markdown" -> new MarkdownCell(id, source, metadata, attachments, extra);
            case "raw" -> new RawCell(id, source, metadata, attachments, extra);
            default -> throw new IllegalStateException("cell type checked by SetCellType: " + type);
        };
    }

    private static void setPath(ObjectNode root, List<String> path, Optional<JsonNode> value, String owner) {
        ObjectNode node = root;
        for (int i = 0; i < path.size() - 1; i++) {
            String key = path.get(i);
            JsonNode child = node.get(key);
            if (child == null || child.isNull()) {
                if (value.isEmpty()) {
                    return; // removing below a missing key: nothing to remove
                }
                node = node.putObject(key);
            } else if (child instanceof ObjectNode object) {
                node = object;
            } else {
                throw new DeltaRejectedException(RejectReason.BAD_METADATA_PATH, "metadata path "
                        + path + " of " + owner + " runs through '" + key + "', which is a "
                        + child.getNodeType().name().toLowerCase() + ", not an object");
            }
        }
        String last = path.getLast();
        if (value.isPresent()) {
            node.set(last, value.get());
        } else {
            node.remove(last);
        }
    }
}
