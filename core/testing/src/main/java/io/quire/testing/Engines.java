package io.quire.testing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Checks for the external engines that integration tests need. When an engine is missing the test is
 * skipped with the reason on a developer machine, and fails when the environment variable {@code CI}
 * is {@code true}, so a CI image without the engine cannot pass silently.
 */
public final class Engines {
    private static final Map<String, Optional<String>> PROBLEMS = new ConcurrentHashMap<>();

    private Engines() {
    }

    /**
     * Requires the {@code python3} kernel spec of ipykernel: found in the standard Jupyter data path
     * ({@code JUPYTER_PATH}, {@code JUPYTER_DATA_DIR} or {@code ~/.local/share/jupyter},
     * {@code /usr/local/share/jupyter}, {@code /usr/share/jupyter}), and its interpreter
     * ({@code argv[0]}) able to {@code import ipykernel}.
     *
     * @return the kernel spec directory ({@code .../kernels/python3})
     * @throws org.opentest4j.TestAbortedException when missing on a developer machine
     * @throws org.opentest4j.AssertionFailedError when missing and {@code CI=true}
     */
    public static Path requireIpykernel() {
        Optional<Path> spec = findSpec("python3");
        Optional<String> problem = spec.isEmpty()
                ? Optional.of("no python3 kernel spec in " + dataDirs())
                : PROBLEMS.computeIfAbsent("ipykernel", key -> probeIpykernel(spec.get()));
        problem.ifPresent(Engines::unavailable);
        return spec.orElseThrow();
    }

    /**
     * Requires Debian's system Python ({@code /usr/bin/python3}, else {@code python3} on the PATH) able to import
     * the given modules, such as {@code nbformat} or {@code nbconvert}.
     *
     * @param modules the modules to import
     * @return the interpreter to run
     * @throws org.opentest4j.TestAbortedException when missing on a developer machine
     * @throws org.opentest4j.AssertionFailedError when missing and {@code CI=true}
     */
    public static String requirePythonModules(String... modules) {
        String interpreter = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        String imports = "import " + String.join(", ", modules);
        Optional<String> problem = PROBLEMS.computeIfAbsent(interpreter + ":" + imports, key -> {
            try {
                Process process = new ProcessBuilder(interpreter, "-c", imports).redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return Optional.of(interpreter + " -c '" + imports + "' did not finish in 60 s");
                }
                return process.exitValue() == 0 ? Optional.empty()
                        : Optional.of(interpreter + " cannot " + imports + ": " + output.strip());
            } catch (IOException e) {
                return Optional.of("cannot run " + interpreter + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted while probing " + interpreter);
            }
        });
        problem.ifPresent(Engines::unavailable);
        return interpreter;
    }

    /**
     * Requires a command on the PATH that answers {@code --version} (for example {@code node} or {@code npm}).
     *
     * @param command the command name
     * @return the command, to run
     * @throws org.opentest4j.TestAbortedException when missing on a developer machine
     * @throws org.opentest4j.AssertionFailedError when missing and {@code CI=true}
     */
    public static String requireCommand(String command) {
        Optional<String> problem = PROBLEMS.computeIfAbsent("command:" + command, key -> {
            try {
                Process process = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return Optional.of(command + " --version did not finish in 60 s");
                }
                return process.exitValue() == 0 ? Optional.empty()
                        : Optional.of(command + " --version failed: " + output.strip());
            } catch (IOException e) {
                return Optional.of(command + " is not on the PATH: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted while probing " + command);
            }
        });
        problem.ifPresent(Engines::unavailable);
        return command;
    }

    /** @return whether this run is on CI (environment variable {@code CI=true}) */
    public static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static void unavailable(String reason) {
        if (onCi()) {
            Assertions.fail("required engine missing on CI (CI=true): " + reason);
        }
        Assumptions.abort("engine not available, test skipped: " + reason);
    }

    private static Optional<Path> findSpec(String name) {
        return dataDirs().stream()
                .map(dir -> dir.resolve("kernels").resolve(name))
                .filter(dir -> Files.isRegularFile(dir.resolve("kernel.json")))
                .findFirst();
    }

    private static List<Path> dataDirs() {
        List<Path> dirs = new ArrayList<>();
        String jupyterPath = System.getenv("JUPYTER_PATH");
        if (jupyterPath != null && !jupyterPath.isBlank()) {
            for (String entry : jupyterPath.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    dirs.add(Path.of(entry));
                }
            }
        }
        String dataDir = System.getenv("JUPYTER_DATA_DIR");
        dirs.add(dataDir != null && !dataDir.isBlank()
                ? Path.of(dataDir)
                : Path.of(System.getProperty("user.home"), ".local", "share", "jupyter"));
        dirs.add(Path.of("/usr/local/share/jupyter"));
        dirs.add(Path.of("/usr/share/jupyter"));
        return dirs;
    }

    private static Optional<String> probeIpykernel(Path specDir) {
        String interpreter;
        try {
            JsonNode spec = FakeWire.JSON.readTree(specDir.resolve("kernel.json").toFile());
            interpreter = spec.path("argv").path(0).asText("");
        } catch (IOException e) {
            return Optional.of("unreadable " + specDir.resolve("kernel.json") + ": " + e.getMessage());
        }
        if (interpreter.isEmpty()) {
            return Optional.of("kernel spec " + specDir + " has no argv");
        }
        try {
            Process process = new ProcessBuilder(interpreter, "-c", "import ipykernel")
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of(interpreter + " -c 'import ipykernel' did not finish in 60 s");
            }
            return process.exitValue() == 0
                    ? Optional.empty()
                    : Optional.of(interpreter + " cannot import ipykernel: " + output.strip());
        } catch (IOException e) {
            return Optional.of("cannot run " + interpreter + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while probing " + interpreter);
        }
    }
}
