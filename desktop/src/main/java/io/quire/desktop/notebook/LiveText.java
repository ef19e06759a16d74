package io.quire.desktop.notebook;

import io.quire.collab.TextOperation;

/**
 * Text operations for a live cell: a local edit (the editor hands the whole new text) as an insert/delete operation,
 * and a caret carried through someone else's operation. Pure functions, UTF-16 indexes as in Java strings and the
 * real-time channel.
 */
final class LiveText {
    private LiveText() {
    }

    /**
     * The smallest operation from one text to another: the common prefix and suffix kept, the middle deleted and
     * inserted (never splitting a surrogate pair). A keystroke or a paste becomes one insert, a backspace one delete.
     *
     * @param before the text before
     * @param after  the text after
     * @return the operation over {@code before}
     */
    static TextOperation diff(String before, String after) {
        int max = Math.min(before.length(), after.length());
        int prefix = 0;
        while (prefix < max && before.charAt(prefix) == after.charAt(prefix)) {
            prefix++;
        }
        if (prefix > 0 && Character.isHighSurrogate(before.charAt(prefix - 1))) {
            prefix--;
        }
        int suffix = 0;
        while (suffix < max - prefix && before.charAt(before.length() - 1 - suffix)
                == after.charAt(after.length() - 1 - suffix)) {
            suffix++;
        }
        if (suffix > 0 && Character.isLowSurrogate(before.charAt(before.length() - suffix))) {
            suffix--;
        }
        TextOperation.Builder op = TextOperation.builder();
        if (prefix > 0) {
            op.retain(prefix);
        }
        String inserted = after.substring(prefix, after.length() - suffix);
        if (!inserted.isEmpty()) {
            op.insert(inserted);
        }
        int deleted = before.length() - prefix - suffix;
        if (deleted > 0) {
            op.delete(deleted);
        }
        if (suffix > 0) {
            op.retain(suffix);
        }
        return op.build();
    }

    /**
     * Where an index of the text before an operation is after it: shifted by inserts and deletes before it, kept in
     * front of an insert exactly at it (someone typing where my caret is pushes their text after my caret, not my
     * caret), and moved to the start of a deleted range that contained it.
     *
     * @param op    the operation
     * @param index an index into the text before, 0 to its length
     * @return the index into the text after
     */
    static int transformIndex(TextOperation op, int index) {
        int pos = 0;
        int moved = 0;
        for (TextOperation.Component component : op.components()) {
            switch (component) {
                case TextOperation.Retain retain -> {
                    if (index < pos + retain.count()) {
                        return moved + index - pos;
                    }
                    pos += retain.count();
                    moved += retain.count();
                }
                case TextOperation.Insert insert -> {
                    if (pos == index) {
                        return moved;
                    }
                    moved += insert.text().length();
                }
                case TextOperation.Delete delete -> {
                    if (index < pos + delete.count()) {
                        return moved;
                    }
                    pos += delete.count();
                }
            }
        }
        return Math.min(moved + Math.max(0, index - pos), op.targetLength());
    }
}
