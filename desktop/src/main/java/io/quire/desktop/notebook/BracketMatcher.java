package io.quire.desktop.notebook;

import java.util.Optional;

/**
 * Finds the bracket that matches the one at the caret, as editors highlight it: the bracket just before the caret,
 * else the one just after it; {@code ()}, {@code []} and {@code {}}, nested, skipping brackets inside string literals
 * and {@code #} comments of the line they are on (Python's; a rough rule for other languages).
 */
final class BracketMatcher {
    private static final String OPENING = "([{";
    private static final String CLOSING = ")]}";

    private BracketMatcher() {
    }

    /**
     * A pair of matching brackets.
     *
     * @param open  the opening bracket's offset
     * @param close the closing bracket's offset
     */
    record Pair(int open, int close) {
    }

    /**
     * The pair of brackets at the caret.
     *
     * @param text  the source
     * @param caret the caret offset, 0 to the text's length
     * @return the pair, or empty when no bracket is next to the caret or it has no match
     */
    static Optional<Pair> at(String text, int caret) {
        boolean[] code = codeMask(text);
        for (int position : new int[] {caret - 1, caret}) {
            if (position < 0 || position >= text.length() || !code[position]) {
                continue;
            }
            char c = text.charAt(position);
            int open = OPENING.indexOf(c);
            int close = CLOSING.indexOf(c);
            if (open >= 0) {
                return scan(text, code, position, 1, c, CLOSING.charAt(open)).map(match -> new Pair(position, match));
            }
            if (close >= 0) {
                return scan(text, code, position, -1, c, OPENING.charAt(close)).map(match -> new Pair(match, position));
            }
        }
        return Optional.empty();
    }

    private static Optional<Integer> scan(String text, boolean[] code, int from, int step, char same, char other) {
        int depth = 0;
        for (int i = from; i >= 0 && i < text.length(); i += step) {
            if (!code[i]) {
                continue;
            }
            char c = text.charAt(i);
            if (c == same) {
                depth++;
            } else if (c == other) {
                depth--;
                if (depth == 0) {
                    return Optional.of(i);
                }
            } else if (OPENING.indexOf(c) >= 0 || CLOSING.indexOf(c) >= 0) {
                // another kind of bracket: ignored, as most editors do for a quick match
                continue;
            }
        }
        return Optional.empty();
    }

    /** Which offsets are code (not inside a string literal or a comment). */
    private static boolean[] codeMask(String text) {
        boolean[] code = new boolean[text.length()];
        char quote = 0;
        boolean comment = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (comment) {
                if (c == '\n') {
                    comment = false;
                    code[i] = true;
                }
                continue;
            }
            if (quote != 0) {
                if (c == '\\') {
                    i++; // the escaped character stays inside the string
                } else if (c == quote || c == '\n') {
                    quote = 0;
                }
                continue;
            }
            if (c == '#') {
                comment = true;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else {
                code[i] = true;
            }
        }
        return code;
    }
}
