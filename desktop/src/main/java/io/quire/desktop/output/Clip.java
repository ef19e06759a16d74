package io.quire.desktop.output;

import java.util.Objects;

/**
 * Long output text cut to its first lines, with how much was left out ("show all" shows the rest).
 *
 * @param shown        the text shown
 * @param hiddenLines  how many lines were left out; 0 when the text is whole
 * @param hiddenChars  how many characters were left out
 */
public record Clip(String shown, int hiddenLines, int hiddenChars) {
    /** Validates the fields. */
    public Clip {
        Objects.requireNonNull(shown, "shown");
    }

    /**
     * Cuts text to at most a number of lines and characters.
     *
     * @param text     the text
     * @param maxLines the most lines to show, positive
     * @param maxChars the most characters to show, positive
     * @return the clip
     */
    public static Clip of(String text, int maxLines, int maxChars) {
        if (maxLines < 1 || maxChars < 1) {
            throw new IllegalArgumentException("limits must be positive, got " + maxLines + " lines, " + maxChars
                    + " chars");
        }
        int end = 0;
        int lines = 0;
        while (end < text.length() && lines < maxLines) {
            int newline = text.indexOf('\n', end);
            end = newline < 0 ? text.length() : newline + 1;
            lines++;
        }
        end = Math.min(end, maxChars);
        if (end >= text.length()) {
            return new Clip(text, 0, 0);
        }
        String rest = text.substring(end);
        int hiddenLines = (int) rest.chars().filter(c -> c == '\n').count() + (rest.endsWith("\n") ? 0 : 1);
        return new Clip(text.substring(0, end), hiddenLines, rest.length());
    }

    /**
     * Whether something was left out.
     *
     * @return true when the text was cut
     */
    public boolean truncated() {
        return hiddenChars > 0;
    }
}
