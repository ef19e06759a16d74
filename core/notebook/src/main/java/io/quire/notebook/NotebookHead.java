package io.quire.notebook;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * The first cells of a notebook and how many it has: what an editor shows first while the rest of a large notebook is
 * still on its way (decision 0035).
 *
 * @param notebook   the notebook's metadata and format with at most the requested number of its first cells
 * @param totalCells how many cells the whole notebook has
 */
public record NotebookHead(Notebook notebook, int totalCells) {
    /** Validates the fields. */
    public NotebookHead {
        Objects.requireNonNull(notebook, "notebook");
        if (totalCells < notebook.cells().size()) {
            throw new IllegalArgumentException("a head of " + notebook.cells().size() + " cells cannot come from "
                    + totalCells);
        }
    }

    /**
     * The head of a notebook already read.
     *
     * @param notebook the whole notebook
     * @param cells    how many cells to keep at most (at least 0)
     * @return its first cells
     */
    public static NotebookHead of(Notebook notebook, int cells) {
        Objects.requireNonNull(notebook, "notebook");
        check(cells);
        int total = notebook.cells().size();
        return new NotebookHead(total <= cells ? notebook : notebook.withCells(notebook.cells().subList(0, cells)),
                total);
    }

    /**
     * Reads the head of a notebook from its JSON bytes without building the rest: the cells after the first
     * {@code cells} are counted and skipped (not decoded), so the cost hardly depends on how large the notebook is.
     * The head is read and validated exactly as {@link Notebook#read} reads those cells; the skipped cells are not
     * checked.
     *
     * @param json  the file content (UTF-8)
     * @param cells how many cells to keep at most (at least 0)
     * @return the head, or empty when the bytes are not an nbformat 4 notebook this can read in one pass (such as an
     *         nbformat 3 notebook, whose cells are in worksheets): read the whole notebook then
     * @throws NotebookFormatException if the bytes are not valid JSON where they were read, or the head is not valid
     */
    public static Optional<NotebookHead> read(byte[] json, int cells) {
        Objects.requireNonNull(json, "json");
        check(cells);
        return NotebookCodec.readHead(json, cells);
    }

    /**
     * Reads the head of a notebook from a stream of its JSON (UTF-8), as {@link #read(byte[], int)} does: the stream
     * is read to the end of the notebook's object, the cells after the head skipped, never held. The stream is closed.
     *
     * @param json  the file content
     * @param cells how many cells to keep at most (at least 0)
     * @return the head, or empty when the content is not an nbformat 4 notebook this can read in one pass
     * @throws NotebookFormatException if the content is not valid JSON where it was read, or the head is not valid
     * @throws IOException             if the stream cannot be read
     */
    public static Optional<NotebookHead> read(InputStream json, int cells) throws IOException {
        Objects.requireNonNull(json, "json");
        check(cells);
        return NotebookCodec.readHead(json, cells);
    }

    private static void check(int cells) {
        if (cells < 0) {
            throw new IllegalArgumentException("a head cannot have " + cells + " cells");
        }
    }
}
