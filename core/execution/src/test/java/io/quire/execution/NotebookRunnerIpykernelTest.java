package io.quire.execution;

import static io.quire.execution.TestNotebooks.cells;
import static io.quire.execution.TestNotebooks.code;
import static io.quire.execution.TestNotebooks.hasTag;
import static io.quire.execution.TestNotebooks.notebook;
import static io.quire.execution.TestNotebooks.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.execution.parameters.ParameterValue;
import io.quire.execution.parameters.Parameters;
import io.quire.execution.parameters.YamlParameters;
import io.quire.notebook.Notebook;
import io.quire.testing.Await;
import io.quire.testing.Engines;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner on the real {@code python3} kernel (ipykernel) as a local process: parameters, errors, the execution
 * timeout, stdin, the working directory and kernel death. Every run starts one kernel (about a second), so each
 * test makes one run and checks what it can on it. After every test no kernel process of this JVM may remain.
 */
class NotebookRunnerIpykernelTest {
    private static final String PYTHON3 = "python3";

    @TempDir
    Path workDir;

    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void requireKernel() {
        Engines.requireIpykernel();
    }

    @AfterEach
    void noKernelProcessRemains() {
        Await.until(Duration.ofSeconds(10), "no ipykernel process of this JVM left, found " + kernelProcesses(),
                () -> kernelProcesses().isEmpty());
    }

    @Test
    void run_injectsTypedParametersIntoTheKernelInItsWorkingDirectoryWithoutStdin() throws IOException {
        Map<String, ParameterValue> parameters = new LinkedHashMap<>(YamlParameters.parse(
                "alpha: 0.5\nflag: yes\nnothing: ~\nitems: [1, two, 3.5, null]\n", "-y"));
        parameters.put("ratio", Parameters.typed("1e5"));
        parameters.put("on", Parameters.typed("True"));
        parameters.put("missing", Parameters.typed("None"));
        parameters.put("name", Parameters.typed("hello world"));
        parameters.put("count", Parameters.typed("007"));
        Notebook input = notebook(PYTHON3,
                code("alpha = 1\nflag = False", "parameters"),
                code("print(repr(alpha), repr(flag), repr(nothing), repr(items), repr(ratio), repr(on), repr(missing),"
                        + " repr(name), repr(count))"),
                code("import os\nprint(os.getcwd())\nprint(os.getpid())"),
                code("try:\n    input('say: ')\nexcept Exception as e:\n    print(type(e).__name__)"));
        RunRequest request = new RunRequest(input, "in.ipynb", "out.ipynb", parameters, Optional.empty(),
                Optional.empty(), Optional.of(workDir), Optional.of(Duration.ofSeconds(60)), Duration.ofSeconds(60),
                false);

        RunResult result = NotebookRunner.create(KernelStarter.localProcesses(), "test").run(request, listener);

        assertThat(result.outcome()).as("outcome, failure %s", result.failure()).isEqualTo(RunResult.Outcome.SUCCEEDED);
        List<JsonNode> cells = cells(result.notebook());
        assertThat(cells).hasSize(5);
        assertThat(hasTag(cells.get(1), "injected-parameters")).isTrue();
        assertThat(text(cells.get(1).path("source"))).isEqualTo("""
                # Parameters
                alpha = 0.5
                flag = True
                nothing = None
                items = [1, "two", 3.5, None]
                ratio = 100000.0
                on = True
                missing = None
                name = "hello world"
                count = 7
                """);
        assertThat(stdout(cells.get(2)))
                .isEqualTo("0.5 True None [1, 'two', 3.5, None] 100000.0 True None 'hello world' 7\n");
        List<String> cwdAndPid = stdout(cells.get(3)).lines().toList();
        assertThat(Path.of(cwdAndPid.get(0))).isEqualTo(workDir.toRealPath());
        assertThat(stdout(cells.get(4))).isEqualTo("StdinNotImplementedError\n");
        long pid = Long.parseLong(cwdAndPid.get(1));
        Await.until(Duration.ofSeconds(10), "kernel process " + pid + " to be gone",
                () -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty());
        assertThat(cells.get(4).path("execution_count").asInt()).isEqualTo(5);
    }

