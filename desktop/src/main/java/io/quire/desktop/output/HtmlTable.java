package io.quire.desktop.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table read from {@code text/html} output, such as the one pandas writes for a DataFrame
 * ({@code <table class="dataframe"><thead>...</thead><tbody>...</tbody></table>}, with a {@code <style>} block and a
 * "N rows × M columns" note). Only the table's text is kept: rows of header and body cells, tags stripped, entities
 * decoded. HTML that is not a table is left to another rendering.
 *
 * @param header the header rows ({@code thead}), each a list of cell texts
 * @param body   the body rows, each a list of cell texts
 * @param note   text after the table (pandas' shape note), or empty
 */
public record HtmlTable(List<List<String>> header, List<List<String>> body, String note) {
    private static final Pattern TABLE = Pattern.compile("(?is)<table\\b[^>]*>(.*?)</table>");
    private static final Pattern THEAD = Pattern.compile("(?is)<thead\\b[^>]*>(.*?)</thead>");
    private static final Pattern ROW = Pattern.compile("(?is)<tr\\b[^>]*>(.*?)</tr>");
    private static final Pattern CELL = Pattern.compile("(?is)<(t[hd])\\b[^>]*>(.*?)</\\1>");
    private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");
    private static final Pattern STYLE = Pattern.compile("(?is)<(style|script)\\b[^>]*>.*?</\\1>");
    private static final Pattern ANY_TAG = Pattern.compile("(?s)<\\s*/?\\s*([a-zA-Z][a-zA-Z0-9]*)([^>]*)>");
    private static final java.util.Set<String> PLAIN_TAGS = java.util.Set.of("div", "table", "thead", "tbody",
            "tfoot", "tr", "th", "td", "style", "p", "br");
    private static final Pattern TEXT_ALIGN = Pattern.compile("style=\"\\s*text-align:\\s*[a-z]+;?\\s*\"");
    private static final Pattern ENTITY = Pattern.compile("&(#\\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);");

    /** Copies the rows. */
    public HtmlTable {
        header = header.stream().map(List::copyOf).toList();
        body = body.stream().map(List::copyOf).toList();
        Objects.requireNonNull(note, "note");
    }

    /**
     * Reads the first table of an HTML fragment.
     *
     * @param html the HTML
     * @return the table, or empty when the fragment has no table with rows
     */
    public static Optional<HtmlTable> parse(String html) {
        Matcher table = TABLE.matcher(html);
        if (!table.find()) {
            return Optional.empty();
        }
        String inner = table.group(1);
        List<List<String>> header = new ArrayList<>();
        Matcher thead = THEAD.matcher(inner);
        String rest = inner;
        if (thead.find()) {
            header = rows(thead.group(1));
            rest = inner.substring(0, thead.start()) + inner.substring(thead.end());
        }
        List<List<String>> body = rows(rest);
        if (header.isEmpty() && body.isEmpty()) {
            return Optional.empty();
        }
        String note = text(html.substring(table.end())).strip();
        return Optional.of(new HtmlTable(header, body, note));
    }

    /**
     * Whether an HTML fragment is a plain table that a grid shows as well as a browser would: one table, only table,
     * {@code div}, {@code p} and {@code br} tags, no cell spans, no inline styles but {@code text-align}, and at
     * most pandas' default {@code <style scoped>} block. A pandas {@code Styler}, a MultiIndex frame or any other HTML is not.
     *
     * @param html the HTML
     * @return true for a plain table
     */
    public static boolean isPlainTable(String html) {
        Matcher tag = ANY_TAG.matcher(html);
        int tables = 0;
        while (tag.find()) {
            String name = tag.group(1).toLowerCase(java.util.Locale.ROOT);
            String attributes = tag.group(2).toLowerCase(java.util.Locale.ROOT);
            boolean closing = tag.group().replace(" ", "").startsWith("</");
            String styles = TEXT_ALIGN.matcher(attributes).replaceAll("");
            if (!PLAIN_TAGS.contains(name) || styles.contains("style=") || attributes.contains("span=")) {
                return false;
            }
            if (name.equals("style") && !closing && !attributes.contains("scoped")) {
                return false;
            }
            if (name.equals("table") && !closing) {
                tables++;
            }
        }
        return tables == 1;
    }

    /**
     * The visible text of an HTML fragment: style and script blocks dropped, tags removed, entities decoded,
     * whitespace runs collapsed.
     *
     * @param html the HTML
     * @return the text
     */
    public static String text(String html) {
        String withoutBlocks = STYLE.matcher(html).replaceAll("");
        String withBreaks = withoutBlocks.replaceAll("(?i)<br\\s*/?>|</p>|</div>|</tr>|</h\\d>|</li>", "\n");
        String plain = decode(TAG.matcher(withBreaks).replaceAll(""));
        return plain.replaceAll("[ \\t\\x0B\\f]+", " ").replaceAll(" ?\\n[\\s]*", "\n").strip();
    }

    private static List<List<String>> rows(String html) {
        List<List<String>> rows = new ArrayList<>();
        Matcher row = ROW.matcher(html);
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell = CELL.matcher(row.group(1));
            while (cell.find()) {
                cells.add(decode(TAG.matcher(cell.group(2)).replaceAll("")).strip());
            }
            rows.add(cells);
        }
        return rows;
    }

    private static String decode(String text) {
        Matcher entity = ENTITY.matcher(text);
        StringBuilder out = new StringBuilder();
        while (entity.find()) {
            String name = entity.group(1);
            String replacement = switch (name) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                case "nbsp" -> "\u00a0";
                case "times" -> "\u00d7";
                case "hellip" -> "\u2026";
                default -> codePoint(name).orElse(entity.group());
            };
            entity.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        entity.appendTail(out);
        return out.toString();
    }

    private static Optional<String> codePoint(String name) {
        try {
            if (name.startsWith("#x")) {
                return Optional.of(Character.toString(Integer.parseInt(name.substring(2), 16)));
            }
            if (name.startsWith("#")) {
                return Optional.of(Character.toString(Integer.parseInt(name.substring(1))));
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
