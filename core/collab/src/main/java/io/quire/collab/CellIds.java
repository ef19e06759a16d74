package io.quire.collab;

import io.quire.notebook.Cell;
import io.quire.notebook.Notebook;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/** Gives every cell of a notebook an id, as a collaborative document needs (the log addresses cells by id). */
public final class CellIds {

    private CellIds() {
    }

    /**
     * The notebook with an id on every cell and no id used twice, at nbformat 4.5 or later (as nbformat's own
     * upgrade does). Cells that already have a unique id keep it; the others get a new random one.
     *
     * @param notebook the notebook
     * @return the notebook, unchanged if it already qualifies
     */
    public static Notebook ensure(Notebook notebook) {
        return ensure(notebook, () -> UUID.randomUUID().toString().replace("-", "").substring(0, 16));
    }

    /**
     * As {@link #ensure(Notebook)}, with new ids from a supplier (for tests).
     *
     * @param notebook the notebook
     * @param ids      makes new ids; an id it makes that is already taken is skipped
     * @return the notebook with ids
     */
    public static Notebook ensure(Notebook notebook, Supplier<String> ids) {
        Set<String> seen = new HashSet<>();
        List<Cell> cells = new ArrayList<>(notebook.cells().size());
        boolean changed = false;
        for (Cell cell : notebook.cells()) {
            Optional<String> id = cell.id();
            if (id.isPresent() && seen.add(id.get())) {
                cells.add(cell);
                continue;
            }
            String fresh;
            do {
                fresh = Delta.requireCellId(ids.get());
            } while (!seen.add(fresh));
            cells.add(cell.withId(Optional.of(fresh)));
            changed = true;
        }
        if (!changed && notebook.nbformatMinor() >= 5) {
            return notebook;
        }
        var json = notebook.withCells(cells).toJson();
        json.put("nbformat_minor", Math.max(5, notebook.nbformatMinor()));
        return Notebook.fromJson(json);
    }
}
