package io.quire.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quire.testing.Await;
import io.quire.testing.Engines;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code quire run} end to end on a real ipykernel: in-process, and as a separate process for Ctrl-C. */
class RunCommandIpykernelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeEach
    void requireKernel() {
        Engines.requireIpykernel();
    }

    private static String notebook(String... sources) {
        StringBuilder cells = new StringBuilder();
        for (int i = 0; i < sources.length; i++) {
            if (i > 0) {
                cells.append(',');
            }
            cells.append("{\"cell_type\": \"code\", \"execution_count\": null, \"id\": \"c").append(i)
                    .append("\", \"metadata\": {").append(i == 0 ? "\"tags\": [\"parameters\"]" : "")
                    .append("}, \"outputs\": [], \"source\": ")
                    .append(com.fasterxml.jackson.databind.node.TextNode.valueOf(sources[i])).append('}');
        }
        return "{\"cells\": [" + cells + "], \"metadata\": {\"kernelspec\": {\"name\": \"python3\", "
                + "\"display_name\": \"Python 3\", \"language\": \"python\"}}, \"nbformat\": 4, \"nbformat_minor\": 5}";
    }

    private int run(StringWriter err, String... args) {
        CommandLine commandLine = QuireCommand.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        return commandLine.execute(args);
    }

    @Test
    void run_executesWithTypedParametersAndWritesOutputs() throws Exception {
        Path input = Files.writeString(dir.resolve("in.ipynb"),
                notebook("n = 0\nx = 0.0\nflag = None", "print(n * 2, type(x).__name__, flag)", "n + 1"));
        Path output = dir.resolve("out.ipynb");
        StringWriter err = new StringWriter();
        int exit = run(err, "run", input.toString(), output.toString(), "-p", "n", "20", "-p", "x", "1e3",
                "-p", "flag", "True", "--no-progress-bar");
        assertThat(exit).as(err.toString()).isZero();
        JsonNode nb = JSON.readTree(output.toFile());
        JsonNode cells = nb.get("cells");
        assertThat(cells).hasSize(4);
        assertThat(cells.get(1).path("metadata").path("tags").get(0).asText()).isEqualTo("injected-parameters");
        assertThat(cells.get(2).path("outputs").get(0).path("text").toString()).contains("40 float True");
        assertThat(cells.get(3).path("outputs").get(0).path("data").path("text/plain").toString()).contains("21");
        assertThat(nb.path("metadata").path("papermill").path("parameters").path("n").asInt()).isEqualTo(20);
        assertThat(nb.path("metadata").path("language_info").path("name").asText()).isEqualTo("python");
    }

    @Test
    void run_stopsAtAFailingCellWritesThePartialNotebookAndSaysWhyInOneLine() throws Exception {
        Path input = Files.writeString(dir.resolve("in.ipynb"),
                notebook("a = 1", "print('before')", "undefined_name", "print('never')"));
        Path output = dir.resolve("out.ipynb");
        StringWriter err = new StringWriter();
        int exit = run(err, "run", input.toString(), output.toString(), "--no-progress-bar");
        assertThat(exit).isEqualTo(RunCommand.EXIT_FAILED);
        assertThat(err.toString()).contains("quire run: cell In [3] raised NameError: name 'undefined_name' is not defined");
        JsonNode cells = JSON.readTree(output.toFile()).get("cells");
        assertThat(cells.get(0).path("metadata").path("tags").get(0).asText()).isEqualTo("papermill-error-cell-tag");
        assertThat(cells.get(3).path("metadata").path("tags").get(0).asText()).isEqualTo("papermill-error-cell-tag");
        assertThat(cells.get(4).path("metadata").path("papermill").path("status").asText()).isEqualTo("failed");
        assertThat(cells.get(4).path("outputs").get(0).path("ename").asText()).isEqualTo("NameError");
        assertThat(cells.get(5).path("metadata").path("papermill").path("status").asText()).isEqualTo("pending");
        assertThat(cells.get(5).path("outputs")).isEmpty();
    }

    @Test
    void ctrlC_interruptsTheKernelWritesWhatRanAndLeavesNoKernelProcess() throws Exception {
        Path input = Files.writeString(dir.resolve("in.ipynb"),
                notebook("print('first')", "import time\nprint('sleeping', flush=True)\ntime.sleep(120)", "print('never')"));
        Path output = dir.resolve("out.ipynb");
        Path log = dir.resolve("stderr.txt");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                QuireCommand.class.getName(), "run", input.toString(), output.toString(), "--log-output")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitLog(log, "sleeping", Duration.ofSeconds(60));
            List<ProcessHandle> kernels = new ArrayList<>(process.descendants().toList());
            assertThat(kernels).as("the kernel runs as a child process").isNotEmpty();
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("quire exits after Ctrl-C").isTrue();
            assertThat(process.exitValue()).isEqualTo(RunCommand.EXIT_INTERRUPTED);
            for (ProcessHandle kernel : kernels) {
                kernel.onExit().get(10, TimeUnit.SECONDS);
                assertThat(kernel.isAlive()).as("kernel process %s", kernel.pid()).isFalse();
            }
            JsonNode cells = JSON.readTree(output.toFile()).get("cells");
            assertThat(cells.get(0).path("outputs").get(0).path("text").toString()).contains("first");
            JsonNode sleeping = cells.get(1);
            assertThat(sleeping.path("metadata").path("papermill").path("status").asText()).isEqualTo("failed");
            assertThat(sleeping.path("outputs").toString()).contains("KeyboardInterrupt");
            assertThat(cells.get(2).path("outputs")).isEmpty();
            assertThat(Files.readString(log)).contains("interrupted");
        } finally {
            process.destroyForcibly();
        }
    }

    private static void awaitLog(Path log, String text, Duration timeout) {
        Await.until(timeout, "'" + text + "' in " + log, () -> {
            try {
                return Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text);
            } catch (IOException e) {
                return false;
            }
        });
    }
}
