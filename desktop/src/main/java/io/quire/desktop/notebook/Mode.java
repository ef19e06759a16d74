package io.quire.desktop.notebook;

/** Jupyter's two keyboard modes: keys act on cells (command) or type into the selected cell (edit). */
public enum Mode {
    /** Keys act on cells: A/B insert, D D deletes, arrows move the selection, Enter edits. */
    COMMAND,
    /** Keys type into the selected cell's editor; Esc goes back to command mode. */
    EDIT
}
