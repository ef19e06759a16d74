package io.quire.launcher;

import io.quire.execution.NotebookRunner;
import io.quire.execution.RunException;
import io.quire.execution.RunListener;
import io.quire.execution.RunRequest;
import io.quire.execution.RunResult;
import io.quire.execution.parameters.ParameterException;
import io.quire.execution.parameters.Parameters;
import io.quire.execution.parameters.YamlParameters;
import io.quire.execution.KernelStarter;
import io.quire.notebook.Notebook;
import io.quire.notebook.NotebookFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quire run}: executes a notebook headless, papermill-compatible.
 *
 * <p>Exit codes: 0 every cell ran; 1 a cell failed or timed out, or the input could not be read; 2 bad usage; 130
 * interrupted with Ctrl-C; 138 the kernel died (as papermill).
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = QuireCommand.Version.class,
        description = {
            "Execute a notebook headless, like papermill: inject parameters, run every code cell in order on a kernel,",
            "and write the notebook with its outputs. On a failing cell the run stops, the partial notebook is written",
            "with the failing cell marked, and the exit code is non-zero."},
        footer = {
            "",
            "Exit codes: 0 success, 1 cell error / timeout / unreadable input, 2 usage, 130 Ctrl-C, 138 kernel died.",
            "Example: quire run analysis.ipynb out.ipynb -p alpha 0.5 -p label run1 -f params.yaml"})
final class RunCommand implements Callable<Integer> {
    static final int EXIT_FAILED = 1;
    static final int EXIT_INTERRUPTED = 130;
    static final int EXIT_KERNEL_DIED = 138;

    @CommandLine.Parameters(index = "0", paramLabel = "INPUT", description = "The notebook to run (.ipynb), or - for standard input.")
    private String input;

    @CommandLine.Parameters(index = "1", arity = "0..1", paramLabel = "OUTPUT",
            description = "Where to write the executed notebook, or - for standard output. "
                    + "May be left out when standard output is not a terminal (then it is -).")
    private String output;

    @Option(names = {"-p", "--parameters"}, arity = "2", paramLabel = "NAME VALUE",
            description = "A parameter; the value is typed as papermill types it (int, float, True/False, None, else text).")
    private List<String> parameters = new ArrayList<>();

    @Option(names = {"-r", "--parameters-raw", "--parameters_raw"}, arity = "2", paramLabel = "NAME VALUE",
            description = "A parameter whose value is always text.")
    private List<String> rawParameters = new ArrayList<>();

    @Option(names = {"-f", "--parameters-file", "--parameters_file"}, paramLabel = "FILE",
            description = "A YAML file of parameters (values keep their YAML types, lists and mappings included).")
    private List<Path> parameterFiles = new ArrayList<>();

    @Option(names = {"-y", "--parameters-yaml", "--parameters_yaml"}, paramLabel = "YAML",
            description = "Parameters as a YAML string.")
    private List<String> parameterYaml = new ArrayList<>();

    @Option(names = {"-k", "--kernel"}, paramLabel = "NAME",
            description = "The kernel spec to use instead of the notebook's metadata.kernelspec.name.")
    private String kernel;

    @Option(names = {"-l", "--language"}, paramLabel = "LANGUAGE",
            description = "The language to render parameters in instead of the notebook's.")
    private String language;

    @Option(names = "--cwd", paramLabel = "DIR", description = "The kernel's working directory.")
    private Path cwd;

    @Option(names = {"--timeout", "--execution-timeout"}, paramLabel = "SECONDS",
            description = "The longest one cell may run; the cell is then interrupted and the run fails.")
    private Double timeout;

    @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long the kernel may take to start (default: ${DEFAULT-VALUE}).")
    private double startTimeout;

    @Option(names = "--log-output", description = "Write the cells' output to standard error as it arrives.")
    private boolean logOutput;

    @Option(names = "--progress-bar", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Show a progress bar when standard error is a terminal (default: on).")
    private boolean progressBar;

    @Option(names = "--prepare-only", description = "Only inject the parameters and write the notebook; run nothing.")
    private boolean prepareOnly;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        boolean terminal = System.console() != null && System.console().isTerminal();
        String target = output != null ? output : terminal ? null : "-";
        if (target == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Missing OUTPUT: give a path for the executed notebook, or - to write it to standard output");
        }
        if (!target.equals("-")) {
            Path parent = Path.of(target).toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                err.println("quire run: the output folder " + parent + " does not exist");
                return EXIT_FAILED;
            }
        }
        if (cwd != null && !Files.isDirectory(cwd)) {
            err.println("quire run: --cwd " + cwd + " is not a folder");
            return EXIT_FAILED;
        }
        Notebook notebook;
        Parameters merged;
        try {
            notebook = readInput();
            merged = mergedParameters();
        } catch (NotebookFormatException e) {
            err.println("quire run: " + input + " is not a notebook Quire can read: " + e.getMessage());
            return EXIT_FAILED;
        } catch (ParameterException e) {
            err.println("quire run: " + e.getMessage());
            return EXIT_FAILED;
        } catch (UncheckedIOException e) {
            err.println("quire run: cannot read " + describe(e.getCause()));
            return EXIT_FAILED;
        }

