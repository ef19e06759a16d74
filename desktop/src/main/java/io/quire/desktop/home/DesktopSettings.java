package io.quire.desktop.home;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * The app's settings, from {@code settings.properties} in the config folder.
 *
 * <ul>
 * <li>{@code autosave.seconds}: how often notebooks with unsaved changes are saved and every open notebook is
 * checked for changes on the server (default 120; 0 turns autosave off, the check then runs every 120 s).</li>
 * </ul>
 *
 * @param autosave how often to autosave; zero for never
 */
public record DesktopSettings(Duration autosave) {
    /** The default autosave interval. */
    public static final Duration DEFAULT_AUTOSAVE = Duration.ofMinutes(2);

    /** Validates the field. */
    public DesktopSettings {
        Objects.requireNonNull(autosave, "autosave");
        if (autosave.isNegative()) {
            throw new IllegalArgumentException("the autosave interval must not be negative, got " + autosave);
        }
    }

    /**
     * Reads the settings of a config folder; a missing file gives the defaults.
     *
     * @param config the config folder
     * @return the settings
     * @throws IllegalArgumentException naming the file and key for a bad value
     * @throws UncheckedIOException     when the file cannot be read
     */
    public static DesktopSettings read(ConfigDir config) {
        Path file = config.path().resolve("settings.properties");
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        String seconds = properties.getProperty("autosave.seconds", String.valueOf(DEFAULT_AUTOSAVE.toSeconds()))
                .strip();
        try {
            long value = Long.parseLong(seconds);
            if (value < 0) {
                throw new NumberFormatException("negative");
            }
            return new DesktopSettings(Duration.ofSeconds(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": autosave.seconds must be a whole number of seconds >= 0, got '"
                    + seconds + "'", e);
        }
    }
}
