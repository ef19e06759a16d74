package io.quire.desktop.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds TeX math in text, as JupyterLab does before rendering markdown: {@code $...$} and {@code \(...\)} inline,
 * {@code $$...$$}, {@code \[...\]} and {@code \begin{env}...\end{env}} on their own. Code spans and fenced code are
 * left alone, and {@code \$} is a literal dollar. Pure and thread-safe.
 *
 * <p>{@link #extract} replaces each formula in markdown by a placeholder ({@code @@N@@}, JupyterLab's own scheme)
 * so the markdown parser cannot mangle underscores or backslashes inside it; the renderer puts typeset math where
 * the placeholders land.
 */
public final class MathText {
    private static final Pattern PLACEHOLDER = Pattern.compile("@@(\\d+)@@");
    private static final Pattern ENVIRONMENT = Pattern.compile("(?s)\\\\begin\\{([a-zA-Z*]+)}(.*?)\\\\end\\{\\1}");
    private static final List<String> UNWRAPPED = List.of("equation", "equation*", "displaymath", "math");

    private MathText() {
    }

    /**
     * A formula found in text.
     *
     * @param tex     the TeX without its delimiters
     * @param display whether it is display math (its own block) rather than inline
     */
    public record Formula(String tex, boolean display) {
        /** Validates the fields. */
        public Formula {
            Objects.requireNonNull(tex, "tex");
        }
    }

    /**
     * Markdown with its math replaced by placeholders.
     *
     * @param text     the markdown, each formula replaced by {@code @@N@@}
     * @param formulas the formulas, N indexing this list
     */
    public record Extracted(String text, List<Formula> formulas) {
        /** Copies the formulas. */
        public Extracted {
            Objects.requireNonNull(text, "text");
            formulas = List.copyOf(formulas);
        }

        /**
         * Puts the formulas back as source text (with {@code $} or {@code $$} delimiters), for code blocks that the
         * extraction could not tell from text.
         *
         * @param literal text from the parsed markdown
         * @return the text with each placeholder replaced by its formula's source
         */
        public String restore(String literal) {
            StringBuilder out = new StringBuilder();
            for (Object part : split(literal)) {
                if (part instanceof Formula formula) {
                    String delimiter = formula.display() ? "$$" : "$";
                    out.append(delimiter).append(formula.tex()).append(delimiter);
                } else {
                    out.append(part);
                }
            }
            return out.toString();
        }

        /**
         * Splits text that may hold placeholders into literal text and formulas.
         *
         * @param literal text from the parsed markdown
         * @return literal strings and {@link Formula}s, in order; a placeholder with an unknown number stays text
         */
        public List<Object> split(String literal) {
            List<Object> parts = new ArrayList<>();
            Matcher matcher = PLACEHOLDER.matcher(literal);
            int last = 0;
            while (matcher.find()) {
                int index = Integer.parseInt(matcher.group(1));
                if (index >= formulas.size()) {
                    continue;
                }
                if (matcher.start() > last) {
                    parts.add(literal.substring(last, matcher.start()));
                }
                parts.add(formulas.get(index));
                last = matcher.end();
            }
            if (last < literal.length()) {
                parts.add(literal.substring(last));
            }
            return parts;
        }
    }

    /**
     * Replaces the math in markdown by placeholders.
     *
     * @param markdown the markdown
     * @return the markdown with placeholders and the formulas
     */
    public static Extracted extract(String markdown) {
        List<Formula> formulas = new ArrayList<>();
        StringBuilder out = new StringBuilder(markdown.length());
        int i = 0;
        int n = markdown.length();
        boolean lineStart = true;
        while (i < n) {
            char c = markdown.charAt(i);
            if (lineStart && (markdown.startsWith("```", i) || markdown.startsWith("~~~", i))) {
                String fence = markdown.substring(i, i + 3);
                int close = markdown.indexOf("\n" + fence, i + 3);
                int end = close < 0 ? n : Math.min(n, lineEnd(markdown, close + 1));
                out.append(markdown, i, end);
                i = end;
                continue;
            }
            lineStart = c == '\n';
            if (c == '`') {
                int ticks = run(markdown, i, '`');
                int close = markdown.indexOf("`".repeat(ticks), i + ticks);
                int end = close < 0 ? i + ticks : close + ticks;
                out.append(markdown, i, end);
                i = end;
                continue;
            }
            if (c == '\\' && i + 1 < n) {
                char next = markdown.charAt(i + 1);
                if (next == '(' || next == '[') {
                    String closing = next == '(' ? "\\)" : "\\]";
                    int close = markdown.indexOf(closing, i + 2);
                    if (close > 0) {
                        i = placeholder(out, formulas, markdown.substring(i + 2, close), next == '[', close + 2);
                        continue;
                    }
                }
                if (markdown.startsWith("\\begin{", i)) {
                    Matcher environment = ENVIRONMENT.matcher(markdown);
                    if (environment.find(i) && environment.start() == i) {
                        i = placeholder(out, formulas, unwrap(environment.group()), true, environment.end());
                        continue;
                    }
                }
                out.append(c).append(next);
                i += 2;
                continue;
            }
            if (c == '$') {
                boolean display = i + 1 < n && markdown.charAt(i + 1) == '$';
                String delimiter = display ? "$$" : "$";
                int close = closingDollar(markdown, i + delimiter.length(), delimiter);
                if (close > i + delimiter.length()) {
                    String tex = markdown.substring(i + delimiter.length(), close);
                    if (display || (!Character.isWhitespace(tex.charAt(0)) && tex.indexOf("\n\n") < 0)) {
                        i = placeholder(out, formulas, tex, display, close + delimiter.length());
                        continue;
                    }
                }
            }
            out.append(c);
            i++;
        }
        return new Extracted(out.toString(), formulas);
    }

    /**
     * The formulas of a {@code text/latex} output: the whole text when it has no delimiters, else each delimited
     * formula ({@code $$...$$}, {@code $...$}, {@code \[...\]}, {@code \(...\)}, environments, with
     * {@code equation} environments unwrapped). Text outside delimiters is dropped, as JupyterLab's MathJax
     * rendering of {@code text/latex} shows only typeset math for outputs such as SymPy's.
     *
     * @param latex the output text
     * @return the formulas' TeX; empty for blank text
     */
    public static List<String> formulas(String latex) {
        String trimmed = latex.strip();
        if (trimmed.isEmpty()) {
            return List.of();
        }
        Extracted extracted = extract(trimmed);
        if (extracted.formulas().isEmpty()) {
            return List.of(unwrap(trimmed));
        }
        return extracted.formulas().stream().map(Formula::tex).toList();
    }

    private static String unwrap(String tex) {
        Matcher environment = ENVIRONMENT.matcher(tex.strip());
        if (environment.matches() && UNWRAPPED.contains(environment.group(1))) {
            return environment.group(2).strip();
        }
        return tex;
    }

    private static int placeholder(StringBuilder out, List<Formula> formulas, String tex, boolean display,
            int next) {
        out.append("@@").append(formulas.size()).append("@@");
        formulas.add(new Formula(tex.strip(), display));
        return next;
    }

    private static int closingDollar(String text, int from, String delimiter) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (text.startsWith(delimiter, i)) {
                return i;
            }
            if (delimiter.length() == 1 && c == '\n' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                return -1;
            }
            i++;
        }
        return -1;
    }

    private static int run(String text, int from, char c) {
        int end = from;
        while (end < text.length() && text.charAt(end) == c) {
            end++;
        }
        return end - from;
    }

    private static int lineEnd(String text, int from) {
        int newline = text.indexOf('\n', from);
        return newline < 0 ? text.length() : newline + 1;
    }
}
