package io.quire.collab;

import io.quire.notebook.CodeCell;
import io.quire.notebook.Notebook;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Which cells an {@link Delta.ExecuteRequest} asks to run. */
public sealed interface ExecuteTarget {

    /**
     * Named cells, run in the order given.
     *
     * @param cellIds the cell ids, at least one
     */
    record Cells(List<String> cellIds) implements ExecuteTarget {
        /** Validates and copies the ids. */
        public Cells {
            cellIds = List.copyOf(cellIds);
            if (cellIds.isEmpty()) {
                throw new IllegalArgumentException("an execute request for cells must name at least one cell");
            }
            cellIds.forEach(Delta::requireCellId);
        }
    }

    /** Every code cell, top to bottom. */
    record All() implements ExecuteTarget {
    }

    /**
     * The code cells above a cell, not including it (JupyterLab's "run all above selected cell").
     *
     * @param cellId the cell
     */
    record Above(String cellId) implements ExecuteTarget {
        /** Validates the id. */
        public Above {
            Delta.requireCellId(cellId);
        }
    }

    /**
     * A cell and the code cells below it (JupyterLab's "run selected cell and all below").
     *
     * @param cellId the cell
     */
    record Below(String cellId) implements ExecuteTarget {
        /** Validates the id. */
        public Below {
            Delta.requireCellId(cellId);
        }
    }

    /**
     * The ids of the code cells to run, in order, in a document. Named cells that are not code cells are left out
     * (running a markdown cell renders it on the client; nothing runs on a kernel).
     *
     * @param notebook the document
     * @return the code cell ids
     * @throws DeltaRejectedException ({@link RejectReason#CELL_NOT_FOUND}) if a named cell is not in the document
     */
    default List<String> resolve(Notebook notebook) {
        Objects.requireNonNull(notebook, "notebook");
        List<io.quire.notebook.Cell> cells = notebook.cells();
        int from;
        int to;
        switch (this) {
            case Cells named -> {
                List<String> ids = new ArrayList<>();
                for (String id : named.cellIds()) {
                    if (Documents.cellAt(notebook, id) instanceof CodeCell) {
                        ids.add(id);
                    }
                }
                return List.copyOf(ids);
            }
            case All ignored -> {
                from = 0;
                to = cells.size();
            }
            case Above above -> {
                from = 0;
                to = Documents.indexOf(notebook, above.cellId());
            }
            case Below below -> {
                from = Documents.indexOf(notebook, below.cellId());
                to = cells.size();
            }
        }
        List<String> ids = new ArrayList<>();
        for (io.quire.notebook.Cell cell : cells.subList(from, to)) {
            if (cell instanceof CodeCell) {
                ids.add(cell.id().orElseThrow());
            }
        }
        return List.copyOf(ids);
    }
}