        RunRequest request = new RunRequest(notebook, input, target, merged.asMap(), Optional.ofNullable(kernel),
                Optional.ofNullable(language), Optional.ofNullable(cwd),
                Optional.ofNullable(timeout).map(RunCommand::seconds),
                seconds(startTimeout), prepareOnly);
        NotebookRunner runner = NotebookRunner.create(kernelFactory(), QuireCommand.version());
        Progress progress = new Progress(err, terminal && progressBar && !logOutput, logOutput, target, input);
        CountDownLatch finished = new CountDownLatch(1);
        Runnable stop = () -> {
            progress.interrupted();
            runner.cancel();
        };
        Thread onShutdown = null;
        if (!InterruptSignal.install(stop, EXIT_INTERRUPTED)) {
            // No SIGINT handler on this JVM: a shutdown hook cancels the run and waits for the notebook to be written.
            onShutdown = new Thread(() -> {
                stop.run();
                try {
                    finished.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "quire-run-interrupt");
            Runtime.getRuntime().addShutdownHook(onShutdown);
        }
        try {
            RunResult result = runner.run(request, progress);
            progress.finish(result);
            return switch (result.outcome()) {
                case SUCCEEDED -> 0;
                case CELL_FAILED, TIMED_OUT -> EXIT_FAILED;
                case INTERRUPTED -> EXIT_INTERRUPTED;
                case KERNEL_DIED -> EXIT_KERNEL_DIED;
            };
        } catch (RunException e) {
            progress.clear();
            err.println("quire run: " + e.getMessage());
            return EXIT_FAILED;
        } finally {
            finished.countDown();
            if (onShutdown != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(onShutdown);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running and waits for 'finished'
                }
            }
        }
    }

    /** The kernel factory; tests replace it. */
    KernelStarter kernelFactory() {
        return KernelStarter.localProcesses();
    }

    private Notebook readInput() {
        if (input.equals("-")) {
            return Notebook.read(System.in);
        }
        try {
            return Notebook.read(Files.readAllBytes(Path.of(input)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Parameters mergedParameters() {
        Parameters merged = new Parameters();
        for (Path file : parameterFiles) {
            try {
                merged.putAll(YamlParameters.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
            } catch (IOException e) {
                throw new ParameterException("cannot read parameters file " + describe(e), e);
            }
        }
        for (String yaml : parameterYaml) {
            merged.putAll(YamlParameters.parse(yaml, "-y"));
        }
        for (int i = 0; i + 1 < parameters.size(); i += 2) {
            merged.put(parameters.get(i), Parameters.typed(parameters.get(i + 1)));
        }
        for (int i = 0; i + 1 < rawParameters.size(); i += 2) {
            merged.put(rawParameters.get(i), new io.quire.execution.parameters.ParameterValue.Text(rawParameters.get(i + 1)));
        }
        return merged;
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    private static String describe(Throwable e) {
        return e instanceof NoSuchFileException missing ? missing.getFile() + ": no such file" : String.valueOf(e.getMessage());
    }

    /** Writes a notebook to a file atomically, or to standard output. */
    static void write(Notebook notebook, String target) {
        try {
            if (target.equals("-")) {
                System.out.write(notebook.toBytes());
                System.out.flush();
                return;
            }
            Path path = Path.of(target).toAbsolutePath();
            Path temp = Files.createTempFile(path.getParent(), "." + path.getFileName(), ".tmp");
            try {
                Files.write(temp, notebook.toBytes());
                try {
                    Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Progress on standard error and the saves of the run. */
    private static final class Progress implements RunListener {
        private final PrintWriter err;
        private final boolean bar;
        private final boolean logOutput;
        private final String target;
        private final String input;
        private final long started = System.nanoTime();
        private volatile boolean barShown;

        Progress(PrintWriter err, boolean bar, boolean logOutput, String target, String input) {
            this.err = err;
            this.bar = bar;
            this.logOutput = logOutput;
            this.target = target;
            this.input = input;
        }

        @Override
        public void started(String kernelName, int cells) {
            if (!bar) {
                err.println("Input notebook:  " + input);
                err.println("Output notebook: " + target);
                err.println("Executing notebook with kernel: " + kernelName);
                err.flush();
            } else {
                draw(0, cells);
            }
        }

        @Override
        public void cellStarted(int index, int total) {
            if (!bar) {
                err.println("Executing cell " + (index + 1) + "/" + total);
                err.flush();
            }
        }

        @Override
        public void cellFinished(int index, int total) {
            if (bar) {
                draw(index + 1, total);
            }
        }

        @Override
        public synchronized void output(String stream, String text) {
            if (logOutput) {
                err.print(text.endsWith("\n") ? text : text + "\n");
                err.flush();
            }
        }

        @Override
        public void warning(String message) {
            clear();
            err.println("quire run: warning: " + message);
            err.flush();
        }

        @Override
        public void save(Notebook notebook, boolean last) {
            if (last || !target.equals("-")) {
                write(notebook, target);
            }
        }

        synchronized void draw(int done, int total) {
            int width = 30;
            int filled = total == 0 ? width : done * width / total;
            long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            err.printf("\rExecuting: %3d%%|%s%s| %d/%d cells [%02d:%02d]", total == 0 ? 100 : done * 100 / total,
                    "█".repeat(filled), " ".repeat(width - filled), done, total, elapsed / 60, elapsed % 60);
            err.flush();
            barShown = true;
        }

        synchronized void clear() {
            if (barShown) {
                err.print("\r\033[K");
                err.flush();
                barShown = false;
            }
        }

        void interrupted() {
            clear();
            err.println("quire run: interrupted; stopping the kernel and writing what has run");
            err.flush();
        }

        void finish(RunResult result) {
            if (barShown) {
                err.println();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            switch (result.outcome()) {
                case SUCCEEDED -> {
                    if (!bar) {
                        err.printf("Finished in %.1f s%n", seconds);
                    }
                }
                default -> err.println("quire run: " + result.failure().map(RunResult.CellFailure::summary)
                        .orElse(result.outcome().toString()) + " (notebook written to " + target + ")");
            }
            err.flush();
        }
    }
}
