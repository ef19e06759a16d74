package io.quire.desktop.notebook;

import java.util.List;
import java.util.Objects;

/**
 * The kernel's answer to a completion request, with positions as indexes into the cell's Java string.
 *
 * @param matches what could be inserted, in the kernel's order
 * @param start   the first character the chosen match replaces
 * @param end     the character after the last one it replaces
 */
public record Completion(List<String> matches, int start, int end) {
    /** Validates and copies the fields. */
    public Completion {
        matches = List.copyOf(matches);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad completion range " + start + ".." + end);
        }
    }

    /**
     * Applies a match to a source text.
     *
     * @param source the cell's source, as when the completion was asked for
     * @param match  one of {@link #matches()}
     * @return the new source
     * @throws IllegalArgumentException when the range lies outside the source
     */
    public String apply(String source, String match) {
        Objects.requireNonNull(match, "match");
        if (end > source.length()) {
            throw new IllegalArgumentException("the completion range " + start + ".." + end
                    + " lies outside the source of " + source.length() + " characters");
        }
        return source.substring(0, start) + match + source.substring(end);
    }
}
