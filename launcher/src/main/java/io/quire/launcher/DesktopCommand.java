package io.quire.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.quire.desktop.LaunchOptions;
import io.quire.desktop.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quire desktop} (also {@code quire} without arguments): the desktop app on an embedded server.
 */
@Command(name = "desktop",
        mixinStandardHelpOptions = true,
        versionProvider = QuireCommand.Version.class,
        description = {
            "Open the desktop app (the default when quire gets no arguments): a notebook editor on an embedded",
            "server bound to 127.0.0.1. While it runs, another 'quire' or 'quire desktop NOTEBOOK' hands its",
            "notebook to the running app and returns. Needs a graphical display."})
final class DesktopCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "NOTEBOOK", description = "The notebook to open.")
    private Path notebook;

    @Option(names = "--root", paramLabel = "DIR",
            description = "The folder the app serves (default: the notebook's folder, else your home folder).")
    private Path root;

    @Option(names = "--dark", description = "Start with the dark theme.")
    private boolean dark;

    @Option(names = "--new-instance", description = "Start a separate app even when one is running.")
    private boolean newInstance;

    @Option(names = "--exit-after-first-screen", hidden = true,
            description = "Print the start-up time and quit once the notebook's first screen is shown (benchmarks).")
    private boolean exitAfterFirstScreen;

    @Option(names = "--open-after-start", hidden = true,
            description = "Open the notebook once the app has started, as from the running app, and time that (benchmarks).")
    private boolean openAfterStart;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (notebook != null && !Files.isRegularFile(notebook)) {
            spec.commandLine().getErr().println("quire: no such notebook: " + notebook);
            return 1;
        }
        if (root != null && !Files.isDirectory(root)) {
            spec.commandLine().getErr().println("quire: no such folder: " + root);
            return 1;
        }
        Optional<String> noDisplay = missingDisplay(System.getenv(), System.getProperty("os.name", ""),
                System.getProperty("glass.platform"));
        if (noDisplay.isPresent()) {
            spec.commandLine().getErr().println("quire: " + noDisplay.get());
            return 1;
        }
        if (System.getenv("QUIRE_ACCESS_LOG_LEVEL") == null
                && LoggerFactory.getLogger("io.quire.server.access") instanceof Logger accessLog) {
            accessLog.setLevel(Level.WARN); // the embedded server's requests are the app's own
        }
        return Main.run(new LaunchOptions(Optional.ofNullable(root), dark, exitAfterFirstScreen,
                openAfterStart, newInstance || exitAfterFirstScreen, Optional.ofNullable(notebook)));
    }

    /**
     * Why the desktop cannot start here, if it cannot: on Linux without {@code DISPLAY} or {@code WAYLAND_DISPLAY}
     * (and without a headless JavaFX platform chosen by {@code -Dglass.platform}).
     *
     * @param environment   the environment variables
     * @param osName        {@code os.name}
     * @param glassPlatform {@code glass.platform}, may be null
     * @return the reason, or empty when a display is there (or cannot be checked)
     */
    static Optional<String> missingDisplay(Map<String, String> environment, String osName, String glassPlatform) {
        if (!osName.toLowerCase(java.util.Locale.ROOT).contains("linux") || glassPlatform != null) {
            return Optional.empty();
        }
        boolean display = !environment.getOrDefault("DISPLAY", "").isBlank()
                || !environment.getOrDefault("WAYLAND_DISPLAY", "").isBlank();
        return display ? Optional.empty()
                : Optional.of("the desktop app needs a graphical display and neither DISPLAY nor WAYLAND_DISPLAY is"
                        + " set; 'quire run' and 'quire server' work without one (see quire --help)");
    }
}
