package io.quire.store;

import java.util.Objects;

/**
 * Paths of entries in a project: {@code /}-separated segments without a leading or trailing slash, such as
 * {@code data/raw/a.csv}. The project root itself is {@code ""} and is not an entry.
 */
final class ProjectPaths {
    static final int MAX_LENGTH = 1024;

    private ProjectPaths() {
    }

    /** Checks the path of an entry (not the root). */
    static String entry(String path) {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty()) {
            throw new StoreBadRequestException("the project root is not an entry; give a path such as 'a.ipynb'");
        }
        return directory(path);
    }

    /** Checks the path of a directory, the root ({@code ""}) included. */
    static String directory(String path) {
        Objects.requireNonNull(path, "path");
        String shown = path.replace("\0", "\\0");
        if (path.length() > MAX_LENGTH) {
            throw new StoreBadRequestException("path '" + shown.substring(0, 40) + "...' is longer than " + MAX_LENGTH
                    + " characters");
        }
        if (path.isEmpty()) {
            return path;
        }
        if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            throw new StoreBadRequestException("path '" + shown + "' contains a NUL character or a backslash");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new StoreBadRequestException("path '" + path + "' must be segments separated by single '/',"
                        + " without a leading or trailing '/' and without '.' or '..'");
            }
        }
        return path;
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** Whether {@code path} is {@code ancestor} or lies below it. */
    static boolean isSameOrInside(String path, String ancestor) {
        return path.equals(ancestor) || path.startsWith(ancestor + "/");
    }
}
