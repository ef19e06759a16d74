package io.quire.collab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.notebook.Cell;
import io.quire.notebook.CodeCell;
import io.quire.notebook.Notebook;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The deltas that turn one version of a notebook into another, cell by cell (by nbformat cell id): deletes of cells
 * the new version lacks, inserts and moves so the cell order matches, and for each kept cell its type, source (a
 * {@link TextOperation} keeping the common prefix and suffix), metadata (one delta per changed top-level key) and
 * outputs; then notebook metadata (per top-level key).
 *
 * <p>The deltas apply one after the other: each is expressed against the document the ones before it produced, as a
 * client's buffered edits are (see {@link ClientDocument#edit}). Both documents need unique cell ids.
 */
public final class NotebookDiff {
    private NotebookDiff() {
    }

    /**
     * The deltas from one version to another.
     *
     * @param from    the version the changes were made to
     * @param to      the changed version
     * @param headers a fresh header for each delta (file, author, base)
     * @return the deltas, in the order they apply; empty if the two versions are equal in every field the deltas cover
     * @throws IllegalArgumentException if a document has a cell without an id or two cells with one id
     */
    public static List<Delta> diff(Notebook from, Notebook to, Supplier<DeltaHeader> headers) {
        Objects.requireNonNull(headers, "headers");
        Documents.requireCellIds(from);
        Documents.requireCellIds(to);
        List<Delta> deltas = new ArrayList<>();
        Map<String, Cell> before = new HashMap<>();
        from.cells().forEach(cell -> before.put(id(cell), cell));
        Set<String> wanted = new HashSet<>();
        to.cells().forEach(cell -> wanted.add(id(cell)));

        List<String> order = new ArrayList<>();
        for (Cell cell : from.cells()) {
            if (wanted.contains(id(cell))) {
                order.add(id(cell));
            } else {
                deltas.add(new Delta.DeleteCell(headers.get(), id(cell)));
            }
        }
        for (int i = 0; i < to.cells().size(); i++) {
            Cell target = to.cells().get(i);
            String id = id(target);
            int at = order.indexOf(id);
            if (at < 0) {
                deltas.add(new Delta.InsertCell(headers.get(), i, target));
                order.add(i, id);
                continue;
            }
            if (at != i) {
                deltas.add(new Delta.MoveCell(headers.get(), id, i));
                order.remove(at);
                order.add(i, id);
            }
            cellChanges(before.get(id), target, headers, deltas);
        }
        metadataChanges(from.metadata(), to.metadata(), path -> headers.get(), null, deltas);
        return List.copyOf(deltas);
    }

    private static void cellChanges(Cell from, Cell to, Supplier<DeltaHeader> headers, List<Delta> deltas) {
        String id = id(to);
        Cell current = from;
        if (!from.cellType().equals(to.cellType()) && Delta.CELL_TYPES.contains(to.cellType())) {
            deltas.add(new Delta.SetCellType(headers.get(), id, to.cellType()));
            current = Documents.apply(new Notebook(4, 5, Notebook.empty().metadata(), List.of(from),
                    Notebook.empty().extra()), deltas.getLast()).notebook().cells().getFirst();
        }
        String oldText = current.source().text();
        String newText = to.source().text();
        if (!oldText.equals(newText)) {
            deltas.add(new Delta.EditSource(headers.get(), id, textDiff(oldText, newText)));
        }
        metadataChanges(current.metadata(), to.metadata(), path -> headers.get(), id, deltas);
        if (current instanceof CodeCell old && to instanceof CodeCell code
                && (!old.outputs().equals(code.outputs()) || !old.executionCount().equals(code.executionCount()))) {
            if (code.executionCount().isEmpty() && old.executionCount().isPresent()) {
                deltas.add(new Delta.ClearOutputs(headers.get(), id));
                if (!code.outputs().isEmpty()) {
                    deltas.add(new Delta.ReplaceOutputs(headers.get(), id, code.outputs(), Optional.empty()));
                }
            } else {
                deltas.add(new Delta.ReplaceOutputs(headers.get(), id, code.outputs(), code.executionCount()));
            }
        }
    }

    private interface Headers {
        DeltaHeader next(List<String> path);
    }

    /** One delta per top-level key added, changed or removed (a cell's when cellId is given, else the notebook's). */
    private static void metadataChanges(ObjectNode from, ObjectNode to, Headers headers, String cellId,
            List<Delta> deltas) {
        for (Map.Entry<String, JsonNode> field : to.properties()) {
            if (field.getKey().isEmpty() || field.getValue().equals(from.get(field.getKey()))) {
                continue;
            }
            List<String> path = List.of(field.getKey());
            Optional<JsonNode> value = Optional.of(field.getValue().deepCopy());
            deltas.add(cellId == null ? new Delta.SetNotebookMetadata(headers.next(path), path, value)
                    : new Delta.SetCellMetadata(headers.next(path), cellId, path, value));
        }
        for (Iterator<String> it = from.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (key.isEmpty() || to.has(key)) {
                continue;
            }
            List<String> path = List.of(key);
            deltas.add(cellId == null ? new Delta.SetNotebookMetadata(headers.next(path), path, Optional.empty())
                    : new Delta.SetCellMetadata(headers.next(path), cellId, path, Optional.empty()));
        }
    }

    /**
     * A text operation from one text to another that keeps their common prefix and suffix and replaces the middle
     * (never splitting a surrogate pair).
     *
     * @param from the old text
     * @param to   the new text
     * @return the operation, over the whole old text
     */
    public static TextOperation textDiff(String from, String to) {
        int max = Math.min(from.length(), to.length());
        int prefix = 0;
        while (prefix < max && from.charAt(prefix) == to.charAt(prefix)) {
            prefix++;
        }
        if (prefix > 0 && Character.isHighSurrogate(from.charAt(prefix - 1))) {
            prefix--;
        }
        int suffix = 0;
        while (suffix < max - prefix
                && from.charAt(from.length() - 1 - suffix) == to.charAt(to.length() - 1 - suffix)) {
            suffix++;
        }
        if (suffix > 0 && Character.isLowSurrogate(from.charAt(from.length() - suffix))) {
            suffix--;
        }
        return TextOperation.builder()
                .retain(prefix)
                .delete(from.length() - prefix - suffix)
                .insert(to.substring(prefix, to.length() - suffix))
                .retain(suffix)
                .build();
    }

    private static String id(Cell cell) {
        return cell.id().orElseThrow(() -> new IllegalArgumentException("a cell has no id"));
    }
}
