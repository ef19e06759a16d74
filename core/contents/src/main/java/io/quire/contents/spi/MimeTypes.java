package io.quire.contents.spi;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Guesses a file's MIME type from its extension, for the common types of a notebook project. The values follow the
 * IANA registrations (which Python's {@code mimetypes}, used by Jupyter, also follows); an unknown extension gives no
 * guess, and the caller falls back to {@code text/plain} or {@code application/octet-stream} by content.
 */
public final class MimeTypes {
    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("txt", "text/plain"),
            Map.entry("py", "text/x-python"),
            Map.entry("md", "text/markdown"),
            Map.entry("csv", "text/csv"),
            Map.entry("tsv", "text/tab-separated-values"),
            Map.entry("html", "text/html"),
            Map.entry("htm", "text/html"),
            Map.entry("css", "text/css"),
            Map.entry("js", "text/javascript"),
            Map.entry("xml", "text/xml"),
            Map.entry("json", "application/json"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"),
            Map.entry("sh", "application/x-sh"),
            Map.entry("tex", "application/x-tex"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("webp", "image/webp"),
            Map.entry("wav", "audio/x-wav"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("mp4", "video/mp4"));

    private MimeTypes() {
    }

    /**
     * Guesses the MIME type of a file from the extension of its name.
     *
     * @param name a file name (the last path segment)
     * @return the type, or empty for no extension or an unknown one
     */
    public static Optional<String> guess(String name) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }
}
