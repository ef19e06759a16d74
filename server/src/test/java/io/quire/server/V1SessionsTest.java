package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.client.CellStatus;
import io.quire.client.Execution;
import io.quire.client.ExecutionCell;
import io.quire.client.ExecutionStatus;
import io.quire.client.KernelChannels;
import io.quire.client.KernelExecution;
import io.quire.client.KernelSession;
import io.quire.client.KernelState;
import io.quire.client.QuireApiException;
import io.quire.client.QuireClient;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.testing.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kernel sessions and server-side executions of the v1 API, driven through the Java SDK against a real
 * {@link QuireServer} over in-JVM fake kernels (spec {@code fake}; see {@code FakeKernel} for its mini-language).
 */
class V1SessionsTest {
    private static final String FAKE = FakeKernelProvisioner.KERNEL_NAME;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private FakeKernelServer server;
    private TestNotebooks notebooks;
    private QuireClient quire;

    @BeforeEach
    void start() {
        // "1+1" is not in the fake's language; teach it, so the WebSocket test sends what a user would
        FakeKernelProvisioner provisioner = FakeKernelProvisioner.configured(builder -> builder.command("1+1",
                (argument, context) -> {
                    ObjectNode content = context.newObject();
                    content.put("execution_count", context.executionCount());
                    content.putObject("data").put("text/plain", "2");
                    content.putObject("metadata");
                    context.publish("execute_result", content, List.of());
                }));
        server = FakeKernelServer.start(dir, ServerConfig.DEFAULT_MAX_BODY_BYTES, provisioner);
        notebooks = new TestNotebooks(server.root);
        quire = client(FakeKernelServer.TOKEN);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private QuireClient client(String token) {
        QuireClient.Builder builder = QuireClient.builder().baseUrl(URI.create(server.fixture.server.url()))
                .pollIntervals(Duration.ofMillis(10), Duration.ofMillis(100));
        return token == null ? builder.build() : builder.token(token).build();
    }

    private String notebook(String path, ObjectNode... cells) {
        return quire.fileByPath(notebooks.write(path, TestNotebooks.notebook(FAKE, cells))).id();
    }

    private static ObjectNode code(String id, String source) {
        return TestNotebooks.code(id, source);
    }

    @Test
    void createSession_isCreatedOnce_andSharedWithTheJupyterSessionsApi() throws Exception {
        String fileId = notebook("work/a.ipynb", code("c1", "print:x"));

        HttpResponse<String> first = server.post("/api/v1/files/" + fileId + "/sessions", "{}");
        HttpResponse<String> again = server.post("/api/v1/files/" + fileId + "/sessions", "{}");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        String id = ServerFixture.json(first).path("id").asText();
        assertThat(ServerFixture.json(again).path("id").asText()).isEqualTo(id);
        assertThat(first.headers().firstValue("Location")).hasValue("/api/v1/sessions/" + id);
        KernelSession session = quire.session(id);
        assertThat(session.fileId()).isEqualTo(fileId);
        assertThat(session.path()).isEqualTo("work/a.ipynb");
        assertThat(session.name()).isEqualTo("a.ipynb");
        assertThat(session.kernelSpec()).isEqualTo(FAKE);
        assertThat(session.state()).isIn(KernelState.IDLE, KernelState.BUSY);
        assertThat(session.kernelPhase()).isEqualTo("ready");
        assertThat(session.kernelSize()).isEmpty();
        JsonNode jupyter = ServerFixture.json(server.get("/api/sessions"));
        assertThat(jupyter).hasSize(1);
        assertThat(jupyter.get(0).path("id").asText()).isEqualTo(id);
        assertThat(jupyter.get(0).path("path").asText()).isEqualTo("work/a.ipynb");
        assertThat(jupyter.get(0).path("type").asText()).isEqualTo("notebook");
        assertThat(jupyter.get(0).path("kernel").path("id").asText()).isEqualTo(session.kernelId());
    }

    @Test
    void aNotebookSessionOpenedByAJupyterClient_isListedByV1_andReusedByCreateSession() throws Exception {
        String fileId = notebook("j.ipynb", code("c1", "print:x"));
        HttpResponse<String> jupyter = server.post("/api/sessions",
                "{\"path\": \"j.ipynb\", \"name\": \"j.ipynb\", \"type\": \"notebook\", \"kernel\": {\"name\": \"fake\"}}");
        assertThat(jupyter.statusCode()).as(jupyter.body()).isEqualTo(201);
        server.post("/api/sessions", "{\"path\": \"console-1\", \"type\": \"console\", \"kernel\": {\"name\": \"fake\"}}");
        String jupyterId = ServerFixture.json(jupyter).path("id").asText();

        assertThat(quire.sessions()).extracting(KernelSession::id, KernelSession::fileId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(jupyterId, fileId));
        assertThat(quire.createSession(fileId).id()).isEqualTo(jupyterId);
    }

    @Test
    void createSession_withAnUnknownSpec_is400_andWithAnotherSpecThanTheExistingSession_is409() throws IOException {
        String fileId = notebook("k.ipynb", code("c1", "print:x"));
        Path other = Files.createDirectories(dir.resolve("data/kernels/fake2"));
        Files.copy(dir.resolve("data/kernels/fake/kernel.json"), other.resolve("kernel.json"));

        assertThatThrownBy(() -> quire.createSession(fileId, "no-such-kernel"))
                .isInstanceOfSatisfying(QuireApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("unknown_kernel");
                });
        KernelSession session = quire.createSession(fileId, FAKE);
        assertThat(quire.createSession(fileId, FAKE).id()).isEqualTo(session.id());
        assertThatThrownBy(() -> quire.createSession(fileId, "fake2"))
                .isInstanceOfSatisfying(QuireApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("session_exists");
                });
        assertThat(quire.createSession(notebook("k2.ipynb", code("c1", "print:x")), "fake2").kernelSpec())
                .isEqualTo("fake2");
    }

    @Test
    void executeOneCell_capturesItsOutputs_andSavesOnlyThatCellIntoTheFile() {
        String fileId = notebook("one.ipynb", code("c1", "print:one"), code("c2", "result:42"),
                TestNotebooks.markdown("m1", "# title"));
        KernelSession session = quire.createSession(fileId);

        Execution queued = quire.execute(session.id(), "c2");
        Execution done = quire.awaitExecution(queued.id(), WAIT);

        assertThat(queued.sessionId()).isEqualTo(session.id());
        assertThat(queued.fileId()).isEqualTo(fileId);
        assertThat(done.status()).as("%s", done).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(done.kernelId()).hasValue(session.kernelId());
        assertThat(done.startedAt()).isPresent();
        assertThat(done.finishedAt()).isPresent();
        ExecutionCell cell = done.cells().getFirst();
        assertThat(done.cells()).hasSize(1);
        assertThat(cell.cellId()).isEqualTo("c2");
        assertThat(cell.status()).isEqualTo(CellStatus.SUCCEEDED);
        assertThat(cell.executionCount()).hasValue(1);
        assertThat(cell.outputs()).singleElement().satisfies(output -> {
            assertThat(output.path("output_type").asText()).isEqualTo("execute_result");
            assertThat(output.path("data").path("text/plain").asText()).isEqualTo("42");
        });
        JsonNode saved = notebooks.read("one.ipynb");
        assertThat(TestNotebooks.cell(saved, "c2").path("execution_count").asInt()).isEqualTo(1);
        assertThat(TestNotebooks.cell(saved, "c2").path("outputs").get(0).path("data").path("text/plain").asText())
                .isEqualTo("42");
        assertThat(TestNotebooks.cell(saved, "c1").path("outputs")).isEmpty();
        assertThat(TestNotebooks.cell(saved, "c1").path("execution_count").isNull()).isTrue();
        assertThat(TestNotebooks.cell(saved, "m1").path("source").asText()).isEqualTo("# title");
    }

    @Test
    void executeAll_runsTheCodeCellsInOrder_onTheSessionsKernel_whoseStateCarriesOver() {
        String fileId = notebook("all.ipynb", code("c1", "print:a"), TestNotebooks.markdown("m1", "text"),
                code("c2", "print:b"), code("c3", ""));
        KernelSession session = quire.createSession(fileId);

        Execution first = quire.awaitExecution(quire.executeAll(session.id()).id(), WAIT);
        Execution second = quire.awaitExecution(quire.execute(session.id(), List.of("c2", "c1")).id(), WAIT);

        assertThat(first.status()).as("%s", first).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(first.cells()).extracting(ExecutionCell::cellId).containsExactly("c1", "c2", "c3");
        assertThat(first.cells()).extracting(ExecutionCell::status).containsOnly(CellStatus.SUCCEEDED);
        assertThat(first.cell("c1").orElseThrow().stream("stdout")).isEqualTo("a\n");
        assertThat(first.cell("c3").orElseThrow().executionCount()).as("an empty cell is not sent").isEmpty();
        // one kernel for both executions: its execution counter goes on
        assertThat(first.cells()).extracting(c -> c.executionCount().orElse(0)).containsExactly(1, 2, 0);
        assertThat(second.cells()).extracting(c -> c.executionCount().orElseThrow()).containsExactly(3, 4);
        JsonNode saved = notebooks.read("all.ipynb");
        assertThat(TestNotebooks.stdout(TestNotebooks.cell(saved, "c1"))).isEqualTo("a\n");
        assertThat(TestNotebooks.cell(saved, "c1").path("execution_count").asInt()).isEqualTo(4);
        assertThat(TestNotebooks.cell(saved, "c2").path("execution_count").asInt()).isEqualTo(3);
    }

    @Test
    void executionsOfASession_runOneAfterAnother_inTheOrderTheyWereAccepted() {
        String fileId = notebook("order.ipynb", code("c1", "sleep:300\nprint:1"), code("c2", "print:2"),
                code("c3", "sleep:100\nprint:3"));
        KernelSession session = quire.createSession(fileId);

        Execution e1 = quire.execute(session.id(), "c1");
        Execution e2 = quire.execute(session.id(), "c2");
        Execution e3 = quire.execute(session.id(), "c3");
        assertThat(quire.execution(e3.id()).status()).isIn(ExecutionStatus.QUEUED, ExecutionStatus.RUNNING);
        Execution d3 = quire.awaitExecution(e3.id(), WAIT);
        Execution d1 = quire.execution(e1.id());
        Execution d2 = quire.execution(e2.id());

        assertThat(List.of(d1, d2, d3)).extracting(Execution::status).containsOnly(ExecutionStatus.SUCCEEDED);
        assertThat(d2.startedAt().orElseThrow()).isAfterOrEqualTo(d1.finishedAt().orElseThrow());
        assertThat(d3.startedAt().orElseThrow()).isAfterOrEqualTo(d2.finishedAt().orElseThrow());
        assertThat(List.of(d1, d2, d3)).extracting(e -> e.cells().getFirst().executionCount().orElseThrow())
                .containsExactly(1, 2, 3);
    }

    @Test
    void outputsAreSavedIntoTheFile_whileTheCellRuns_andAfter_withoutAnyClientWaiting() {
        String fileId = notebook("lid.ipynb", code("c1", "print:early\nsleep:2500\nprint:late"));
        QuireClient leaving = client(FakeKernelServer.TOKEN);
        Execution started = leaving.execute(leaving.createSession(fileId).id(), "c1");
        // the client goes away: nobody polls the execution from here on

        Await.until(WAIT, "'early' saved while the cell still runs", () -> {
            JsonNode saved = notebooks.read("lid.ipynb");
            return saved != null && TestNotebooks.stdout(TestNotebooks.cell(saved, "c1")).equals("early\n");
        });
        assertThat(quire.execution(started.id()).status()).isEqualTo(ExecutionStatus.RUNNING);
        Await.until(WAIT, "'late' saved once the cell ended", () -> {
            JsonNode saved = notebooks.read("lid.ipynb");
            return saved != null && TestNotebooks.stdout(TestNotebooks.cell(saved, "c1")).equals("early\nlate\n")
                    && TestNotebooks.cell(saved, "c1").path("execution_count").asInt() == 1;
        });
        assertThat(quire.awaitExecution(started.id(), WAIT).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void cancel_dropsAQueuedExecution_andInterruptsARunningOne_savingWhatItPrinted() {
        String fileId = notebook("cancel.ipynb", code("c1", "print:before\nsleep:30000\nprint:never"),
                code("c2", "print:queued"));
        KernelSession session = quire.createSession(fileId);
        Execution running = quire.execute(session.id(), "c1");
        Execution queued = quire.execute(session.id(), "c2");
        Await.until(WAIT, "the first execution to run its cell", () -> quire.execution(running.id()).cells()
                .getFirst().stream("stdout").equals("before\n"));

        Execution dropped = quire.cancelExecution(queued.id());
        quire.cancelExecution(running.id());
        Execution interrupted = quire.awaitExecution(running.id(), WAIT);

        assertThat(dropped.status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(dropped.cells()).extracting(ExecutionCell::status).containsExactly(CellStatus.CANCELLED);
        assertThat(dropped.error().orElseThrow().code()).isEqualTo("cancelled");
        assertThat(interrupted.status()).isEqualTo(ExecutionStatus.CANCELLED);
        ExecutionCell cell = interrupted.cells().getFirst();
        assertThat(cell.status()).isEqualTo(CellStatus.CANCELLED);
        assertThat(cell.stream("stdout")).isEqualTo("before\n");
        assertThat(cell.outputs()).anySatisfy(output -> assertThat(output.path("ename").asText())
                .isEqualTo("KeyboardInterrupt"));
        JsonNode saved = notebooks.read("cancel.ipynb");
        assertThat(TestNotebooks.stdout(TestNotebooks.cell(saved, "c1"))).isEqualTo("before\n");
        assertThat(TestNotebooks.cell(saved, "c2").path("outputs")).isEmpty();
        // the session goes on: a later execution runs
        assertThat(quire.awaitExecution(quire.execute(session.id(), "c2").id(), WAIT).status())
                .isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(quire.cancelExecution(queued.id()).status()).as("cancelling again changes nothing")
                .isEqualTo(ExecutionStatus.CANCELLED);
    }

    @Test
    void aFailingCell_failsTheExecution_andTheCellsAfterItAreSkipped() {
        String fileId = notebook("fail.ipynb", code("c1", "error:NameError:name 'x' is not defined"),
                code("c2", "print:not run"));
        KernelSession session = quire.createSession(fileId);

        Execution done = quire.awaitExecution(quire.executeAll(session.id()).id(), WAIT);

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error().orElseThrow().code()).isEqualTo("cell_error");
        assertThat(done.error().orElseThrow().ename()).hasValue("NameError");
        assertThat(done.cells()).extracting(ExecutionCell::status).containsExactly(CellStatus.FAILED,
                CellStatus.SKIPPED);
        assertThat(done.cell("c2").orElseThrow().error().orElseThrow().code()).isEqualTo("previous_cell_failed");
        JsonNode saved = notebooks.read("fail.ipynb");
        assertThat(TestNotebooks.cell(saved, "c1").path("outputs").get(0).path("ename").asText())
                .isEqualTo("NameError");
        assertThat(TestNotebooks.cell(saved, "c2").path("outputs")).isEmpty();
    }

    @Test
    void cellsEditedOrDeletedWhileQueued_runTheirNewSource_orAreSkipped_andOtherEditsAreKept() {
        String fileId = notebook("edit.ipynb", code("c0", "sleep:1500"), code("c1", "print:old"),
                code("c2", "print:gone"), code("c3", "print:keep"));
        KernelSession session = quire.createSession(fileId);
        Execution blocker = quire.execute(session.id(), "c0");
        Execution later = quire.execute(session.id(), List.of("c1", "c2", "c3"));

        ObjectNode edited = (ObjectNode) quire.notebook(fileId);
        ArrayNode cells = (ArrayNode) edited.get("cells");
        ((ObjectNode) cells.get(1)).put("source", "print:new");
        cells.remove(2);
        cells.add(TestNotebooks.markdown("m9", "added meanwhile"));
        quire.saveNotebook(fileId, edited);
        Execution done = quire.awaitExecution(later.id(), WAIT);

        assertThat(quire.execution(blocker.id()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(done.status()).as("%s", done).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(done.cell("c1").orElseThrow().stream("stdout")).isEqualTo("new\n");
        assertThat(done.cell("c2").orElseThrow().status()).isEqualTo(CellStatus.SKIPPED);
        assertThat(done.cell("c2").orElseThrow().error().orElseThrow().code()).isEqualTo("cell_not_found");
        assertThat(done.cell("c3").orElseThrow().stream("stdout")).isEqualTo("keep\n");
        JsonNode saved = notebooks.read("edit.ipynb");
        assertThat(saved.path("cells")).extracting(cell -> cell.path("id").asText())
                .containsExactly("c0", "c1", "c3", "m9");
        assertThat(TestNotebooks.cell(saved, "c1").path("source").asText()).isEqualTo("print:new");
        assertThat(TestNotebooks.stdout(TestNotebooks.cell(saved, "c1"))).isEqualTo("new\n");
    }

    @Test
    void executeAll_onANotebookWithoutCellIds_givesItsCellsIdsFirst() {
        ObjectNode old = TestNotebooks.notebook(FAKE, code("x", "print:legacy"));
        old.put("nbformat_minor", 4);
        ((ObjectNode) old.path("cells").get(0)).remove("id");
        String fileId = quire.fileByPath(notebooks.write("old.ipynb", old)).id();
        KernelSession session = quire.createSession(fileId);

        Execution done = quire.awaitExecution(quire.executeAll(session.id()).id(), WAIT);

        JsonNode saved = notebooks.read("old.ipynb");
        assertThat(saved.path("nbformat_minor").asInt()).isEqualTo(5);
        String id = saved.path("cells").get(0).path("id").asText();
        assertThat(id).isNotBlank();
        assertThat(done.cells()).extracting(ExecutionCell::cellId).containsExactly(id);
        assertThat(TestNotebooks.stdout(saved.path("cells").get(0))).isEqualTo("legacy\n");
    }

    @Test
    void restart_cancelsTheSessionsExecutions_andDelete_endsTheSessionAndItsKernel() throws Exception {
        String fileId = notebook("life.ipynb", code("c1", "sleep:30000"), code("c2", "print:x"));
        KernelSession session = quire.createSession(fileId);
        Execution running = quire.execute(session.id(), "c1");
        Execution queued = quire.execute(session.id(), "c2");
        Await.until(WAIT, "the cell to run", () -> quire.execution(running.id()).status() == ExecutionStatus.RUNNING);

        KernelSession restarted = quire.restartSession(session.id());

        assertThat(restarted.kernelId()).isEqualTo(session.kernelId());
        assertThat(quire.awaitExecution(running.id(), WAIT).error().orElseThrow().code()).isEqualTo("kernel_restarted");
        assertThat(quire.execution(running.id()).status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(quire.execution(queued.id()).status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(quire.awaitExecution(quire.execute(session.id(), "c2").id(), WAIT).status())
                .isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(quire.interruptSession(session.id()).id()).isEqualTo(session.id());

        quire.deleteSession(session.id());

        assertThatThrownBy(() -> quire.session(session.id())).isInstanceOfSatisfying(QuireApiException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        assertThat(ServerFixture.json(server.get("/api/sessions"))).isEmpty();
        assertThat(ServerFixture.json(server.get("/api/kernels"))).isEmpty();
        assertThat(quire.sessions()).isEmpty();
    }

    @Test
    void unknownIdsAndBadRequests_areAnsweredInTheOneErrorShape() throws Exception {
        String fileId = notebook("bad.ipynb", code("c1", "print:x"), TestNotebooks.markdown("m1", "text"));
        Files.writeString(server.root.resolve("plain.txt"), "text");
        String textId = quire.fileByPath("plain.txt").id();
        String sessionId = quire.createSession(fileId).id();
        String executions = "/api/v1/sessions/" + sessionId + "/executions";

        assertCode(server.get("/api/v1/sessions/nope"), 404, "not_found");
        assertCode(server.delete("/api/v1/sessions/nope"), 404, "not_found");
        assertCode(server.post("/api/v1/sessions/nope/interrupt", ""), 404, "not_found");
        assertCode(server.post("/api/v1/sessions/nope/restart", ""), 404, "not_found");
        assertCode(server.post("/api/v1/sessions/nope/executions", "{\"all\": true}"), 404, "not_found");
        assertCode(server.get("/api/v1/executions/nope"), 404, "not_found");
        assertCode(server.post("/api/v1/executions/nope/cancel", ""), 404, "not_found");
        assertCode(server.post("/api/v1/files/f_nope/sessions", "{}"), 404, "not_found");
        assertCode(server.post("/api/v1/files/" + textId + "/sessions", "{}"), 400, "not_a_notebook");
        assertCode(server.post(executions, "{\"cell_id\": \"zz\"}"), 409, "cell_not_found");
        assertCode(server.post(executions, "{\"cell_ids\": [\"c1\", \"zz\"]}"), 409, "cell_not_found");
        assertCode(server.post(executions, "{\"cell_id\": \"m1\"}"), 409, "not_code_cell");
        assertCode(server.post(executions, "{}"), 400, "bad_request");
        assertCode(server.post(executions, "{\"cell_id\": \"c1\", \"all\": true}"), 400, "bad_request");
        assertCode(server.post(executions, "{\"cell_ids\": []}"), 400, "bad_request");
        assertCode(server.post(executions, "{\"cell_ids\": [\"c1\", \"c1\"]}"), 400, "bad_request");
        assertCode(server.post(executions, "{\"all\": false}"), 400, "bad_request");
        assertCode(server.post(executions, "{\"cell_id\": 7}"), 400, "bad_request");
        assertCode(server.post(executions, "{\"all\": tru"), 400, "bad_request");
        assertCode(server.post("/api/v1/files/" + fileId + "/sessions", "{\"kernel_spec\": 3}"), 400, "bad_request");
        assertThatThrownBy(() -> quire.execution("nope")).isInstanceOfSatisfying(QuireApiException.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.error().message()).contains("nope");
        });
    }

    @Test
    void withoutTheToken_everySessionRouteIs401() throws Exception {
        String fileId = notebook("auth.ipynb", code("c1", "print:x"));
        String sessionId = quire.createSession(fileId).id();
        QuireClient anonymous = client(null);

        for (HttpRequest request : List.of(
                unauthenticated("/api/v1/sessions").GET().build(),
                unauthenticated("/api/v1/sessions/" + sessionId).DELETE().build(),
                unauthenticated("/api/v1/files/" + fileId + "/sessions").POST(HttpRequest.BodyPublishers.noBody()).build(),
                unauthenticated("/api/v1/sessions/" + sessionId + "/executions")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"all\": true}")).build(),
                unauthenticated("/api/v1/executions/x").GET().build())) {
            FakeKernelServer.assertJsonError(server.fixture.send(request), 401);
        }
        assertThatThrownBy(anonymous::sessions).isInstanceOfSatisfying(QuireApiException.class,
                e -> assertThat(e.status()).isEqualTo(401));
        assertThat(quire.session(sessionId).id()).as("the session survived").isEqualTo(sessionId);
    }

    @Test
    void kernelChannels_executesOnePlusOne_joinsLargeFragmentedMessages_andReportsTheClose() throws Exception {
        KernelSession session = quire.createSession(notebook("ws.ipynb", code("c1", "print:x")));
        String big = "y".repeat(300_000);
        KernelChannels channels = quire.kernelChannels(session);
        try {
            List<String> types = new java.util.concurrent.CopyOnWriteArrayList<>();
            channels.onMessage(message -> types.add(message.channel() + "/" + message.msgType()));

            KernelExecution sum = channels.execute("1+1", WAIT);
            KernelExecution large = channels.execute("print:" + big, WAIT);

            assertThat(sum.isOk()).isTrue();
            assertThat(sum.resultText()).hasValue("2");
            assertThat(sum.executionCount()).hasValue(1);
            assertThat(types).contains("shell/execute_reply", "iopub/execute_result", "iopub/status");
            assertThat(large.stream("stdout")).isEqualTo(big + "\n");

            quire.deleteSession(session.id());
            KernelChannels.CloseStatus status = channels.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(status.code()).isEqualTo(1000);
            assertThat(channels.isOpen()).isFalse();
            assertThat(channels.execute("1+1")).failsWithin(WAIT)
                    .withThrowableThat().havingRootCause().withMessageContaining("closed with code 1000");
        } finally {
            channels.close();
        }
    }

    @Test
    void kernelChannels_refusesAClientWithoutTheToken_andAnUnknownKernel() {
        KernelSession session = quire.createSession(notebook("wsauth.ipynb", code("c1", "print:x")));

        assertThatThrownBy(() -> client(null).kernelChannels(session.kernelId()))
                .isInstanceOfSatisfying(QuireApiException.class, e -> assertThat(e.status()).isBetween(400, 403));
        assertThatThrownBy(() -> quire.kernelChannels("no-such-kernel"))
                .isInstanceOfSatisfying(QuireApiException.class, e -> assertThat(e.status()).isBetween(400, 404));
    }

    private HttpRequest.Builder unauthenticated(String path) {
        return HttpRequest.newBuilder(server.fixture.uri(path)).timeout(WAIT)
                .header("Content-Type", "application/json");
    }

    private static void assertCode(HttpResponse<String> response, int status, String code) throws IOException {
        JsonNode error = FakeKernelServer.assertJsonError(response, status);
        assertThat(error.path("code").asText()).as("code of %s", response.body()).isEqualTo(code);
    }
}
