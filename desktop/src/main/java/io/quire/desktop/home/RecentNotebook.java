package io.quire.desktop.home;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A notebook opened before: either a local file (opened on an embedded server for its folder) or a path on a remote
 * server.
 *
 * @param server the remote server's URL, or empty for a local file
 * @param path   the local file's absolute path, or the path on the remote server
 * @param opened when it was last opened
 */
public record RecentNotebook(Optional<String> server, String path, Instant opened) {
    /** Validates the fields. */
    public RecentNotebook {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(opened, "opened");
        if (path.isBlank()) {
            throw new IllegalArgumentException("a recent notebook needs a path");
        }
    }

    /**
     * Whether two entries name the same notebook.
     *
     * @param other the other entry
     * @return true for the same server and path
     */
    public boolean sameNotebook(RecentNotebook other) {
        return server.equals(other.server) && path.equals(other.path);
    }

    /**
     * How the home screen shows it.
     *
     * @return the path, with the server for remote notebooks
     */
    public String label() {
        return server.map(url -> path + "  \u2014  " + url).orElse(path);
    }
}
