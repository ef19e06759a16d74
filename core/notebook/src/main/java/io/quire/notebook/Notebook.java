package io.quire.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Jupyter notebook (nbformat v4), as an immutable value.
 *
 * <p>Reading is lossless: every field nbformat does not define is kept (see {@link #extra()} and the cells' and
 * outputs' {@code extra()}), metadata and MIME bundles are kept as open JSON, and multi-line texts keep the exact way
 * they were split. Writing a notebook that was read gives the same JSON data. Version 3 notebooks are upgraded to
 * 4.5 on reading (as nbformat does); versions 1 and 2 and unknown major versions are refused with a
 * {@link NotebookFormatException}.
 *
 * @param nbformat      the major format version (always 4 for a value of this type)
 * @param nbformatMinor the minor format version, 0 to 5 (newer minors are read as they are)
 * @param metadata      the notebook metadata (kernelspec, language_info, ...)
 * @param cells         the cells, in order
 * @param extra         top-level fields nbformat does not define
 */
public record Notebook(int nbformat, int nbformatMinor, ObjectNode metadata, List<Cell> cells, ObjectNode extra) {

    /** The newest nbformat minor version Quire writes for new notebooks. */
    public static final int CURRENT_MINOR = 5;

    /**
     * Validates and copies the fields. The cells are kept in an unmodifiable list that finds a cell by id without a
     * pass over all cells (see {@link #indexOf}).
     *
     * @throws NullPointerException if {@code cells} or one of them is null
     */
    public Notebook {
        if (nbformat != 4) {
            throw new IllegalArgumentException("nbformat must be 4, got " + nbformat);
        }
        if (nbformatMinor < 0) {
            throw new IllegalArgumentException("nbformat_minor must not be negative, got " + nbformatMinor);
        }
        metadata = Json.copy(metadata);
        cells = CellList.copyOf(cells);
        extra = Json.copy(extra);
    }

    /**
     * An empty notebook of the current format version.
     *
     * @return a notebook with no cells and no metadata
     */
    public static Notebook empty() {
        return new Notebook(4, CURRENT_MINOR, Json.object(), List.of(), Json.object());
    }

    /**
     * Reads a notebook from JSON bytes (UTF-8).
     *
     * @param json the file content
     * @return the notebook
     * @throws NotebookFormatException if the bytes are not a notebook Quire can read
     */
    public static Notebook read(byte[] json) {
        return NotebookCodec.read(json);
    }

    /**
     * Reads a notebook from a JSON string.
     *
     * @param json the file content
     * @return the notebook
     * @throws NotebookFormatException if the text is not a notebook Quire can read
     */
    public static Notebook parse(String json) {
        return NotebookCodec.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Reads a notebook from a stream, which is read to its end but not closed.
     *
     * @param in the stream
     * @return the notebook
     * @throws NotebookFormatException if the content is not a notebook Quire can read
     * @throws UncheckedIOException    if reading fails
     */
    public static Notebook read(InputStream in) {
        try {
            return NotebookCodec.read(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a notebook file.
     *
     * @param file the {@code .ipynb} file
     * @return the notebook
     * @throws NotebookFormatException if the file is not a notebook Quire can read
     * @throws UncheckedIOException    if reading fails
     */
    public static Notebook read(Path file) {
        try {
            return NotebookCodec.read(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Converts a JSON tree to a notebook.
     *
     * @param json the notebook as a JSON tree
     * @return the notebook
     * @throws NotebookFormatException if the tree is not a notebook Quire can read
     */
    public static Notebook fromJson(JsonNode json) {
        // not copied first: reading never changes the tree (a v3 upgrade works on its own copy), and every record
        // copies the containers it keeps
        return NotebookCodec.fromTree(json);
    }

    /**
     * The notebook as a JSON tree.
     *
     * @return a new tree
     */
    public ObjectNode toJson() {
        return NotebookCodec.toTree(this);
    }

    /**
     * Writes the notebook as nbformat does: sorted keys, one-space indent, UTF-8, a trailing newline.
     *
     * @param out the stream, which is not closed
     * @throws UncheckedIOException if writing fails
     */
    public void write(OutputStream out) {
        NotebookCodec.write(this, out);
    }

    /**
     * The notebook as nbformat-style JSON text.
     *
     * @return the JSON text
     */
    public String toJsonString() {
        return NotebookCodec.writeString(this);
    }

    /**
     * The notebook as nbformat-style JSON bytes (UTF-8).
     *
     * @return the JSON bytes
     */
    public byte[] toBytes() {
        return NotebookCodec.writeBytes(this);
    }

    @Override
    public ObjectNode metadata() {
        return metadata.deepCopy();
    }

    @Override
    public ObjectNode extra() {
        return extra.deepCopy();
    }

    /**
     * This notebook with other cells. Only the cells are new: the notebook's metadata is shared, not copied again.
     *
     * @param cells the new cells
     * @return the changed notebook
     * @throws NullPointerException if {@code cells} or one of them is null
     */
    public Notebook withCells(List<Cell> cells) {
        return derive(CellList.copyOf(cells));
    }

    /**
     * This notebook with the cell at a position replaced (a changed source, outputs or metadata). Costs a copy of the
     * cell references, not of the cells or the metadata; when the new cell has the old one's id, finding cells by id
     * stays as fast as on this notebook.
     *
     * @param index the position
     * @param cell  the new cell
     * @return the changed notebook
     * @throws IndexOutOfBoundsException if there is no cell at {@code index}
     */
    public Notebook withCell(int index, Cell cell) {
        return derive(cellList().with(index, cell));
    }

    /**
     * This notebook with a cell inserted.
     *
     * @param index the position the new cell will have, 0 to the number of cells
     * @param cell  the new cell
     * @return the changed notebook
     * @throws IndexOutOfBoundsException if {@code index} is negative or greater than the number of cells
     */
    public Notebook withCellInserted(int index, Cell cell) {
        return derive(cellList().inserted(index, cell));
    }

    /**
     * This notebook without the cell at a position.
     *
     * @param index the position
     * @return the changed notebook
     * @throws IndexOutOfBoundsException if there is no cell at {@code index}
     */
    public Notebook withoutCell(int index) {
        return derive(cellList().removed(index));
    }

    /**
     * This notebook with a cell moved, as removing it and inserting it again at {@code to}.
     *
     * @param from the cell's position
     * @param to   its position after the move
     * @return the changed notebook ({@code this} when the positions are equal)
     * @throws IndexOutOfBoundsException if either position has no cell
     */
    public Notebook withCellMoved(int from, int to) {
        CellList moved = cellList().moved(from, to);
        return moved == cells ? this : derive(moved);
    }

    /**
     * This notebook with other metadata.
     *
     * @param metadata the new metadata
     * @return the changed notebook
     */
    public Notebook withMetadata(ObjectNode metadata) {
        ObjectNode copy = Json.copy(metadata);
        return Json.owned(() -> new Notebook(nbformat, nbformatMinor, copy, cells, extra));
    }

    /**
     * Whether cells of this notebook carry ids (nbformat 4.5 and later).
     *
     * @return true from 4.5 on
     */
    public boolean hasCellIds() {
        return nbformatMinor >= 5;
    }

    /**
     * The kernel the notebook asks for ({@code metadata.kernelspec.name}).
     *
     * @return the kernel spec name, or empty
     */
    public Optional<String> kernelName() {
        return textAt(metadata.path("kernelspec").path("name"));
    }

    /**
     * The notebook's language ({@code metadata.kernelspec.language}, else {@code metadata.language_info.name}).
     *
     * @return the language, or empty
     */
    public Optional<String> language() {
        return textAt(metadata.path("kernelspec").path("language"))
                .or(() -> textAt(metadata.path("language_info").path("name")));
    }

    /**
     * The cell at an index.
     *
     * @param index the position
     * @return the cell
     * @throws IndexOutOfBoundsException if there is no such cell
     */
    public Cell cell(int index) {
        return cells.get(index);
    }

    /**
     * The position of the cell with an id. When several cells have the id, the first one's. From the second lookup on
     * a notebook this costs a hash lookup, not a pass over the cells; the index is built once and carried over to the
     * notebooks derived by {@link #withCell} that keep the cell's id.
     *
     * @param id the cell id
     * @return the index, or empty if no cell has that id (cells without an id are never found)
     */
    public Optional<Integer> indexOf(String id) {
        Objects.requireNonNull(id, "id");
        int index = cellList().indexOfId(id);
        return index < 0 ? Optional.empty() : Optional.of(index);
    }

    private CellList cellList() {
        return (CellList) cells; // set by the constructor
    }

    /** A notebook with this one's fields and other cells; the metadata and extra fields are shared, not copied. */
    private Notebook derive(CellList newCells) {
        return Json.owned(() -> new Notebook(nbformat, nbformatMinor, metadata, newCells, extra));
    }

    private static Optional<String> textAt(JsonNode node) {
        return node.isTextual() ? Optional.of(node.textValue()) : Optional.empty();
    }
}
