package io.quire.desktop.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config folder, the settings and the recent-notebooks list. */
class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void theConfigFolder_followsTheOs() {
        Path home = Path.of("/home/ada");
        assertThat(ConfigDir.forUser(Map.of(), "Linux", home, null).path()).isEqualTo(Path.of("/home/ada/.config/quire"));
        assertThat(ConfigDir.forUser(Map.of("XDG_CONFIG_HOME", "/cfg"), "Linux", home, null).path())
                .isEqualTo(Path.of("/cfg/quire"));
        assertThat(ConfigDir.forUser(Map.of("HOME", "/tmp/h"), "Linux", home, null).path())
                .isEqualTo(Path.of("/tmp/h/.config/quire"));
        assertThat(ConfigDir.forUser(Map.of(), "Mac OS X", home, null).path())
                .isEqualTo(Path.of("/home/ada/Library/Application Support/Quire"));
        assertThat(ConfigDir.forUser(Map.of(), "Linux", home, "/elsewhere").path()).isEqualTo(Path.of("/elsewhere"));
    }

    @Test
    void settings_defaultToTwoMinutes_andRejectBadValues() throws Exception {
        ConfigDir config = new ConfigDir(dir);
        assertThat(DesktopSettings.read(config).autosave()).isEqualTo(Duration.ofMinutes(2));
        Files.writeString(dir.resolve("settings.properties"), "autosave.seconds = 30\n");
        assertThat(DesktopSettings.read(config).autosave()).isEqualTo(Duration.ofSeconds(30));
        Files.writeString(dir.resolve("settings.properties"), "autosave.seconds = soon\n");
        assertThatThrownBy(() -> DesktopSettings.read(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("autosave.seconds").hasMessageContaining("soon");
    }

    @Test
    void recentNotebooks_areNewestFirst_withoutDuplicates_andSurviveARestart() throws Exception {
        ConfigDir config = new ConfigDir(dir);
        RecentNotebooks recent = new RecentNotebooks(config);
        recent.add(new RecentNotebook(Optional.empty(), "/n/a.ipynb", Instant.parse("2026-01-01T00:00:00Z")));
        recent.add(new RecentNotebook(Optional.of("https://q.example/"), "b.ipynb",
                Instant.parse("2026-01-02T00:00:00Z")));
        recent.add(new RecentNotebook(Optional.empty(), "/n/a.ipynb", Instant.parse("2026-01-03T00:00:00Z")));

        assertThat(new RecentNotebooks(config).read()).extracting(RecentNotebook::path)
                .containsExactly("/n/a.ipynb", "b.ipynb");
        for (int i = 0; i < 30; i++) {
            recent.add(new RecentNotebook(Optional.empty(), "/n/" + i + ".ipynb", Instant.EPOCH));
        }
        assertThat(recent.read()).hasSize(RecentNotebooks.LIMIT).first()
                .extracting(RecentNotebook::path).isEqualTo("/n/29.ipynb");

        Files.writeString(dir.resolve("recent.json"), "{not json");
        assertThat(recent.read()).isEmpty();
    }
}
