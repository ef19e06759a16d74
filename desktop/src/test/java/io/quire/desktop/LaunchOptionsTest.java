package io.quire.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    @Test
    void parse_readsEveryOptionAndTheNotebook() {
        LaunchOptions options = LaunchOptions.parse(List.of("--root", "/data", "--dark", "--new-instance",
                "/data/a/../b.ipynb"));
        assertThat(options.root()).contains(Path.of("/data"));
        assertThat(options.dark()).isTrue();
        assertThat(options.newInstance()).isTrue();
        assertThat(options.exitAfterFirstScreen()).isFalse();
        assertThat(options.openAfterStart()).isFalse();
        assertThat(options.notebook()).contains(Path.of("/data/b.ipynb"));
    }

    @Test
    void exitAfterFirstScreen_impliesANewInstance() {
        LaunchOptions options = LaunchOptions.parse(List.of("--exit-after-first-screen", "/x/a.ipynb"));
        assertThat(options.newInstance()).as("a benchmark never hands off to a running app").isTrue();
    }

    @Test
    void folder_isTheRootElseTheNotebooksFolderElseHome() {
        assertThat(LaunchOptions.parse(List.of("--root", "/r", "/x/a.ipynb")).folder()).isEqualTo(Path.of("/r"));
        assertThat(LaunchOptions.parse(List.of("/x/a.ipynb")).folder()).isEqualTo(Path.of("/x"));
        assertThat(LaunchOptions.parse(List.of()).folder()).isEqualTo(Path.of(System.getProperty("user.home")));
    }

    @Test
    void toArguments_parsesBackToTheSameOptions() {
        LaunchOptions options = new LaunchOptions(Optional.of(Path.of("/r")), true, true, true, true,
                Optional.of(Path.of("/r/n.ipynb")));
        assertThat(LaunchOptions.parse(options.toArguments())).isEqualTo(options);
    }

    @Test
    void parse_rejectsUnknownOptionsMissingValuesAndTwoNotebooks() {
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--bright")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown option --bright");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--root")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--root needs a folder");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("/a.ipynb", "/b.ipynb")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one notebook at a time");
    }
}
