package io.quire.desktop.notebook;

/** How a notebook's code cells are run (docs/decisions/0024). */
public enum Runs {
    /**
     * Over the kernel channels WebSocket of the file's v1 session, with {@code allow_stdin}: {@code input()} works,
     * the editor collects the outputs and they are saved with the notebook (the desktop app's choice).
     */
    KERNEL_CHANNELS,
    /**
     * As v1 executions polled until done: the server runs the saved source and saves the outputs into the file, even
     * with the window closed; {@code input()} raises in the kernel (v1 executions refuse stdin).
     */
    SERVER_EXECUTIONS
}
