package io.quire.desktop.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyboardModelTest {
    private final KeyboardModel keys = new KeyboardModel();

    private Optional<NotebookCommand> command(Key key) {
        return keys.press(Mode.COMMAND, KeyStroke.plain(key));
    }

    @Test
    void runShortcuts_workInBothModes() {
        for (Mode mode : Mode.values()) {
            assertThat(keys.press(mode, KeyStroke.shift(Key.ENTER))).contains(NotebookCommand.RUN_AND_ADVANCE);
            assertThat(keys.press(mode, KeyStroke.ctrl(Key.ENTER))).contains(NotebookCommand.RUN);
            assertThat(keys.press(mode, KeyStroke.alt(Key.ENTER))).contains(NotebookCommand.RUN_AND_INSERT_BELOW);
            assertThat(keys.press(mode, KeyStroke.ctrl(Key.S))).contains(NotebookCommand.SAVE);
        }
    }

    @Test
    void shiftArrowsExtendTheSelection_ctrlASelectsAll_hShowsTheShortcuts_inCommandModeOnly() {
        for (Key key : new Key[] {Key.UP, Key.K}) {
            assertThat(keys.press(Mode.COMMAND, KeyStroke.shift(key))).contains(NotebookCommand.EXTEND_SELECTION_UP);
            assertThat(keys.press(Mode.EDIT, KeyStroke.shift(key))).isEmpty();
        }
        for (Key key : new Key[] {Key.DOWN, Key.J}) {
            assertThat(keys.press(Mode.COMMAND, KeyStroke.shift(key)))
                    .contains(NotebookCommand.EXTEND_SELECTION_DOWN);
        }
        assertThat(keys.press(Mode.COMMAND, KeyStroke.ctrl(Key.A))).contains(NotebookCommand.SELECT_ALL);
        assertThat(keys.press(Mode.EDIT, KeyStroke.ctrl(Key.A))).as("selects text in the editor").isEmpty();
        assertThat(command(Key.H)).contains(NotebookCommand.SHOW_SHORTCUTS);
        assertThat(keys.press(Mode.EDIT, KeyStroke.plain(Key.H))).isEmpty();
        assertThat(keys.press(Mode.COMMAND, KeyStroke.shift(Key.A))).isEmpty();
    }

    @Test
    void enterEdits_andEscapeLeavesEditMode() {
        assertThat(command(Key.ENTER)).contains(NotebookCommand.EDIT);
        assertThat(keys.press(Mode.EDIT, KeyStroke.plain(Key.ESCAPE))).contains(NotebookCommand.LEAVE_EDIT);
        assertThat(command(Key.ESCAPE)).isEmpty();
    }

    @Test
    void letters_typeInEditMode() {
        for (Key key : new Key[] {Key.A, Key.B, Key.D, Key.M, Key.Y, Key.Z, Key.ENTER, Key.UP, Key.DOWN}) {
            assertThat(keys.press(Mode.EDIT, KeyStroke.plain(key))).as("%s", key).isEmpty();
        }
    }

    @Test
    void letters_areCellCommandsInCommandMode() {
        assertThat(command(Key.A)).contains(NotebookCommand.INSERT_ABOVE);
        assertThat(command(Key.B)).contains(NotebookCommand.INSERT_BELOW);
        assertThat(command(Key.M)).contains(NotebookCommand.TO_MARKDOWN);
        assertThat(command(Key.Y)).contains(NotebookCommand.TO_CODE);
        assertThat(command(Key.R)).contains(NotebookCommand.TO_RAW);
        assertThat(command(Key.C)).contains(NotebookCommand.COPY);
        assertThat(command(Key.X)).contains(NotebookCommand.CUT);
        assertThat(command(Key.V)).contains(NotebookCommand.PASTE_BELOW);
        assertThat(command(Key.Z)).contains(NotebookCommand.UNDO_DELETE);
        assertThat(command(Key.UP)).contains(NotebookCommand.SELECT_PREVIOUS);
        assertThat(command(Key.K)).contains(NotebookCommand.SELECT_PREVIOUS);
        assertThat(command(Key.DOWN)).contains(NotebookCommand.SELECT_NEXT);
        assertThat(command(Key.J)).contains(NotebookCommand.SELECT_NEXT);
    }

    @Test
    void deleteNeedsTwoDs() {
        assertThat(command(Key.D)).isEmpty();
        assertThat(keys.deleteArmed()).isTrue();
        assertThat(command(Key.D)).contains(NotebookCommand.DELETE);
        assertThat(keys.deleteArmed()).isFalse();
    }

    @Test
    void anotherKeyBetweenTheDs_disarmsDelete() {
        command(Key.D);
        assertThat(command(Key.OTHER)).isEmpty();
        assertThat(command(Key.D)).isEmpty();
        assertThat(command(Key.J)).contains(NotebookCommand.SELECT_NEXT);
        assertThat(command(Key.D)).isEmpty();
    }

    @Test
    void modifiedLetters_areNotCellCommands() {
        assertThat(keys.press(Mode.COMMAND, KeyStroke.ctrl(Key.B))).isEmpty();
        assertThat(keys.press(Mode.COMMAND, KeyStroke.shift(Key.M))).isEmpty();
        assertThat(keys.press(Mode.COMMAND, new KeyStroke(Key.ENTER, true, true, false))).isEmpty();
    }

    @Test
    void keyNames_mapFromToolkitNames() {
        assertThat(Key.named("ENTER")).isEqualTo(Key.ENTER);
        assertThat(Key.named("a")).isEqualTo(Key.A);
        assertThat(Key.named("F5")).isEqualTo(Key.OTHER);
    }
}
