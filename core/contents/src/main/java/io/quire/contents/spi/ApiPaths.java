package io.quire.contents.spi;

import io.quire.contents.ContentsForbiddenException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks and normalises API paths ({@code ""} for the root, {@code /}-separated, no leading slash).
 *
 * <p>Normalising drops empty and {@code .} segments and a trailing slash, and resolves {@code ..} against the
 * segments before it. A path is refused with {@link ContentsForbiddenException} if it is absolute (a leading
 * {@code /} or a drive letter), contains a NUL byte or a backslash (a separator on Windows), or if a {@code ..}
 * would climb above the root. Symbolic links are the storage's business: see the filesystem backend.
 */
public final class ApiPaths {

    private ApiPaths() {
    }

    /**
     * Checks and normalises an API path.
     *
     * @param path the path as given by the caller
     * @return the normalised path, such as {@code "a/b.ipynb"} or {@code ""}
     * @throws ContentsForbiddenException if the path is absolute, contains NUL or a backslash, or escapes the root
     */
    public static String normalize(String path) {
        Objects.requireNonNull(path, "path");
        String shown = path.replace("\0", "\\0");
        if (path.indexOf('\0') >= 0) {
            throw new ContentsForbiddenException(shown, "path '" + shown + "' contains a NUL character");
        }
        if (path.indexOf('\\') >= 0) {
            throw new ContentsForbiddenException(path, "path '" + path + "' contains a backslash");
        }
        if (path.startsWith("/")) {
            throw new ContentsForbiddenException(path, "path '" + path + "' is absolute; API paths are relative to"
                    + " the contents root");
        }
        if (path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
            throw new ContentsForbiddenException(path, "path '" + path + "' starts with a drive letter");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            switch (segment) {
                case "", "." -> {
                }
                case ".." -> {
                    if (segments.isEmpty()) {
                        throw new ContentsForbiddenException(path, "path '" + path
                                + "' is outside the contents root");
                    }
                    segments.removeLast();
                }
                default -> segments.add(segment);
            }
        }
        return String.join("/", segments);
    }

    /**
     * Whether a normalised path names a hidden entry or something inside one: a segment starts with {@code .}.
     *
     * @param normalized a path returned by {@link #normalize(String)}
     * @return true if any segment is hidden
     */
    public static boolean isHidden(String normalized) {
        for (String segment : segments(normalized)) {
            if (segment.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The segments of a normalised path.
     *
     * @param normalized a path returned by {@link #normalize(String)}
     * @return the segments; empty for the root
     */
    public static List<String> segments(String normalized) {
        return normalized.isEmpty() ? List.of() : List.of(normalized.split("/"));
    }

    /**
     * The last segment of a normalised path.
     *
     * @param normalized a path returned by {@link #normalize(String)}
     * @return the name, {@code ""} for the root
     */
    public static String name(String normalized) {
        return normalized.substring(normalized.lastIndexOf('/') + 1);
    }

    /**
     * The parent of a normalised path.
     *
     * @param normalized a path returned by {@link #normalize(String)}
     * @return the parent path, {@code ""} for a top-level entry and for the root itself
     */
    public static String parent(String normalized) {
        int slash = normalized.lastIndexOf('/');
        return slash < 0 ? "" : normalized.substring(0, slash);
    }

    /**
     * Joins a directory path and a name.
     *
     * @param directory a normalised directory path ({@code ""} for the root)
     * @param name      a single segment
     * @return {@code directory/name}, or {@code name} at the root
     */
    public static String join(String directory, String name) {
        return directory.isEmpty() ? name : directory + "/" + name;
    }

    /**
     * Whether one normalised path is the other or lies inside it.
     *
     * @param path     the path to test
     * @param ancestor the possible ancestor
     * @return true if {@code path} equals {@code ancestor} or starts with {@code ancestor/}; always true for the root
     */
    public static boolean isSameOrInside(String path, String ancestor) {
        return ancestor.isEmpty() || path.equals(ancestor) || path.startsWith(ancestor + "/");
    }
}
