package io.quire.desktop.output;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Splits terminal text into styled spans: SGR escape sequences ({@code ESC[...m}) set colours (the 16 standard
 * colours, the 256-colour palette, 24-bit colours) and bold/italic/underline; other escape sequences (cursor moves,
 * erase) are dropped, as JupyterLab does. Pure and thread-safe.
 */
public final class AnsiText {
    /** The 16 standard colours (JupyterLab's palette), 0xRRGGBB. */
    private static final int[] STANDARD = {
        0x3E424D, 0xE75C58, 0x00A250, 0xDDB62B, 0x208FFB, 0xD160C4, 0x60C6C8, 0xC5C1B4,
        0x282C36, 0xB22B31, 0x007427, 0xB27D12, 0x0065CA, 0xA03196, 0x258F8F, 0xA1A6B2,
    };

    private AnsiText() {
    }

    /**
     * Parses text with ANSI escape sequences.
     *
     * @param text the text
     * @return the spans, in order; adjacent text of one style is one span; no empty spans
     */
    public static List<AnsiSpan> parse(String text) {
        List<AnsiSpan> spans = new ArrayList<>();
        Style style = new Style();
        StringBuilder run = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\u001b' && i + 1 < text.length() && text.charAt(i + 1) == '[') {
                int end = i + 2;
                while (end < text.length() && !isFinal(text.charAt(end))) {
                    end++;
                }
                if (end >= text.length()) {
                    break; // an unterminated sequence at the end: dropped
                }
                if (text.charAt(end) == 'm') {
                    flush(spans, run, style);
                    style.apply(text.substring(i + 2, end));
                }
                i = end + 1;
            } else if (c == '\u001b') {
                i += 2; // a two-character escape (ESC c, ESC 7, ...): dropped
            } else {
                run.append(c);
                i++;
            }
        }
        flush(spans, run, style);
        return List.copyOf(spans);
    }

    /**
     * The text without escape sequences.
     *
     * @param text text with ANSI escape sequences
     * @return the plain text
     */
    public static String strip(String text) {
        StringBuilder plain = new StringBuilder();
        parse(text).forEach(span -> plain.append(span.text()));
        return plain.toString();
    }

    private static boolean isFinal(char c) {
        return c >= '@' && c <= '~';
    }

    private static void flush(List<AnsiSpan> spans, StringBuilder run, Style style) {
        if (run.isEmpty()) {
            return;
        }
        AnsiSpan span = style.span(run.toString());
        run.setLength(0);
        if (!spans.isEmpty()) {
            AnsiSpan last = spans.getLast();
            if (last.foreground().equals(span.foreground()) && last.background().equals(span.background())
                    && last.bold() == span.bold() && last.italic() == span.italic()
                    && last.underline() == span.underline()) {
                spans.set(spans.size() - 1, new AnsiSpan(last.text() + span.text(), span.foreground(),
                        span.background(), span.bold(), span.italic(), span.underline()));
                return;
            }
        }
        spans.add(span);
    }

    private static int palette256(int index) {
        if (index < 16) {
            return STANDARD[index];
        }
        if (index < 232) {
            int cube = index - 16;
            int r = cube / 36;
            int g = (cube / 6) % 6;
            int b = cube % 6;
            return (level(r) << 16) | (level(g) << 8) | level(b);
        }
        int gray = 8 + (index - 232) * 10;
        return (gray << 16) | (gray << 8) | gray;
    }

    private static int level(int step) {
        return step == 0 ? 0 : 55 + step * 40;
    }

    /** The SGR state while parsing. */
    private static final class Style {
        private OptionalInt foreground = OptionalInt.empty();
        private OptionalInt background = OptionalInt.empty();
        private int foregroundIndex = -1;
        private boolean bold;
        private boolean italic;
        private boolean underline;

        AnsiSpan span(String text) {
            OptionalInt fg = foreground;
            if (bold && foregroundIndex >= 0 && foregroundIndex < 8) {
                fg = OptionalInt.of(STANDARD[foregroundIndex + 8]); // bold brightens, as terminals do
            }
            return new AnsiSpan(text, fg, background, bold, italic, underline);
        }

        void apply(String parameters) {
            String[] parts = parameters.isEmpty() ? new String[] {"0"} : parameters.split("[;:]", -1);
            int[] codes = new int[parts.length];
            for (int k = 0; k < parts.length; k++) {
                codes[k] = parts[k].isEmpty() ? 0 : parse(parts[k]);
            }
            for (int k = 0; k < codes.length; k++) {
                int code = codes[k];
                if (code == 0) {
                    foreground = OptionalInt.empty();
                    background = OptionalInt.empty();
                    foregroundIndex = -1;
                    bold = false;
                    italic = false;
                    underline = false;
                } else if (code == 1) {
                    bold = true;
                } else if (code == 3) {
                    italic = true;
                } else if (code == 4) {
                    underline = true;
                } else if (code == 22) {
                    bold = false;
                } else if (code == 23) {
                    italic = false;
                } else if (code == 24) {
                    underline = false;
                } else if (code >= 30 && code <= 37) {
                    foregroundIndex = code - 30;
                    foreground = OptionalInt.of(STANDARD[code - 30]);
                } else if (code == 39) {
                    foregroundIndex = -1;
                    foreground = OptionalInt.empty();
                } else if (code >= 40 && code <= 47) {
                    background = OptionalInt.of(STANDARD[code - 40]);
                } else if (code == 49) {
                    background = OptionalInt.empty();
                } else if (code >= 90 && code <= 97) {
                    foregroundIndex = -1;
                    foreground = OptionalInt.of(STANDARD[code - 90 + 8]);
                } else if (code >= 100 && code <= 107) {
                    background = OptionalInt.of(STANDARD[code - 100 + 8]);
                } else if ((code == 38 || code == 48) && k + 1 < codes.length) {
                    OptionalInt colour = OptionalInt.empty();
                    if (codes[k + 1] == 5 && k + 2 < codes.length) {
                        colour = OptionalInt.of(palette256(Math.min(255, codes[k + 2])));
                        k += 2;
                    } else if (codes[k + 1] == 2 && k + 4 < codes.length) {
                        colour = OptionalInt.of((clamp(codes[k + 2]) << 16) | (clamp(codes[k + 3]) << 8)
                                | clamp(codes[k + 4]));
                        k += 4;
                    } else {
                        k += 1;
                    }
                    if (code == 38) {
                        foregroundIndex = -1;
                        foreground = colour;
                    } else {
                        background = colour;
                    }
                }
            }
        }

        private static int clamp(int value) {
            return Math.max(0, Math.min(255, value));
        }

        private static int parse(String digits) {
            try {
                return Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }
}
