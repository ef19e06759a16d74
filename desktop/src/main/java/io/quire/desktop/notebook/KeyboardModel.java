package io.quire.desktop.notebook;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Jupyter's command/edit mode keyboard model as a pure state machine: a key stroke in a mode becomes a
 * {@link NotebookCommand}, or nothing (in edit mode the key then types into the cell; in command mode it is ignored).
 *
 * <p>The only state is the first D of "D D": a D arms it, a second D deletes, any other key disarms it. Not
 * thread-safe; the UI thread owns it.
 */
public final class KeyboardModel {
    /**
     * A keyboard shortcut as the cheat sheet (H) lists it.
     *
     * @param mode   where it works: "Command", "Edit" or "Both"
     * @param keys   the keys, as written on the sheet
     * @param action what it does
     */
    public record Shortcut(String mode, String keys, String action) {
    }

    private static final List<Shortcut> SHORTCUTS = List.of(
            new Shortcut("Both", "Shift+Enter", "run the selected cells, select the next"),
            new Shortcut("Both", "Ctrl+Enter", "run the selected cells"),
            new Shortcut("Both", "Alt+Enter", "run the selected cells, insert a cell below"),
            new Shortcut("Both", "Ctrl+S", "save"),
            new Shortcut("Edit", "Esc", "command mode"),
            new Shortcut("Edit", "Tab / Shift+Tab", "complete / inspect (from the kernel)"),
            new Shortcut("Command", "Enter", "edit the cell"),
            new Shortcut("Command", "Up / K, Down / J", "select the cell above / below"),
            new Shortcut("Command", "Shift+Up / Shift+K, Shift+Down / Shift+J", "extend the selection"),
            new Shortcut("Command", "Shift+click", "extend the selection to a cell"),
            new Shortcut("Command", "Ctrl+A", "select every cell"),
            new Shortcut("Command", "A / B", "insert a cell above / below"),
            new Shortcut("Command", "D D", "delete the selected cells"),
            new Shortcut("Command", "Z", "bring back the cells deleted last"),
            new Shortcut("Command", "C / X / V", "copy / cut / paste cells below"),
            new Shortcut("Command", "Y / M / R", "code / markdown / raw cell"),
            new Shortcut("Command", "drag a cell by its left margin", "move it"),
            new Shortcut("Command", "H", "these shortcuts"),
            new Shortcut("Both", "Ctrl+Shift+L", "light / dark theme"),
            new Shortcut("Both", "Ctrl+plus / Ctrl+minus / Ctrl+0", "larger / smaller / default text"));

    private boolean deleteArmed;

    /**
     * The shortcuts, for the cheat sheet (H).
     *
     * @return the shortcuts, in the sheet's order
     */
    public static List<Shortcut> shortcuts() {
        return SHORTCUTS;
    }

    /**
     * Interprets a key stroke.
     *
     * @param mode   the notebook's mode
     * @param stroke the key stroke
     * @return the command, or empty when the key is not a notebook shortcut in this mode
     */
    public Optional<NotebookCommand> press(Mode mode, KeyStroke stroke) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(stroke, "stroke");
        boolean armed = deleteArmed;
        deleteArmed = false;
        Optional<NotebookCommand> anywhere = inBothModes(stroke);
        if (anywhere.isPresent()) {
            return anywhere;
        }
        return switch (mode) {
            case EDIT -> stroke.key() == Key.ESCAPE && stroke.noModifiers()
                    ? Optional.of(NotebookCommand.LEAVE_EDIT) : Optional.empty();
            case COMMAND -> stroke.noModifiers() ? command(stroke.key(), armed) : withModifiers(stroke);
        };
    }

    /**
     * Whether a first D was pressed and a second one would delete.
     *
     * @return true between the two D's
     */
    public boolean deleteArmed() {
        return deleteArmed;
    }

    private static Optional<NotebookCommand> inBothModes(KeyStroke stroke) {
        if (stroke.key() == Key.ENTER) {
            if (stroke.shift() && !stroke.ctrl() && !stroke.alt()) {
                return Optional.of(NotebookCommand.RUN_AND_ADVANCE);
            }
            if (stroke.ctrl() && !stroke.shift() && !stroke.alt()) {
                return Optional.of(NotebookCommand.RUN);
            }
            if (stroke.alt() && !stroke.shift() && !stroke.ctrl()) {
                return Optional.of(NotebookCommand.RUN_AND_INSERT_BELOW);
            }
        }
        if (stroke.key() == Key.S && stroke.ctrl() && !stroke.shift() && !stroke.alt()) {
            return Optional.of(NotebookCommand.SAVE);
        }
        return Optional.empty();
    }

    /** Command mode with modifiers: Shift+Up/Down (or K/J) extend the selection, Ctrl+A selects every cell. */
    private static Optional<NotebookCommand> withModifiers(KeyStroke stroke) {
        if (stroke.shift() && !stroke.ctrl() && !stroke.alt()) {
            return switch (stroke.key()) {
                case UP, K -> Optional.of(NotebookCommand.EXTEND_SELECTION_UP);
                case DOWN, J -> Optional.of(NotebookCommand.EXTEND_SELECTION_DOWN);
                default -> Optional.empty();
            };
        }
        if (stroke.ctrl() && !stroke.shift() && !stroke.alt() && stroke.key() == Key.A) {
            return Optional.of(NotebookCommand.SELECT_ALL);
        }
        return Optional.empty();
    }

    private Optional<NotebookCommand> command(Key key, boolean armed) {
        NotebookCommand command = switch (key) {
            case ENTER -> NotebookCommand.EDIT;
            case A -> NotebookCommand.INSERT_ABOVE;
            case B -> NotebookCommand.INSERT_BELOW;
            case D -> {
                if (armed) {
                    yield NotebookCommand.DELETE;
                }
                deleteArmed = true;
                yield null;
            }
            case M -> NotebookCommand.TO_MARKDOWN;
            case Y -> NotebookCommand.TO_CODE;
            case R -> NotebookCommand.TO_RAW;
            case C -> NotebookCommand.COPY;
            case X -> NotebookCommand.CUT;
            case V -> NotebookCommand.PASTE_BELOW;
            case Z -> NotebookCommand.UNDO_DELETE;
            case H -> NotebookCommand.SHOW_SHORTCUTS;
            case UP, K -> NotebookCommand.SELECT_PREVIOUS;
            case DOWN, J -> NotebookCommand.SELECT_NEXT;
            case ESCAPE, S, OTHER -> null;
        };
        return Optional.ofNullable(command);
    }
}
