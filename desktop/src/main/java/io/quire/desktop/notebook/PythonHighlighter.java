package io.quire.desktop.notebook;

import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fxmisc.richtext.model.StyleSpans;
import org.fxmisc.richtext.model.StyleSpansBuilder;

/**
 * Python syntax highlighting by regular expression: keywords, built-ins, strings (also triple-quoted and prefixed),
 * comments, numbers and decorators become the style classes {@code keyword}, {@code builtin}, {@code string},
 * {@code comment}, {@code number}, {@code decorator}. Good enough for reading; no parsing. Pure and thread-safe.
 */
public final class PythonHighlighter {
    private static final String[] KEYWORDS = {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
        "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "match", "case",
    };
    private static final String[] BUILTINS = {
        "print", "len", "range", "int", "float", "str", "list", "dict", "set", "tuple", "bool", "type", "isinstance",
        "enumerate", "zip", "map", "filter", "sorted", "sum", "min", "max", "abs", "open", "input", "super", "self",
    };
    private static final Pattern PATTERN = Pattern.compile(
            "(?<COMMENT>#[^\\n]*)"
            + "|(?<STRING>[rRbBuUfF]{0,2}(?:\"\"\"(?:.|\\n)*?(?:\"\"\"|$)|'''(?:.|\\n)*?(?:'''|$)"
            + "|\"(?:[^\"\\\\\\n]|\\\\.)*\"?|'(?:[^'\\\\\\n]|\\\\.)*'?))"
            + "|(?<DECORATOR>^\\s*@[\\w.]+)"
            + "|(?<KEYWORD>\\b(?:" + String.join("|", KEYWORDS) + ")\\b)"
            + "|(?<BUILTIN>\\b(?:" + String.join("|", BUILTINS) + ")\\b)"
            + "|(?<NUMBER>\\b(?:0[xX][0-9a-fA-F_]+|\\d[\\d_]*(?:\\.\\d*)?(?:[eE][+-]?\\d+)?j?)\\b)",
            Pattern.MULTILINE);

    private PythonHighlighter() {
    }

    /**
     * The style spans of Python source.
     *
     * @param code the source
     * @return spans covering the whole text
     */
    public static StyleSpans<Collection<String>> highlight(String code) {
        Matcher matcher = PATTERN.matcher(code);
        StyleSpansBuilder<Collection<String>> spans = new StyleSpansBuilder<>();
        int last = 0;
        while (matcher.find()) {
            String style = matcher.group("COMMENT") != null ? "comment"
                    : matcher.group("STRING") != null ? "string"
                    : matcher.group("DECORATOR") != null ? "decorator"
                    : matcher.group("KEYWORD") != null ? "keyword"
                    : matcher.group("BUILTIN") != null ? "builtin"
                    : "number";
            spans.add(List.of(), matcher.start() - last);
            spans.add(List.of(style), matcher.end() - matcher.start());
            last = matcher.end();
        }
        spans.add(List.of(), code.length() - last);
        return spans.create();
    }
}
