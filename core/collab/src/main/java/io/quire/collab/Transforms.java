package io.quire.collab;

import io.quire.collab.Documents.IndexEffect;
import io.quire.notebook.Notebook;

/**
 * Transforms a delta against one concurrent delta that was sequenced before it. Only text edits and positions
 * change; everything else (metadata, outputs, type changes) applies as it is, last sequenced wins.
 *
 * <p>Positions are adjusted for intent (an insert stays next to the cells it was between where possible); the
 * document's consistency does not depend on it, since every client applies the deltas in the log's order.
 */
final class Transforms {

    private Transforms() {
    }

    /**
     * Transforms {@code delta} against {@code earlier}, which was sequenced after the delta's base.
     *
     * @param delta   the delta being sequenced
     * @param earlier the logged delta
     * @param effect  what the logged delta did to the cell list
     * @return the delta to apply after {@code earlier}
     * @throws DeltaRejectedException if {@code earlier} deleted a cell the delta needs, or two edits of one cell
     *                                do not fit the same source
     */
    static Delta against(Delta delta, Delta earlier, IndexEffect effect) {
        if (effect instanceof IndexEffect.Removed removed && names(delta, removed.cellId())) {
            throw new DeltaRejectedException(RejectReason.CELL_DELETED, "delta " + delta.deltaId() + " needs cell '"
                    + removed.cellId() + "', which delta " + earlier.deltaId() + " by " + earlier.header().author()
                    + " deleted after the delta's base");
        }
        boolean first = delta.precedes(earlier);
        return switch (delta) {
            case Delta.EditSource edit when earlier instanceof Delta.EditSource other
                    && other.cellId().equals(edit.cellId()) -> {
                try {
                    yield edit.withOperation(TextOperation.transform(edit.operation(), other.operation(), first)
                            .aPrime());
                } catch (TextOperationException e) {
                    throw new DeltaRejectedException(RejectReason.TEXT_MISMATCH, "the edit of cell '"
                            + edit.cellId() + "' in delta " + delta.deltaId() + " does not fit the source that "
                            + "concurrent delta " + earlier.deltaId() + " edited: " + e.getMessage());
                }
            }
            case Delta.InsertCell insert -> insert.withIndex(shift(insert.index(), effect, first));
            case Delta.MoveCell move -> {
                if (effect instanceof IndexEffect.Moved moved && moved.cellId().equals(move.cellId())) {
                    yield move; // both moved the same cell: the later one decides where it ends up
                }
                yield move.withNewIndex(shift(move.newIndex(), effect, first));
            }
            default -> delta;
        };
    }

    /** Keeps positions inside the document after all shifts (a concurrent delete may have shortened it). */
    static Delta clamp(Delta delta, Notebook notebook) {
        int size = notebook.cells().size();
        return switch (delta) {
            case Delta.InsertCell insert when insert.index() > size -> insert.withIndex(size);
            case Delta.MoveCell move when move.newIndex() >= size && size > 0 -> move.withNewIndex(size - 1);
            default -> delta;
        };
    }

    private static int shift(int index, IndexEffect effect, boolean first) {
        return switch (effect) {
            case IndexEffect.None ignored -> index;
            case IndexEffect.Inserted inserted -> inserted.index() < index || inserted.index() == index && !first
                    ? index + 1 : index;
            case IndexEffect.Removed removed -> removed.index() < index ? index - 1 : index;
            case IndexEffect.Moved moved -> {
                int without = moved.from() < index ? index - 1 : index;
                yield moved.to() < without || moved.to() == without && !first ? without + 1 : without;
            }
        };
    }

    private static boolean names(Delta delta, String cellId) {
        return switch (delta) {
            case Delta.CellDelta cell -> cell.cellId().equals(cellId);
            case Delta.ExecuteRequest execute -> switch (execute.target()) {
                case ExecuteTarget.Cells cells -> cells.cellIds().contains(cellId);
                case ExecuteTarget.Above above -> above.cellId().equals(cellId);
                case ExecuteTarget.Below below -> below.cellId().equals(cellId);
                case ExecuteTarget.All ignored -> false;
            };
            case Delta.InsertCell ignored -> false;
            case Delta.SetNotebookMetadata ignored -> false;
        };
    }
}
