package io.quire.desktop.notebook;

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
    private boolean deleteArmed;

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
            case COMMAND -> stroke.noModifiers() ? command(stroke.key(), armed) : Optional.empty();
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
            case UP, K -> NotebookCommand.SELECT_PREVIOUS;
            case DOWN, J -> NotebookCommand.SELECT_NEXT;
            case ESCAPE, S, OTHER -> null;
        };
        return Optional.ofNullable(command);
    }
}
