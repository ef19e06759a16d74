package io.quire.execution;

import io.quire.execution.parameters.ParameterValue;
import io.quire.notebook.Notebook;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to run and how.
 *
 * @param notebook         the notebook to run
 * @param inputPath        the input's name, recorded in {@code metadata.papermill.input_path}
 * @param outputPath       the output's name, recorded in {@code metadata.papermill.output_path}
 * @param parameters       parameters to inject, in order; none means no injected cell
 * @param kernelName       the kernel to use instead of the notebook's {@code metadata.kernelspec.name}
 * @param language         the language to render parameters in instead of the notebook's
 * @param cwd              the kernel's working directory
 * @param executionTimeout the longest one cell may run, or empty for no limit
 * @param startTimeout     the longest the kernel may take to become ready
 * @param prepareOnly      only inject parameters and record paths; run nothing
 */
public record RunRequest(
        Notebook notebook,
        String inputPath,
        String outputPath,
        Map<String, ParameterValue> parameters,
        Optional<String> kernelName,
        Optional<String> language,
        Optional<Path> cwd,
        Optional<Duration> executionTimeout,
        Duration startTimeout,
        boolean prepareOnly) {

    /** Validates and copies the fields. */
    public RunRequest {
        Objects.requireNonNull(notebook, "notebook");
        Objects.requireNonNull(inputPath, "inputPath");
        Objects.requireNonNull(outputPath, "outputPath");
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        Objects.requireNonNull(kernelName, "kernelName");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(executionTimeout, "executionTimeout");
        Objects.requireNonNull(startTimeout, "startTimeout");
        executionTimeout.ifPresent(timeout -> {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("execution timeout must be positive, got " + timeout);
            }
        });
    }

    /**
     * A request with defaults: no parameters, the notebook's kernel, no cell timeout, 60 s to start.
     *
     * @param notebook   the notebook
     * @param inputPath  the input's name
     * @param outputPath the output's name
     * @return the request
     */
    public static RunRequest of(Notebook notebook, String inputPath, String outputPath) {
        return new RunRequest(notebook, inputPath, outputPath, Map.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Duration.ofSeconds(60), false);
    }
}
