package io.quire.desktop.output;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A run of text in one ANSI style.
 *
 * @param text       the text, escape sequences removed
 * @param foreground the text colour as 0xRRGGBB, or empty for the theme's
 * @param background the background colour as 0xRRGGBB, or empty for none
 * @param bold       bold (SGR 1)
 * @param italic     italic (SGR 3)
 * @param underline  underlined (SGR 4)
 */
public record AnsiSpan(String text, OptionalInt foreground, OptionalInt background, boolean bold, boolean italic,
        boolean underline) {
    /** Validates the fields. */
    public AnsiSpan {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(foreground, "foreground");
        Objects.requireNonNull(background, "background");
    }

    /**
     * Plain text in the default style.
     *
     * @param text the text
     * @return the span
     */
    public static AnsiSpan plain(String text) {
        return new AnsiSpan(text, OptionalInt.empty(), OptionalInt.empty(), false, false, false);
    }
}
