package io.quire.desktop.home;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The OS user's config folder for the desktop app: {@code $XDG_CONFIG_HOME/quire} (else {@code $HOME/.config/quire}) on
 * Linux, {@code ~/Library/Application Support/Quire} on macOS, {@code %APPDATA%\Quire} on Windows; the system property
 * {@code quire.desktop.config} overrides it (tests, portable installs). Created with mode 0700 where POSIX allows.
 *
 * @param path the folder
 */
public record ConfigDir(Path path) {
    /** Validates the field. */
    public ConfigDir {
        Objects.requireNonNull(path, "path");
    }

    /**
     * The folder for this user and OS.
     *
     * @return the config folder (not created yet)
     */
    public static ConfigDir forUser() {
        return forUser(System.getenv(), System.getProperty("os.name", ""), Path.of(System.getProperty("user.home")),
                System.getProperty("quire.desktop.config"));
    }

    static ConfigDir forUser(Map<String, String> env, String os, Path home, String override) {
        if (override != null && !override.isBlank()) {
            return new ConfigDir(Path.of(override));
        }
        String name = os.toLowerCase(Locale.ROOT);
        if (name.contains("win") && env.containsKey("APPDATA")) {
            return new ConfigDir(Path.of(env.get("APPDATA"), "Quire"));
        }
        if (name.contains("mac")) {
            return new ConfigDir(home.resolve("Library/Application Support/Quire"));
        }
        String xdg = env.getOrDefault("XDG_CONFIG_HOME", "");
        // the XDG default is $HOME/.config: HOME wins over the password database's home (user.home)
        Path base = env.getOrDefault("HOME", "").isBlank() ? home : Path.of(env.get("HOME"));
        return new ConfigDir((xdg.isBlank() ? base.resolve(".config") : Path.of(xdg)).resolve("quire"));
    }

    /**
     * Creates the folder when missing (mode 0700 on POSIX file systems).
     *
     * @return the folder
     * @throws UncheckedIOException when it cannot be created
     */
    public Path create() {
        try {
            if (!Files.isDirectory(path)) {
                Files.createDirectories(path);
                if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
                }
            }
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the config folder " + path + ": " + e.getMessage(), e);
        }
    }
}
