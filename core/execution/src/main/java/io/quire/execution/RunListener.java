package io.quire.execution;

import io.quire.notebook.Notebook;

/**
 * Follows a run: progress, output as it arrives, warnings, and the points where the notebook should be saved.
 * Called from the runner's thread; stream output may also come from the kernel's I/O thread.
 */
public interface RunListener {

    /**
     * The kernel is about to start.
     *
     * @param kernelName the kernel spec name
     * @param cells      how many cells the notebook has
     */
    default void started(String kernelName, int cells) {
    }

    /**
     * A cell starts.
     *
     * @param index the cell's position
     * @param total how many cells there are
     */
    default void cellStarted(int index, int total) {
    }

    /**
     * A cell finished (successfully or not).
     *
     * @param index the cell's position
     * @param total how many cells there are
     */
    default void cellFinished(int index, int total) {
    }

    /**
     * Text the kernel wrote to a stream, or the {@code text/plain} of a result or display.
     *
     * @param stream {@code stdout}, {@code stderr}, or {@code display}
     * @param text   the text
     */
    default void output(String stream, String text) {
    }

    /**
     * Something the user should know that does not stop the run.
     *
     * @param message the warning
     */
    default void warning(String message) {
    }

    /**
     * The notebook should be saved now.
     *
     * @param notebook the notebook as it stands
     * @param last     true for the final save of the run
     */
    default void save(Notebook notebook, boolean last) {
    }
}
