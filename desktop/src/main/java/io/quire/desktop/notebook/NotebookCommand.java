package io.quire.desktop.notebook;

/** What a key (or a toolbar button) asks the notebook to do. */
public enum NotebookCommand {
    /** Run the selected cells and select the next one (a new code cell at the end); Shift+Enter. */
    RUN_AND_ADVANCE,
    /** Run the selected cell and stay on it; Ctrl+Enter. */
    RUN,
    /** Run the selected cell and insert a code cell below, in edit mode; Alt+Enter. */
    RUN_AND_INSERT_BELOW,
    /** Edit the selected cell; Enter in command mode. */
    EDIT,
    /** Leave the editor; Esc in edit mode. */
    LEAVE_EDIT,
    /** Insert a code cell above; A. */
    INSERT_ABOVE,
    /** Insert a code cell below; B. */
    INSERT_BELOW,
    /** Delete the selected cells; D D. */
    DELETE,
    /** Make the selected cell a code cell; Y. */
    TO_CODE,
    /** Make the selected cell a markdown cell; M. */
    TO_MARKDOWN,
    /** Make the selected cell a raw cell; R. */
    TO_RAW,
    /** Copy the selected cells; C. */
    COPY,
    /** Cut the selected cells; X. */
    CUT,
    /** Paste the copied cells below the selection; V. */
    PASTE_BELOW,
    /** Bring back the cells deleted last; Z. */
    UNDO_DELETE,
    /** Select the cell above; Up or K. */
    SELECT_PREVIOUS,
    /** Select the cell below; Down or J. */
    SELECT_NEXT,
    /** Extend the selection to the cell above; Shift+Up or Shift+K. */
    EXTEND_SELECTION_UP,
    /** Extend the selection to the cell below; Shift+Down or Shift+J. */
    EXTEND_SELECTION_DOWN,
    /** Select every cell; Ctrl+A in command mode. */
    SELECT_ALL,
    /** Move the selected cells one up (toolbar, or dragging). */
    MOVE_UP,
    /** Move the selected cells one down (toolbar, or dragging). */
    MOVE_DOWN,
    /** Show the keyboard shortcuts; H. */
    SHOW_SHORTCUTS,
    /** Save the notebook; Ctrl+S. */
    SAVE
}
