package io.quire.desktop;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The desktop app's command-line options.
 *
 * @param root                 the folder to serve ({@code --root}); default: the notebook's folder, else the home folder
 * @param dark                 start with the dark theme ({@code --dark})
 * @param exitAfterFirstScreen log the start-up timings and quit once the notebook's first screen is laid out
 *                             ({@code --exit-after-first-screen}, for benchmarks; implies {@code newInstance})
 * @param openAfterStart       open the notebook only once the app has started (window shown, embedded server up,
 *                             warm-up done, a second's pause), as a user opens one in the running app, and time that
 *                             open ({@code --open-after-start}, for benchmarks)
 * @param newInstance          do not hand the notebook to a running instance and do not take requests from later
 *                             launches ({@code --new-instance})
 * @param notebook             the notebook to open, absolute and normalised
 */
public record LaunchOptions(Optional<Path> root, boolean dark, boolean exitAfterFirstScreen,
                            boolean openAfterStart, boolean newInstance, Optional<Path> notebook) {

    /** Makes both paths absolute and normalised. */
    public LaunchOptions {
        root = root.map(path -> path.toAbsolutePath().normalize());
        notebook = notebook.map(path -> path.toAbsolutePath().normalize());
    }

    /**
     * Parses {@code [--root FOLDER] [--dark] [--exit-after-first-screen] [--open-after-start] [--new-instance]
     * [NOTEBOOK]}.
     *
     * @param args the arguments
     * @return the options
     * @throws IllegalArgumentException on an unknown option, a missing value or a second notebook
     */
    public static LaunchOptions parse(List<String> args) {
        Optional<Path> root = Optional.empty();
        Optional<Path> notebook = Optional.empty();
        boolean dark = false;
        boolean exit = false;
        boolean later = false;
        boolean newInstance = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--root" -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException("--root needs a folder");
                    }
                    root = Optional.of(Path.of(args.get(++i)));
                }
                case "--dark" -> dark = true;
                case "--exit-after-first-screen" -> exit = true;
                case "--open-after-start" -> later = true;
                case "--new-instance" -> newInstance = true;
                default -> {
                    if (arg.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    }
                    if (notebook.isPresent()) {
                        throw new IllegalArgumentException("one notebook at a time: " + notebook.get() + " and " + arg);
                    }
                    notebook = Optional.of(Path.of(arg));
                }
            }
        }
        return new LaunchOptions(root, dark, exit, later, newInstance || exit, notebook);
    }

    /**
     * The folder the embedded server serves.
     *
     * @return {@code --root}, else the notebook's folder, else the user's home folder
     */
    public Path folder() {
        return root.or(() -> notebook.map(Path::getParent)).orElse(Path.of(System.getProperty("user.home")));
    }

    /**
     * The options as arguments for {@link #parse(List)}.
     *
     * @return the arguments
     */
    public List<String> toArguments() {
        var args = new java.util.ArrayList<String>();
        root.ifPresent(path -> {
            args.add("--root");
            args.add(path.toString());
        });
        if (dark) {
            args.add("--dark");
        }
        if (exitAfterFirstScreen) {
            args.add("--exit-after-first-screen");
        }
        if (openAfterStart) {
            args.add("--open-after-start");
        }
        if (newInstance) {
            args.add("--new-instance");
        }
        notebook.ifPresent(path -> args.add(path.toString()));
        return List.copyOf(args);
    }
}
