package io.quire.desktop;

import io.quire.desktop.instance.SingleInstance;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import javafx.application.Application;

/**
 * Starts the desktop app. A plain main class (not the {@link javafx.application.Application}) so the app also runs
 * with JavaFX on the class path.
 *
 * <p>Arguments: see {@link LaunchOptions#parse(java.util.List)}. Unless {@code --new-instance} (or
 * {@code --exit-after-first-screen}) is given, a launch while the app already runs for this user hands its notebook to
 * the running app and returns at once ({@link SingleInstance}).
 */
public final class Main {
    private Main() {
    }

    /**
     * Launches the app; exits with status 1 when a launch can neither start nor hand off its notebook.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        // Standalone start (not through the quire launcher, which brings its own logback.xml): the desktop's logging.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "io/quire/desktop/logback-desktop.xml");
        }
        int status;
        try {
            status = run(LaunchOptions.parse(Arrays.asList(args)));
        } catch (IllegalArgumentException e) {
            System.err.println("quire-desktop: " + e.getMessage());
            status = 2;
        }
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the app until its last window closes, or hands the notebook to the instance already running.
     *
     * @param options the options
     * @return 0 when the app ran or the running instance took the request, 1 when another instance holds the lock
     *         but did not take the request or when the app's embedded server could not start
     */
    public static int run(LaunchOptions options) {
        Optional<SingleInstance> primary = Optional.empty();
        if (!options.newInstance()) {
            SingleInstance.Claim claim;
            try {
                claim = SingleInstance.claim(SingleInstance.defaultFolder());
            } catch (SingleInstance.InstanceException e) {
                System.err.println("quire-desktop: running without single-instance support: " + e.getMessage());
                claim = null;
            }
            if (claim instanceof SingleInstance.Running running) {
                try {
                    SingleInstance.handOff(running.folder(), new SingleInstance.Request(options.notebook()),
                            Duration.ofSeconds(10));
                } catch (SingleInstance.InstanceException e) {
                    System.err.println("quire-desktop: Quire is already running but did not take the request: "
                            + e.getMessage() + " (--new-instance starts a separate app)");
                    return 1;
                }
                System.err.println("quire-desktop: " + options.notebook().map(path -> "opened " + path + " in")
                        .orElse("brought forward") + " the running Quire");
                return 0;
            }
            if (claim instanceof SingleInstance.Primary(SingleInstance instance)) {
                primary = Optional.of(instance);
            }
        }
        DesktopApp.useInstance(primary);
        try {
            Application.launch(DesktopApp.class, options.toArguments().toArray(String[]::new));
        } finally {
            primary.ifPresent(SingleInstance::close);
        }
        return DesktopApp.serverFailed() ? 1 : 0;
    }
}
