package io.quire.execution;

import io.quire.kernel.FakeKernelProvisioner;

import static io.quire.execution.TestNotebooks.cells;
import static io.quire.execution.TestNotebooks.code;
import static io.quire.execution.TestNotebooks.hasTag;
import static io.quire.execution.TestNotebooks.markdown;
import static io.quire.execution.TestNotebooks.notebook;
import static io.quire.execution.TestNotebooks.outputTypes;
import static io.quire.execution.TestNotebooks.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.execution.parameters.ParameterValue;
import io.quire.notebook.Notebook;
import io.quire.testing.FakeKernel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The papermill-compatible runner driven end to end over real ZeroMQ against {@link FakeKernel}s started in this
 * JVM by {@link FakeKernelProvisioner}: outputs, metadata, parameters, errors, timeouts, cancel and kernel death.
 */
class NotebookRunnerTest {
    private static final String FAKE = FakeKernelProvisioner.KERNEL_NAME;
    private static final String VERSION = "9.9.9-test";
    private static final Instant START = Instant.parse("2024-05-01T12:00:00Z");
    private static final String PAPERMILL_TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00";
    private static final String NBCLIENT_TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z";
    private static final String ERROR_TAG = "papermill-error-cell-tag";
    private static final String RED = "color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;";
    private static final String ERROR_ANCHOR = "<span id=\"papermill-error-cell\" style=\"" + RED
            + "\">Execution using papermill encountered an exception here and stopped:</span>";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private FakeKernelProvisioner provisioner = FakeKernelProvisioner.create();
    private final RecordingListener listener = new RecordingListener();
    private final SteppingClock clock = new SteppingClock(START, Duration.ofMillis(250));
    private final ExecutorService background = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopFakes() {
        background.shutdownNow();
        provisioner.launched().forEach(FakeKernel::close);
    }

    // ------------------------------------------------------------------ outputs

