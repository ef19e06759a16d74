package io.quire.desktop.notebook;

import java.util.Objects;

/**
 * One key press with its modifiers, independent of any UI toolkit.
 *
 * @param key   the key
 * @param shift whether Shift was held
 * @param ctrl  whether Ctrl (or Cmd on macOS: the shortcut key) was held
 * @param alt   whether Alt (Option) was held
 */
public record KeyStroke(Key key, boolean shift, boolean ctrl, boolean alt) {
    /** Validates the fields. */
    public KeyStroke {
        Objects.requireNonNull(key, "key");
    }

    /**
     * A key without modifiers.
     *
     * @param key the key
     * @return the stroke
     */
    public static KeyStroke plain(Key key) {
        return new KeyStroke(key, false, false, false);
    }

    /**
     * Shift + a key.
     *
     * @param key the key
     * @return the stroke
     */
    public static KeyStroke shift(Key key) {
        return new KeyStroke(key, true, false, false);
    }

    /**
     * Ctrl (the shortcut key) + a key.
     *
     * @param key the key
     * @return the stroke
     */
    public static KeyStroke ctrl(Key key) {
        return new KeyStroke(key, false, true, false);
    }

    /**
     * Alt + a key.
     *
     * @param key the key
     * @return the stroke
     */
    public static KeyStroke alt(Key key) {
        return new KeyStroke(key, false, false, true);
    }

    boolean noModifiers() {
        return !shift && !ctrl && !alt;
    }
}