    @Test
    void run_exceptionInACell_failsTheRunWithTheRealTraceback() {
        Notebook input = notebook(PYTHON3,
                code("x = 1"),
                code("def divide():\n    return x / 0\n\ndivide()"),
                code("print('never')"));

        RunResult result = NotebookRunner.create(KernelStarter.localProcesses(), "test")
                .run(RunRequest.of(input, "in.ipynb", "out.ipynb"), listener);

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.CELL_FAILED);
        RunResult.CellFailure failure = result.failure().orElseThrow();
        assertThat(failure.ename()).isEqualTo("ZeroDivisionError");
        assertThat(failure.evalue()).isEqualTo("division by zero");
        assertThat(failure.executionCount()).contains(2);
        assertThat(failure.cellIndex()).isEqualTo(3);
        List<JsonNode> cells = cells(result.notebook());
        assertThat(cells).hasSize(5);
        assertThat(text(cells.get(0).path("source"))).contains("In [2]");
        JsonNode failing = cells.get(failure.cellIndex());
        assertThat(text(failing.path("source"))).startsWith("def divide():");
        JsonNode error = failing.path("outputs").get(0);
        assertThat(error.path("output_type").asText()).isEqualTo("error");
        String traceback = text(error.path("traceback")).replaceAll("\u001b\\[[0-9;]*m", "");
        assertThat(traceback).contains("ZeroDivisionError", "divide()", "return x / 0");
        assertThat(cells.get(4).path("outputs")).isEmpty();
        assertThat(cells.get(4).path("metadata").path("papermill").path("status").asText()).isEqualTo("pending");
    }

    @Test
    void run_cellLongerThanTheExecutionTimeout_isInterruptedQuickly() {
        Notebook input = notebook(PYTHON3, code("import time\ntime.sleep(60)"), code("print('after')"));
        RunRequest request = new RunRequest(input, "in.ipynb", "out.ipynb", Map.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(Duration.ofSeconds(2)), Duration.ofSeconds(60), false);

        long started = System.nanoTime();
        RunResult result = NotebookRunner.create(KernelStarter.localProcesses(), "test").run(request, listener);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.TIMED_OUT);
        assertThat(took).isLessThan(Duration.ofSeconds(20));
        assertThat(result.failure().orElseThrow().cellIndex()).isZero();
        List<JsonNode> cells = cells(result.notebook());
        assertThat(errorNames(cells.get(0))).as("the kernel was interrupted").containsExactly("KeyboardInterrupt");
        assertThat(cells.get(0).path("metadata").path("papermill").path("status").asText()).isEqualTo("failed");
        assertThat(cells.get(1).path("outputs")).isEmpty();
    }

    @Test
    void run_kernelKilledDuringACell_endsWithKernelDied() {
        Notebook input = notebook(PYTHON3, code("import os\nos.kill(os.getpid(), 9)"), code("print('after')"));

        long started = System.nanoTime();
        RunResult result = NotebookRunner.create(KernelStarter.localProcesses(), "test")
                .run(RunRequest.of(input, "in.ipynb", "out.ipynb"), listener);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.KERNEL_DIED);
        assertThat(took).isLessThan(Duration.ofSeconds(20));
        assertThat(result.failure().orElseThrow().ename()).isEqualTo("DeadKernel");
        assertThat(cells(result.notebook()).get(1).path("metadata").path("papermill").path("status").asText())
                .isEqualTo("pending");
        assertThat(listener.saves.getLast().last()).isTrue();
    }

    private static String stdout(JsonNode cell) {
        StringBuilder out = new StringBuilder();
        for (JsonNode output : cell.path("outputs")) {
            if (output.path("output_type").asText().equals("stream") && output.path("name").asText().equals("stdout")) {
                out.append(text(output.path("text")));
            }
        }
        return out.toString();
    }

    private static List<String> errorNames(JsonNode cell) {
        List<String> names = new ArrayList<>();
        for (JsonNode output : cell.path("outputs")) {
            if (output.path("output_type").asText().equals("error")) {
                names.add(output.path("ename").asText());
            }
        }
        return names;
    }

    /** Live descendants of this JVM that run ipykernel. */
    static List<String> kernelProcesses() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().commandLine().orElse("").contains("ipykernel"))
                .map(process -> process.pid() + " " + process.info().commandLine().orElse(""))
                .toList();
    }
}
