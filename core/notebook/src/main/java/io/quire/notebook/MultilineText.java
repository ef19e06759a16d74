package io.quire.notebook;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A text field of a notebook ({@code source}, stream {@code text}, text MIME values) exactly as it was stored.
 *
 * <p>nbformat allows such a field to be either one string or a list of strings that are concatenated. Tools differ in
 * how they split (Jupyter splits after each newline; others do not split at all), so Quire keeps the stored form: a
 * notebook read and written back has the same split. Text created by Quire is split after each newline, as nbformat
 * writes it.
 *
 * @param parts   the stored pieces; one piece when {@code asList} is false
 * @param asList  whether the field was (and will be written as) a JSON list of strings
 */
public record MultilineText(List<String> parts, boolean asList) {

    private static final MultilineText EMPTY_LIST = new MultilineText(List.of(), true);

    /**
     * Validates and copies the parts.
     *
     * @throws IllegalArgumentException if {@code asList} is false and there is not exactly one part
     */
    public MultilineText {
        parts = List.copyOf(parts);
        if (!asList && parts.size() != 1) {
            throw new IllegalArgumentException("a single-string text must have exactly one part, got " + parts.size());
        }
    }

    /**
     * Text created from a string, split after every {@code \n} as Jupyter writes it.
     *
     * @param text the text
     * @return the text as a list of lines, each keeping its line ending
     */
    public static MultilineText of(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            return EMPTY_LIST;
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return new MultilineText(lines, true);
    }

    /**
     * Text stored as one JSON string.
     *
     * @param text the text
     * @return the text, kept as a single string
     */
    public static MultilineText single(String text) {
        return new MultilineText(List.of(text), false);
    }

    /**
     * The empty text, stored as an empty list.
     *
     * @return an empty text
     */
    public static MultilineText empty() {
        return EMPTY_LIST;
    }

    /**
     * The full text: all parts concatenated.
     *
     * @return the text
     */
    public String text() {
        return parts.size() == 1 ? parts.getFirst() : String.join("", parts);
    }

    /**
     * Whether the text is empty.
     *
     * @return true if there are no characters
     */
    public boolean isEmpty() {
        for (String part : parts) {
            if (!part.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text();
    }
}
