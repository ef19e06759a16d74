package io.quire.desktop.notebook;

import java.util.Locale;

/** The keys the notebook's keyboard model knows; every other key is {@link #OTHER}. */
public enum Key {
    /** Enter / Return. */
    ENTER,
    /** Escape. */
    ESCAPE,
    /** Arrow up. */
    UP,
    /** Arrow down. */
    DOWN,
    /** Letter A. */
    A,
    /** Letter B. */
    B,
    /** Letter C. */
    C,
    /** Letter D. */
    D,
    /** Letter H (the keyboard shortcuts). */
    H,
    /** Letter J (down, as in Jupyter). */
    J,
    /** Letter K (up, as in Jupyter). */
    K,
    /** Letter M. */
    M,
    /** Letter R. */
    R,
    /** Letter S. */
    S,
    /** Letter V. */
    V,
    /** Letter X. */
    X,
    /** Letter Y. */
    Y,
    /** Letter Z. */
    Z,
    /** Any other key. */
    OTHER;

    /**
     * The key for a key name such as JavaFX's {@code KeyCode.name()} ({@code "ENTER"}, {@code "A"}).
     *
     * @param name a key name, any case
     * @return the key, {@link #OTHER} for a name not listed here
     */
    public static Key named(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (Key key : values()) {
            if (key.name().equals(upper)) {
                return key;
            }
        }
        return OTHER;
    }
}
