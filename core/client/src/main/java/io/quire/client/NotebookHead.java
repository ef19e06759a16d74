package io.quire.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The first cells of a notebook and how many it has ({@link QuireClient#notebookHead}): what an editor shows while the
 * rest of a large notebook is still on its way.
 *
 * @param notebook   the notebook's nbformat 4 JSON with only its first cells
 * @param totalCells how many cells the whole notebook has
 */
public record NotebookHead(ObjectNode notebook, int totalCells) {
    /** Validates the fields. */
    public NotebookHead {
        Objects.requireNonNull(notebook, "notebook");
        if (totalCells < notebook.path("cells").size()) {
            throw new IllegalArgumentException("a head of " + notebook.path("cells").size()
                    + " cells cannot come from " + totalCells);
        }
    }

    /** @return whether the head holds every cell of the notebook */
    public boolean complete() {
        return notebook.path("cells").size() == totalCells;
    }
}
