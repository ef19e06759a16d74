package io.quire.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code quire} command: the entry point of the distribution.
 *
 * <p>Subcommands: {@code desktop} (the desktop app, also what {@code quire} without arguments starts), {@code run}
 * (papermill-compatible headless execution), {@code server} (the headless server) and {@code admin} (organisations and
 * API tokens of a team server's store).
 */
@Command(name = "quire",
        mixinStandardHelpOptions = true,
        versionProvider = QuireCommand.Version.class,
        description = {"Quire: a Jupyter-compatible notebook platform on the JVM.",
            "Without a command, quire opens the desktop app (quire desktop)."},
        subcommands = {DesktopCommand.class, RunCommand.class, ServerCommand.class, AdminCommand.class, CommandLine.HelpCommand.class})
public final class QuireCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Creates the command (picocli instantiates it). */
    public QuireCommand() {
    }

    /**
     * Entry point.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        // Helidon logs through java.util.logging: route it to SLF4J (Logback, configured by logback.xml)
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(commandLine().execute(withDefaultCommand(args)));
    }

    /**
     * Makes {@code quire NOTEBOOK.ipynb ...} (how desktop environments open a file with the app) mean
     * {@code quire desktop NOTEBOOK.ipynb ...}.
     *
     * @param args the command-line arguments
     * @return the arguments, with {@code desktop} in front when the first one is a notebook file
     */
    static String[] withDefaultCommand(String[] args) {
        if (args.length == 0 || args[0].startsWith("-") || !args[0].endsWith(".ipynb")) {
            return args;
        }
        String[] desktop = new String[args.length + 1];
        desktop[0] = "desktop";
        System.arraycopy(args, 0, desktop, 1, args.length);
        return desktop;
    }

    /**
     * The configured command line, for the entry point and for tests.
     *
     * @return the command line
     */
    public static CommandLine commandLine() {
        return new CommandLine(new QuireCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
                    commandLine.getErr().println("quire: " + exception.getMessage());
                    return 1;
                });
    }

    /**
     * Without a subcommand: the desktop app with its defaults.
     *
     * @return the exit status
     */
    @Override
    public Integer call() {
        return spec.subcommands().get("desktop").execute();
    }

    /** The version of this build. */
    static String version() {
        Properties properties = new Properties();
        try (InputStream in = QuireCommand.class.getResourceAsStream("/quire-version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
    }

    /** Supplies {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"quire " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
