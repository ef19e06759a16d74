package io.quire.desktop.output;

/**
 * Terminal-like processing of stream text, as JupyterLab applies it before showing a stream: a carriage return
 * moves back to the start of the line and what follows overwrites it ({@code "10%\r20%"} shows {@code 20%};
 * {@code "abcdef\rxy"} shows {@code xycdef}); {@code \r\n} is a plain line end. Pure and thread-safe.
 */
public final class StreamText {
    private StreamText() {
    }

    /**
     * Applies carriage returns.
     *
     * @param text stream text
     * @return the text as a terminal would show it
     */
    public static String applyCarriageReturns(String text) {
        if (text.indexOf('\r') < 0) {
            return text;
        }
        String normalised = text.replace("\r\n", "\n");
        StringBuilder out = new StringBuilder(normalised.length());
        int start = 0;
        while (start <= normalised.length()) {
            int newline = normalised.indexOf('\n', start);
            int end = newline < 0 ? normalised.length() : newline;
            out.append(overwrite(normalised.substring(start, end)));
            if (newline < 0) {
                break;
            }
            out.append('\n');
            start = newline + 1;
        }
        return out.toString();
    }

    private static String overwrite(String line) {
        if (line.indexOf('\r') < 0) {
            return line;
        }
        String shown = "";
        for (String segment : line.split("\r", -1)) {
            shown = segment.length() >= shown.length() ? segment : segment + shown.substring(segment.length());
        }
        return shown;
    }
}