    @Test
    void run_putsEveryOutputTypeIntoTheCellThatProducedIt() {
        RunResult result = run(notebook(FAKE,
                code("print:hello\nstderr:careful"),
                markdown("# Title"),
                code("result:42"),
                code("display:text/html:<b>bold</b>\ndisplay:application/json:{\"a\": [1, 2]}")));

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.SUCCEEDED);
        assertThat(result.failure()).isEmpty();
        List<JsonNode> cells = cells(result.notebook());
        assertThat(outputTypes(cells.get(0))).containsExactly("stream", "stream");
        assertThat(cells.get(0).path("outputs").get(0).path("name").asText()).isEqualTo("stdout");
        assertThat(text(cells.get(0).path("outputs").get(0).path("text"))).isEqualTo("hello\n");
        assertThat(cells.get(0).path("outputs").get(1).path("name").asText()).isEqualTo("stderr");
        assertThat(text(cells.get(0).path("outputs").get(1).path("text"))).isEqualTo("careful\n");
        assertThat(cells.get(1).has("outputs")).isFalse();
        assertThat(outputTypes(cells.get(2))).containsExactly("execute_result");
        JsonNode executeResult = cells.get(2).path("outputs").get(0);
        assertThat(text(executeResult.path("data").path("text/plain"))).isEqualTo("42");
        assertThat(executeResult.path("execution_count").asInt()).isEqualTo(2);
        assertThat(outputTypes(cells.get(3))).containsExactly("display_data", "display_data");
        assertThat(text(cells.get(3).path("outputs").get(0).path("data").path("text/html"))).isEqualTo("<b>bold</b>");
        assertThat(cells.get(3).path("outputs").get(1).path("data").path("application/json"))
                .isEqualTo(json("{\"a\": [1, 2]}"));
        assertThat(listener.outputs).contains(new RecordingListener.Out("stdout", "hello\n"),
                new RecordingListener.Out("stderr", "careful\n"), new RecordingListener.Out("display", "42"));
    }

    @Test
    void run_keepsEachStreamMessageAsItsOwnOutput() {
        RunResult result = run(notebook(FAKE, code("print:a\nprint:b\nstderr:c\nprint:d")));

        JsonNode outputs = cells(result.notebook()).getFirst().path("outputs");
        List<String> shown = new ArrayList<>();
        outputs.forEach(output -> shown.add(output.path("name").asText() + "=" + text(output.path("text"))));
        assertThat(shown).containsExactly("stdout=a\n", "stdout=b\n", "stderr=c\n", "stdout=d\n");
    }

    @Test
    void run_clearOutputWithWait_clearsJustBeforeTheNextOutput() {
        RunResult result = run(notebook(FAKE,
                code("print:one\nclear:wait\nprint:two"),
                code("print:kept\nclear:wait"),
                code("print:gone\nclear")));

        List<JsonNode> cells = cells(result.notebook());
        assertThat(streamTexts(cells.get(0))).containsExactly("two\n");
        assertThat(streamTexts(cells.get(1))).containsExactly("kept\n");
        assertThat(cells.get(2).path("outputs")).isEmpty();
    }

    @Test
    void run_clearOutputWithWait_isNotTriggeredByADisplayUpdate() {
        RunResult result = run(notebook(FAKE,
                code("display-id:d1:text/plain:first\nclear:wait\nupdate:d1:text/plain:second")));

        JsonNode outputs = cells(result.notebook()).getFirst().path("outputs");
        assertThat(outputs).hasSize(1);
        assertThat(outputs.get(0).path("output_type").asText()).isEqualTo("display_data");
        assertThat(text(outputs.get(0).path("data").path("text/plain"))).isEqualTo("second");
    }

    @Test
    void run_updateDisplayData_replacesTheDisplayOfAnEarlierCellByDisplayId() {
        RunResult result = run(notebook(FAKE,
                code("display-id:progress:text/plain:0%"),
                code("print:working\nupdate:progress:text/plain:100%")));

        List<JsonNode> cells = cells(result.notebook());
        assertThat(outputTypes(cells.get(0))).containsExactly("display_data");
        assertThat(text(cells.get(0).path("outputs").get(0).path("data").path("text/plain"))).isEqualTo("100%");
        assertThat(outputTypes(cells.get(1))).containsExactly("stream");
    }

    @Test
    void run_takesExecutionCountsFromTheKernel() {
        RunResult result = run(notebook(FAKE, code("print:a"), markdown("text"), code("result:x"), code("print:c")));

        List<JsonNode> cells = cells(result.notebook());
        assertThat(cells.get(0).path("execution_count").asInt()).isEqualTo(1);
        assertThat(cells.get(2).path("execution_count").asInt()).isEqualTo(2);
        assertThat(cells.get(2).path("outputs").get(0).path("execution_count").asInt()).isEqualTo(2);
        assertThat(cells.get(3).path("execution_count").asInt()).isEqualTo(3);
    }

    @Test
    void run_sendsNeitherBlankCellsNorCellsTaggedSkipExecution() {
        RunResult result = run(notebook(FAKE,
                code("print:one"),
                code("  \n\t\n"),
                code("print:skipped", "skip-execution"),
                code("print:two")));

        assertThat(executedCode(provisioner.only())).containsExactly("print:one", "print:two");
        List<JsonNode> cells = cells(result.notebook());
        for (int skipped : List.of(1, 2)) {
            JsonNode cell = cells.get(skipped);
            assertThat(cell.path("execution_count").isNull()).as("execution_count of cell %d", skipped).isTrue();
            assertThat(cell.path("outputs")).as("outputs of cell %d", skipped).isEmpty();
            assertThat(cell.path("metadata").has("execution")).as("metadata.execution of cell %d", skipped).isFalse();
            assertThat(cell.path("metadata").path("papermill").path("status").asText()).isEqualTo("completed");
        }
        assertThat(cells.get(3).path("execution_count").asInt()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ papermill metadata

    @Test
    void run_recordsPapermillNotebookMetadata() {
        RunResult result = run(notebook(FAKE, code("print:a")));

        JsonNode metadata = result.notebook().toJson().path("metadata");
        JsonNode papermill = metadata.path("papermill");
        assertThat(papermill.path("start_time").asText()).isEqualTo("2024-05-01T12:00:00+00:00");
        assertThat(papermill.path("end_time").asText()).matches(PAPERMILL_TIME);
        Instant start = Instant.parse(papermill.path("start_time").asText());
        Instant end = Instant.parse(papermill.path("end_time").asText());
        assertThat(end).isAfter(start);
        assertThat(papermill.path("duration").isNumber()).isTrue();
        assertThat(papermill.path("duration").asDouble())
                .isEqualTo(Duration.between(start, end).toNanos() / 1e9);
        assertThat(papermill.has("exception")).isTrue();
        assertThat(papermill.path("exception").isNull()).isTrue();
        assertThat(papermill.path("version").asText()).isEqualTo(VERSION);
        assertThat(papermill.path("input_path").asText()).isEqualTo("in.ipynb");
        assertThat(papermill.path("output_path").asText()).isEqualTo("out.ipynb");
        assertThat(papermill.path("parameters")).isEqualTo(json("{}"));
        assertThat(papermill.path("default_parameters")).isEqualTo(json("{}"));
        assertThat(papermill.path("environment_variables")).isEqualTo(json("{}"));
        assertThat(metadata.path("language_info").path("name").asText()).isEqualTo("fake");
    }

    @Test
    void run_movesEveryCellFromPendingToCompleted() {
        RunResult result = run(notebook(FAKE, code("print:a"), markdown("between"), code("print:b")));

        RecordingListener.Save first = listener.saves.getFirst();
        assertThat(first.last()).isFalse();
        for (JsonNode cell : cells(first.notebook())) {
            assertThat(cell.path("metadata").path("papermill")).isEqualTo(json(
                    "{\"exception\": null, \"start_time\": null, \"end_time\": null, \"duration\": null,"
                            + " \"status\": \"pending\"}"));
        }
        for (JsonNode cell : cells(result.notebook())) {
            JsonNode papermill = cell.path("metadata").path("papermill");
            assertThat(papermill.path("status").asText()).isEqualTo("completed");
            assertThat(papermill.path("exception").isBoolean() && !papermill.path("exception").asBoolean()).isTrue();
            assertThat(papermill.path("start_time").asText()).matches(PAPERMILL_TIME);
            assertThat(papermill.path("end_time").asText()).matches(PAPERMILL_TIME);
            assertThat(papermill.path("duration").isNumber()).isTrue();
        }
    }

    @Test
    void run_recordsNbclientTimingsOnExecutedCodeCells() {
        RunResult result = run(notebook(FAKE, code("print:a"), markdown("m")));

        List<JsonNode> cells = cells(result.notebook());
        JsonNode execution = cells.get(0).path("metadata").path("execution");
        List<String> keys = new ArrayList<>();
        execution.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyInAnyOrder("iopub.status.busy", "iopub.execute_input", "shell.execute_reply",
                "iopub.status.idle");
        execution.forEach(value -> assertThat(value.asText()).matches(NBCLIENT_TIME));
        assertThat(cells.get(1).path("metadata").has("execution")).isFalse();
    }

    // ------------------------------------------------------------------ parameters

    @Test
    void prepare_injectsParametersRightAfterTheParametersCell() {
        RunResult result = runner().run(prepareOnly(notebook(FAKE,
                markdown("intro"), code("alpha = 1", "parameters"), code("print(alpha)")), alphaAndName()), listener);

        List<JsonNode> cells = cells(result.notebook());
        assertThat(cells).hasSize(4);
        JsonNode injected = cells.get(2);
        assertThat(injected.path("cell_type").asText()).isEqualTo("code");
        assertThat(text(injected.path("source"))).isEqualTo("# Parameters\nalpha = 0.5\nname = \"x\"\n");
        assertThat(injected.path("metadata").path("tags")).isEqualTo(json("[\"injected-parameters\"]"));
        assertThat(injected.path("id").asText()).matches("[0-9a-f]{8}");
        assertThat(injected.path("execution_count").isNull()).isTrue();
        assertThat(injected.path("outputs")).isEmpty();
        assertThat(text(cells.get(3).path("source"))).isEqualTo("print(alpha)");
        assertThat(result.notebook().toJson().path("metadata").path("papermill").path("parameters"))
                .isEqualTo(json("{\"alpha\": 0.5, \"name\": \"x\"}"));
        assertThat(listener.warnings).isEmpty();
    }

    @Test
    void prepare_withoutParametersCell_injectsAtTheTopAndWarns() {
        RunResult result = runner().run(prepareOnly(notebook(FAKE, code("print(alpha)")), alphaAndName()), listener);

        List<JsonNode> cells = cells(result.notebook());
        assertThat(cells).hasSize(2);
        assertThat(hasTag(cells.get(0), "injected-parameters")).isTrue();
        assertThat(text(cells.get(0).path("source"))).isEqualTo("# Parameters\nalpha = 0.5\nname = \"x\"\n");
        assertThat(listener.warnings).singleElement().asString()
                .startsWith("Input notebook does not contain a cell with tag 'parameters'");
    }

    @Test
    void prepare_replacesAnInjectedCellOfAnEarlierRunInPlace() {
        RunResult result = runner().run(prepareOnly(notebook(FAKE,
                code("alpha = 1", "parameters"),
                markdown("between"),
                code("# Parameters\nalpha = 0.1\n", "injected-parameters"),
                code("print(alpha)")), alphaAndName()), listener);

        List<JsonNode> cells = cells(result.notebook());
        assertThat(cells).hasSize(4);
        assertThat(text(cells.get(1).path("source"))).isEqualTo("between");
        assertThat(hasTag(cells.get(2), "injected-parameters")).isTrue();
        assertThat(text(cells.get(2).path("source"))).isEqualTo("# Parameters\nalpha = 0.5\nname = \"x\"\n");
        assertThat(cells.stream().filter(cell -> hasTag(cell, "injected-parameters"))).hasSize(1);
    }

    @Test
    void prepareOnly_startsNoKernelAndKeepsExistingOutputs() {
        ObjectNode executed = code("print:x");
        executed.put("execution_count", 3);
        executed.putArray("outputs").addObject().put("output_type", "stream").put("name", "stdout").put("text", "x\n");

        RunResult result = runner().run(prepareOnly(notebook(FAKE, executed), Map.of()), listener);

        assertThat(provisioner.launched()).isEmpty();
        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.SUCCEEDED);
        assertThat(listener.saves).singleElement().matches(RecordingListener.Save::last);
        JsonNode cell = cells(result.notebook()).getFirst();
        assertThat(cell.path("execution_count").asInt()).isEqualTo(3);
        assertThat(streamTexts(cell)).containsExactly("x\n");
        assertThat(cell.path("metadata").path("papermill")).isEqualTo(json("{}"));
        JsonNode papermill = result.notebook().toJson().path("metadata").path("papermill");
        assertThat(papermill.has("start_time")).isFalse();
        assertThat(papermill.path("output_path").asText()).isEqualTo("out.ipynb");
    }

    @Test
    void run_executesTheInjectedParametersCellOnTheKernel() {
        provisioner = FakeKernelProvisioner.configured(builder -> builder
                .command("alpha = 0.5", (argument, context) -> context.stream("stdout", "alpha bound\n")));
        RunRequest request = withParameters(RunRequest.of(notebook(FAKE,
                code("print:defaults", "parameters"), code("print:body")), "in.ipynb", "out.ipynb"),
                Map.of("alpha", new ParameterValue.Float(0.5)));

        RunResult result = runner().run(request, listener);

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.SUCCEEDED);
        assertThat(executedCode(provisioner.only()))
                .containsExactly("print:defaults", "# Parameters\nalpha = 0.5\n", "print:body");
        JsonNode injected = cells(result.notebook()).get(1);
        assertThat(streamTexts(injected)).containsExactly("alpha bound\n");
        assertThat(injected.path("execution_count").asInt()).isEqualTo(2);
        assertThat(injected.path("metadata").path("papermill").path("status").asText()).isEqualTo("completed");
    }

    // ------------------------------------------------------------------ errors

    @Test
    void run_failingCell_stopsTheRunAndMarksItAsPapermillDoes() {
        RunResult result = run(notebook(FAKE,
                code("print:a"),
                code("error:NameError:name 'x' is not defined"),
                code("print:never"),
                markdown("after")));

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.CELL_FAILED);
        assertThat(executedCode(provisioner.only())).hasSize(2);
        List<JsonNode> cells = cells(result.notebook());
        assertThat(cells).hasSize(6);

        JsonNode message = cells.get(0);
        assertThat(message.path("cell_type").asText()).isEqualTo("markdown");
        assertThat(text(message.path("source"))).isEqualTo("<span style=\"" + RED + "\">An Exception was encountered at '"
                + "<a href=\"#papermill-error-cell\">In [2]</a>'.</span>");
        assertThat(message.path("metadata")).isEqualTo(json("{\"tags\": [\"" + ERROR_TAG + "\"]}"));
        JsonNode anchor = cells.get(2);
        assertThat(anchor.path("cell_type").asText()).isEqualTo("markdown");
        assertThat(text(anchor.path("source"))).isEqualTo(ERROR_ANCHOR);
        assertThat(anchor.path("metadata")).isEqualTo(json("{\"tags\": [\"" + ERROR_TAG + "\"]}"));

        JsonNode failing = cells.get(3);
        assertThat(text(failing.path("source"))).isEqualTo("error:NameError:name 'x' is not defined");
        assertThat(failing.path("execution_count").asInt()).isEqualTo(2);
        assertThat(failing.path("metadata").path("papermill").path("status").asText()).isEqualTo("failed");
        assertThat(failing.path("metadata").path("papermill").path("exception").asBoolean()).isTrue();
        assertThat(outputTypes(failing)).containsExactly("error");
        assertThat(failing.path("outputs").get(0).path("ename").asText()).isEqualTo("NameError");
        assertThat(failing.path("outputs").get(0).path("evalue").asText()).isEqualTo("name 'x' is not defined");
        assertThat(failing.path("outputs").get(0).path("traceback")).isNotEmpty();

        for (int later : List.of(4, 5)) {
            JsonNode papermill = cells.get(later).path("metadata").path("papermill");
            assertThat(papermill.path("status").asText()).as("status of cell %d", later).isEqualTo("pending");
            assertThat(papermill.path("start_time").isNull()).isTrue();
        }
        assertThat(cells.get(4).path("outputs")).isEmpty();
        assertThat(cells.get(4).path("execution_count").isNull()).isTrue();
        assertThat(cells.get(1).path("metadata").path("papermill").path("status").asText()).isEqualTo("completed");
        assertThat(result.notebook().toJson().path("metadata").path("papermill").path("exception").asBoolean())
                .isTrue();

        RunResult.CellFailure failure = result.failure().orElseThrow();
        assertThat(failure.cellIndex()).isEqualTo(3);
        assertThat(failure.executionCount()).contains(2);
        assertThat(failure.ename()).isEqualTo("NameError");
        assertThat(failure.evalue()).isEqualTo("name 'x' is not defined");
        assertThat(failure.summary()).isEqualTo("cell In [2] raised NameError: name 'x' is not defined");
    }

    @Test
    void run_removesErrorCellsOfAnEarlierRun() {
        RunResult result = run(notebook(FAKE,
                markdown("An Exception was encountered at ...", ERROR_TAG),
                code("print:a"),
                markdown(ERROR_ANCHOR, ERROR_TAG),
                code("print:b")));

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.SUCCEEDED);
        List<JsonNode> cells = cells(result.notebook());
        assertThat(cells).hasSize(2);
        assertThat(cells).noneMatch(cell -> hasTag(cell, ERROR_TAG));
        assertThat(listener.saves.getFirst().notebook().cells()).hasSize(2);
    }

    // ------------------------------------------------------------------ format

    @Test
    void run_upgradesNotebooksOlderThan45AndGivesEveryCellAFreshId() {
        RunResult result = run(notebook(FAKE, 4, code("print:a"), markdown("m"), code("print:b")));

        ObjectNode written = result.notebook().toJson();
        assertThat(written.path("nbformat").asInt()).isEqualTo(4);
        assertThat(written.path("nbformat_minor").asInt()).isEqualTo(5);
        Set<String> ids = new HashSet<>();
        for (JsonNode cell : written.path("cells")) {
            assertThat(cell.path("id").asText()).matches("[0-9a-f]{8}");
            ids.add(cell.path("id").asText());
        }
        assertThat(ids).hasSize(3);
    }

    // ------------------------------------------------------------------ timeout, cancel, death

    @Test
    void run_cellTimeout_interruptsTheKernelAndFailsTheCell() {
        RunRequest request = withTimeout(RunRequest.of(notebook(FAKE, code("sleep:60000"), code("print:after")),
                "in.ipynb", "out.ipynb"), Duration.ofSeconds(1));

        RunResult result = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> runner().run(request, listener));

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.TIMED_OUT);
        assertThat(provisioner.only().interruptsReceived()).isPositive();
        assertThat(executedCode(provisioner.only())).containsExactly("sleep:60000");
        RunResult.CellFailure failure = result.failure().orElseThrow();
        assertThat(failure.cellIndex()).isZero();
        assertThat(failure.ename()).isEqualTo("Timeout");
        List<JsonNode> cells = cells(result.notebook());
        assertThat(cells).hasSize(2).noneMatch(cell -> hasTag(cell, ERROR_TAG));
        assertThat(cells.get(0).path("metadata").path("papermill").path("status").asText()).isEqualTo("failed");
        assertThat(cells.get(1).path("metadata").path("papermill").path("status").asText()).isEqualTo("pending");
        assertThat(cells.get(1).path("outputs")).isEmpty();
        assertThat(listener.saves.getLast().last()).isTrue();
    }

    @Test
    void cancel_fromAnotherThreadDuringALongCell_interruptsTheRun() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1);
        provisioner = FakeKernelProvisioner.configured(builder -> builder.command("long", (argument, context) -> {
            sleeping.countDown();
            context.sleep(Duration.ofSeconds(60));
        }));
        NotebookRunner runner = runner();
        RunRequest request = RunRequest.of(notebook(FAKE, code("long"), code("print:after")), "in.ipynb", "out.ipynb");

        CompletableFuture<RunResult> running = CompletableFuture.supplyAsync(() -> runner.run(request, listener),
                background);
        assertThat(sleeping.await(20, TimeUnit.SECONDS)).as("the long cell started on the kernel").isTrue();
        runner.cancel();
        RunResult result = running.get(20, TimeUnit.SECONDS);

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.INTERRUPTED);
        assertThat(provisioner.only().interruptsReceived()).isEqualTo(1);
        assertThat(executedCode(provisioner.only())).containsExactly("long");
        assertThat(result.failure().orElseThrow().cellIndex()).isZero();
        assertThat(cells(result.notebook()).get(1).path("metadata").path("papermill").path("status").asText())
                .isEqualTo("pending");
        assertThat(listener.saves.getLast().last()).isTrue();
    }

    @Test
    void run_kernelDiesMidCell_endsPromptlyWithKernelDied() {
        RunRequest request = RunRequest.of(notebook(FAKE, code("die"), code("print:after")), "in.ipynb", "out.ipynb");

        RunResult result = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> runner().run(request, listener));

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.KERNEL_DIED);
        RunResult.CellFailure failure = result.failure().orElseThrow();
        assertThat(failure.cellIndex()).isZero();
        assertThat(failure.ename()).isEqualTo("DeadKernel");
        List<JsonNode> cells = cells(result.notebook());
        assertThat(cells.get(0).path("metadata").path("papermill").path("status").asText()).isEqualTo("failed");
        assertThat(cells.get(1).path("metadata").path("papermill").path("status").asText()).isEqualTo("pending");
        assertThat(listener.saves.getLast().last()).isTrue();
    }

    @Test
    void run_shutsTheKernelDownWhenDone() {
        run(notebook(FAKE, code("print:a")));

        FakeKernel fake = provisioner.only();
        assertThat(fake.shutdownRequest()).isDone();
        assertThat(fake.isAlive()).isFalse();
    }

    // ------------------------------------------------------------------ saves

    @Test
    void run_asksForAFirstSaveAndALastSave() {
        RunResult result = run(notebook(FAKE, code("print:a"), code("print:b"), code("print:c")));

        assertThat(listener.saves).hasSize(2);
        assertThat(listener.saves.getFirst().last()).isFalse();
        assertThat(listener.saves.getLast().last()).isTrue();
        assertThat(listener.saves.getLast().notebook().toJson()).isEqualTo(result.notebook().toJson());
    }

    @Test
    void run_savesAfterACellOnceTheSaveIntervalHasPassed() {
        NotebookRunner runner = runner().with(clock, Duration.ofMillis(200));

        runner.run(RunRequest.of(notebook(FAKE, code("print:a"), code("print:b"), code("print:c")), "in.ipynb",
                "out.ipynb"), listener);

        assertThat(listener.saves).hasSize(5);
        assertThat(listener.saves.stream().filter(RecordingListener.Save::last)).hasSize(1);
        assertThat(listener.saves.getLast().last()).isTrue();
        List<JsonNode> afterFirstCell = cells(listener.saves.get(1).notebook());
        assertThat(afterFirstCell.get(0).path("metadata").path("papermill").path("status").asText())
                .isEqualTo("completed");
        assertThat(afterFirstCell.get(1).path("metadata").path("papermill").path("status").asText())
                .isEqualTo("pending");
    }

    // ------------------------------------------------------------------ helpers

    private NotebookRunner runner() {
        return NotebookRunner.create(KernelStarter.using(provisioner, FakeKernelProvisioner.registry(dataDir)), VERSION)
                .with(clock, Duration.ofDays(1));
    }

    private RunResult run(Notebook notebook) {
        return runner().run(RunRequest.of(notebook, "in.ipynb", "out.ipynb"), listener);
    }

    private static Map<String, ParameterValue> alphaAndName() {
        Map<String, ParameterValue> parameters = new LinkedHashMap<>();
        parameters.put("alpha", new ParameterValue.Float(0.5));
        parameters.put("name", new ParameterValue.Text("x"));
        return parameters;
    }

    private static RunRequest prepareOnly(Notebook notebook, Map<String, ParameterValue> parameters) {
        return new RunRequest(notebook, "in.ipynb", "out.ipynb", parameters, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Duration.ofSeconds(10), true);
    }

    private static RunRequest withParameters(RunRequest r, Map<String, ParameterValue> parameters) {
        return new RunRequest(r.notebook(), r.inputPath(), r.outputPath(), parameters, r.kernelName(), r.language(),
                r.cwd(), r.executionTimeout(), r.startTimeout(), r.prepareOnly());
    }

    private static RunRequest withTimeout(RunRequest r, Duration timeout) {
        return new RunRequest(r.notebook(), r.inputPath(), r.outputPath(), r.parameters(), r.kernelName(),
                r.language(), r.cwd(), Optional.of(timeout), r.startTimeout(), r.prepareOnly());
    }

    private static List<String> executedCode(FakeKernel fake) {
        return fake.received().stream()
                .filter(message -> message.msgType().equals("execute_request"))
                .map(message -> message.content().path("code").asText())
                .toList();
    }

    private static List<String> streamTexts(JsonNode cell) {
        List<String> texts = new ArrayList<>();
        cell.path("outputs").forEach(output -> texts.add(text(output.path("text"))));
        return texts;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
