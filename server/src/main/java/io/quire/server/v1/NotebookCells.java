package io.quire.server.v1;

import io.quire.contents.ContentType;
import io.quire.contents.ContentsManager;
import io.quire.contents.GetOptions;
import io.quire.contents.SaveRequest;
import io.quire.notebook.Cell;
import io.quire.notebook.CodeCell;
import io.quire.notebook.Notebook;
import io.quire.notebook.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads notebooks and writes one cell's outputs back into them, for executions in sessions.
 *
 * <p>Design: a write re-reads the file, replaces only the {@code outputs} and {@code execution_count} of the executed
 * cell (found by its nbformat 4.5 id), and saves, so edits others saved meanwhile (other cells, this cell's source)
 * are kept. Reads and writes go through the contents of the caller who asked for the execution, so with their
 * permissions; outputs are saved with {@link ContentsManager#saveOutputs}, which callers who may run code but not
 * edit (executors) are allowed. Writes to one path (of one tenant) are serialised by a lock per path, so two writers in this server never interleave a
 * read and a save. A save by another party between the read and the save can still be overwritten; that window is
 * one read and one atomic write long (collaboration, with its ordered delta log, will close it).
 */
final class NotebookCells {
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /**
     * Reads a notebook.
     *
     * @throws io.quire.contents.ContentsNotFoundException   when the file is gone
     * @throws io.quire.contents.ContentsBadRequestException when it is not a notebook
     */
    Notebook read(CallerScope caller, String path) {
        return read(caller.contents(), path);
    }

    private static Notebook read(ContentsManager contents, String path) {
        return Notebook.fromJson(contents.get(path, GetOptions.defaults().withType(ContentType.NOTEBOOK)).content()
                .orElseThrow());
    }

    /**
     * The notebook with an id on every cell: a notebook older than nbformat 4.5 is upgraded (fresh ids) and saved
     * first, so its cells can be found again after edits.
     */
    Notebook withCellIds(CallerScope caller, String path) {
        ContentsManager contents = caller.contents();
        ReentrantLock lock = lock(caller.key(path));
        lock.lock();
        try {
            Notebook notebook = read(contents, path);
            if (notebook.hasCellIds()) {
                return notebook;
            }
            List<Cell> cells = new ArrayList<>(notebook.cells().size());
            for (Cell cell : notebook.cells()) {
                cells.add(cell.id().isPresent() ? cell : cell.withId(Optional.of(UUID.randomUUID().toString())));
            }
            Notebook upgraded = new Notebook(notebook.nbformat(), Notebook.CURRENT_MINOR, notebook.metadata(), cells,
                    notebook.extra());
            contents.save(path, SaveRequest.notebook(upgraded));
            return upgraded;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes a code cell's outputs and execution count into the notebook as it is on disk now.
     *
     * @return false when the cell is no longer in the notebook or is no longer a code cell (nothing was written)
     * @throws io.quire.contents.ContentsException when the file cannot be read or written
     */
    boolean writeOutputs(CallerScope caller, String path, String cellId, List<Output> outputs,
            Optional<Integer> executionCount) {
        ContentsManager contents = caller.contents();
        ReentrantLock lock = lock(caller.key(path));
        lock.lock();
        try {
            Notebook notebook = read(contents, path);
            Optional<Integer> index = notebook.indexOf(cellId);
            if (index.isEmpty() || !(notebook.cell(index.get()) instanceof CodeCell code)) {
                return false;
            }
            CodeCell updated = code.withOutputs(outputs).withExecutionCount(executionCount);
            if (!updated.equals(code)) {
                List<Cell> cells = new ArrayList<>(notebook.cells());
                cells.set(index.get(), updated);
                contents.saveOutputs(path, notebook.withCells(cells));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private ReentrantLock lock(String pathKey) {
        return locks.computeIfAbsent(pathKey, key -> new ReentrantLock());
    }
}
