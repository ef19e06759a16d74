package io.quire.notebook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's Python with the installed {@code nbformat} package, used as an oracle: what the reference
 * implementation does with the same file.
 *
 * <p>Each call starts a fresh interpreter (about half a second); stdout is the answer (UTF-8), stderr is kept for the
 * failure message only.
 */
final class PythonOracle {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final long TIMEOUT_SECONDS = 120;
    private static Boolean nbformatAvailable;

    private PythonOracle() {
    }

    /** Whether {@code /usr/bin/python3} exists and can import nbformat. */
    static synchronized boolean nbformatAvailable() {
        if (nbformatAvailable == null) {
            try {
                nbformatAvailable = Files.isExecutable(PYTHON) && exec("import nbformat").exitCode == 0;
            } catch (IOException e) {
                nbformatAvailable = false;
            }
        }
        return nbformatAvailable;
    }

    /** Skips (or fails on CI) the calling test unless nbformat can be imported. */
    static void requireNbformat() {
        TestEnvironment.require(nbformatAvailable(), "Python nbformat (" + PYTHON + " -c 'import nbformat')");
    }

    /**
     * Runs a script and returns its stdout.
     *
     * @throws AssertionError if the script fails or times out
     */
    static String run(String script, String... args) {
        try {
            Result result = exec(script, args);
            if (result.exitCode != 0) {
                throw new AssertionError("python oracle failed with exit code " + result.exitCode + ":\n" + result.stderr);
            }
            return result.stdout;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + PYTHON, e);
        }
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result exec(String script, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-X", "frozen_modules=off", "-c", script));
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile("quire-python-oracle", ".stderr");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
            builder.environment().put("PYTHONIOENCODING", "utf-8");
            builder.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("python oracle did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for python", e);
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
