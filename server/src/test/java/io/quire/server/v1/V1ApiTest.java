package io.quire.server.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.client.FileInfo;
import io.quire.client.FileType;
import io.quire.client.KernelSpecInfo;
import io.quire.client.QuireApiException;
import io.quire.client.QuireClient;
import io.quire.client.Run;
import io.quire.client.RunOptions;
import io.quire.client.RunStatus;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.testing.Await;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The v1 API driven through the Java SDK, over in-JVM fake kernels (spec {@code fake}). */
class V1ApiTest {
    private static final String FAKE = FakeKernelProvisioner.KERNEL_NAME;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = V1TestServer.JSON;

    @TempDir
    Path dir;

    private V1TestServer server;
    private QuireClient quire;

    @BeforeEach
    void start() throws IOException {
        server = V1TestServer.start(dir, FakeKernelProvisioner.create(),
                FakeKernelProvisioner.registry(Files.createDirectories(dir.resolve("data"))), FAKE);
        quire = server.client();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void fileByPath_andById_describeTheFile() {
        server.writeNotebook("sub/a.ipynb", FAKE, "print:x");

        FileInfo byPath = quire.fileByPath("sub/a.ipynb");
        FileInfo byId = quire.file(byPath.id());

        assertThat(byId).isEqualTo(byPath);
        assertThat(byPath.id()).startsWith("f_");
        assertThat(byPath.path()).isEqualTo("sub/a.ipynb");
        assertThat(byPath.name()).isEqualTo("a.ipynb");
        assertThat(byPath.type()).isEqualTo(FileType.NOTEBOOK);
        assertThat(byPath.size()).hasValueSatisfying(size -> assertThat(size).isPositive());
        assertThat(byPath.writable()).isTrue();
    }

    @Test
    void content_ofAnUnchangedNotebook_isTheStoredBytes_fromTheSecondReadOn() throws Exception {
        String path = server.writeNotebook("stored.ipynb", FAKE, "print:x");
        // nbformat's own layout (one-space indent), which a re-serialised tree would not reproduce
        byte[] file = JSON.writer(new com.fasterxml.jackson.core.util.DefaultPrettyPrinter()
                .withObjectIndenter(new com.fasterxml.jackson.core.util.DefaultIndenter(" ", "\n")))
                .writeValueAsBytes(server.readNotebook(path));
        Files.write(server.root.resolve(path), file);
        String id = quire.fileByPath(path).id();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest get = java.net.http.HttpRequest.newBuilder(
                        server.url().resolve("api/v1/files/" + id + "/content"))
                .header("Authorization", "token " + V1TestServer.TOKEN).build();

        byte[] first = http.send(get, java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
        java.net.http.HttpResponse<byte[]> second = http.send(get, java.net.http.HttpResponse.BodyHandlers.ofByteArray());

        assertThat(JSON.readTree(first)).isEqualTo(JSON.readTree(file));
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(second.body()).as("the checked, unchanged file as it is stored").isEqualTo(file);

        quire.saveNotebook(id, V1TestServer.notebook(FAKE, V1TestServer.code("print:changed")));
        JsonNode after = JSON.readTree(http.send(get, java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body());
        assertThat(after.path("cells").get(0).path("source").asText()).as("a changed file is not served stale")
                .isEqualTo("print:changed");
    }

    @Test
    void notebook_returnsTheNotebookJson_andSaveNotebookWritesIt() {
        String path = server.writeNotebook("a.ipynb", FAKE, "print:x");
        String id = quire.fileByPath(path).id();

        ObjectNode notebook = (ObjectNode) quire.notebook(id);
        assertThat(notebook.path("cells").get(0).path("source").asText()).isEqualTo("print:x");
        ((ObjectNode) notebook.path("cells").get(0)).put("source", "print:changed");
        quire.saveNotebook(id, notebook);

        assertThat(server.readNotebook(path).path("cells").get(0).path("source").asText()).isEqualTo("print:changed");
    }

    @Test
    void notebookHead_isTheFirstCellsOfTheNotebook_withItsCellCount() {
        String path = server.writeNotebook("head.ipynb", FAKE, "print:a", "print:b", "print:c", "print:d");
        String id = quire.fileByPath(path).id();
        JsonNode whole = quire.notebook(id);

        io.quire.client.NotebookHead head = quire.notebookHead(id, 2);
        io.quire.client.NotebookHead all = quire.notebookHead(id, 10);

        assertThat(head.totalCells()).isEqualTo(4);
        assertThat(head.complete()).isFalse();
        assertThat(head.notebook().path("cells"))
                .containsExactly(whole.path("cells").get(0), whole.path("cells").get(1));
        assertThat(head.notebook().path("metadata")).isEqualTo(whole.path("metadata"));
        assertThat(all.complete()).isTrue();
        assertThat((JsonNode) all.notebook()).isEqualTo(whole);
    }

    @Test
    void notebookHead_refusesBadCounts_otherFiles_andUnknownIds() throws Exception {
        String path = server.writeNotebook("head.ipynb", FAKE, "print:a");
        String id = quire.fileByPath(path).id();
        Files.writeString(server.root.resolve("plain.txt"), "text");
        String plain = quire.fileByPath("plain.txt").id();
        HttpClient http = HttpClient.newHttpClient();

        for (String query : new String[] {"cells=-1", "cells=x", "cells=10001", "cells=2&at=2026-01-01T00:00:00Z"}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            server.url().resolve("api/v1/files/" + id + "/content?" + query))
                            .header("Authorization", "token " + V1TestServer.TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).path("message").asText()).as(query).contains("cells");
        }
        assertThatThrownBy(() -> quire.notebookHead(plain, 1)).isInstanceOfSatisfying(QuireApiException.class,
                e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> quire.notebookHead("f_nope", 1)).isInstanceOfSatisfying(QuireApiException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(
                server.url().resolve("api/v1/files/" + id + "/content?cells=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void kernelSpecs_listTheFakeKernel() {
        assertThat(quire.kernelSpecs()).extracting(KernelSpecInfo::name, KernelSpecInfo::language)
                .contains(org.assertj.core.groups.Tuple.tuple(FAKE, "python"));
    }

    @Test
    void run_savesOutputsAndPapermillMetadataIntoTheFile() {
        String path = server.writeNotebook("run.ipynb", FAKE, "print:hello", "result:42");
        String id = quire.fileByPath(path).id();

        Run started = quire.startRun(id, RunOptions.defaults());
        Run done = quire.awaitRun(started.id(), WAIT);

        assertThat(done.status()).as("%s", done).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.fileId()).isEqualTo(id);
        assertThat(done.cellsDone()).isEqualTo(done.cellsTotal()).isEqualTo(2);
        assertThat(done.startedAt()).isPresent();
        assertThat(done.finishedAt()).isPresent();
        assertThat(done.failure()).isEmpty();
        JsonNode saved = server.readNotebook(path);
        assertThat(V1TestServer.stdout(saved)).isEqualTo("hello\n");
        assertThat(saved.path("cells").get(1).path("outputs").get(0).path("data").path("text/plain").asText())
                .isEqualTo("42");
        assertThat(saved.path("metadata").path("papermill").path("end_time").isTextual()).isTrue();
        assertThat(saved.path("cells").get(0).path("metadata").path("papermill").path("status").asText())
                .isEqualTo("completed");
        assertThat(quire.runs(id)).extracting(Run::id).containsExactly(started.id());
    }

    @Test
    void clientDisconnectsMidRun_outputsAreStillInTheSavedNotebook() {
        String path = server.writeNotebook("long.ipynb", FAKE, "sleep:1500", "print:after-1", "print:after-2");
        QuireClient leaving = server.client();
        leaving.startRun(leaving.fileByPath(path).id(), RunOptions.defaults());
        // the client goes away: nobody polls the run from here on

        Await.until(WAIT, "the run's outputs and end time in " + path, () -> {
            JsonNode saved = server.readNotebook(path);
            return saved != null && V1TestServer.stdout(saved).equals("after-1\nafter-2\n")
                    && saved.path("metadata").path("papermill").path("end_time").isTextual();
        });
        JsonNode saved = server.readNotebook(path);
        assertThat(saved.path("cells")).allSatisfy(cell -> assertThat(
                cell.path("metadata").path("papermill").path("status").asText()).isEqualTo("completed"));
    }

    @Test
    void cancelRun_interruptsTheKernel_andTheRestNeverRuns() {
        String path = server.writeNotebook("cancel.ipynb", FAKE, "sleep:30000", "print:never");
        String id = quire.fileByPath(path).id();
        Run started = quire.startRun(id, RunOptions.defaults());
        Await.until(WAIT, "the run to reach its first cell", () -> {
            Run run = quire.run(started.id());
            return run.status() == RunStatus.RUNNING && run.cellsTotal() > 0;
        });

        quire.cancelRun(started.id());
        Run done = quire.awaitRun(started.id(), WAIT);

        assertThat(done.status()).as("%s", done).isEqualTo(RunStatus.INTERRUPTED);
        assertThat(done.failure()).isPresent();
        assertThat(V1TestServer.stdout(server.readNotebook(path))).doesNotContain("never");
    }

    @Test
    void failingCell_endsTheRunFailed_withTheCellsError() {
        String path = server.writeNotebook("fail.ipynb", FAKE, "print:a", "error:ValueError:bad value", "print:b");
        Run done = quire.awaitRun(quire.startRun(quire.fileByPath(path).id(), RunOptions.defaults()).id(), WAIT);

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.failure()).hasValueSatisfying(failure -> {
            assertThat(failure.ename()).isEqualTo("ValueError");
            assertThat(failure.evalue()).isEqualTo("bad value");
            assertThat(failure.cellIndex()).isPresent();
            assertThat(failure.executionCount()).isPresent();
        });
        JsonNode saved = server.readNotebook(path);
        assertThat(V1TestServer.stdout(saved)).isEqualTo("a\n");
        int index = done.failure().orElseThrow().cellIndex().orElseThrow();
        assertThat(saved.path("cells").get(index).path("source").asText()).contains("error:ValueError");
    }

    @Test
    void secondRunOfTheSameNotebook_whileOneIsGoing_isAConflict() {
        String path = server.writeNotebook("busy.ipynb", FAKE, "sleep:30000");
        String id = quire.fileByPath(path).id();
        Run first = quire.startRun(id, RunOptions.defaults());

        assertThatThrownBy(() -> quire.startRun(id, RunOptions.defaults()))
                .isInstanceOfSatisfying(QuireApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("run_in_progress");
                });
        quire.cancelRun(first.id());
        assertThat(quire.awaitRun(first.id(), WAIT).status()).isEqualTo(RunStatus.INTERRUPTED);
    }

    @Test
    void unknownFileId_is404() {
        for (String id : new String[] {"f_bm9wZS5pcHluYg", "garbage", "f_!!"}) {
            assertThatThrownBy(() -> quire.file(id)).isInstanceOfSatisfying(QuireApiException.class, e -> {
                assertThat(e.status()).isEqualTo(404);
                assertThat(e.code()).isEqualTo("not_found");
                assertThat(e.error().message()).contains(id);
            });
        }
        assertThatThrownBy(() -> quire.startRun("f_bm9wZS5pcHluYg", RunOptions.defaults()))
                .isInstanceOfSatisfying(QuireApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> quire.run("no-such-run"))
                .isInstanceOfSatisfying(QuireApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void malformedNotebookPut_is400_namingTheJsonPath() throws IOException {
        String path = server.writeNotebook("a.ipynb", FAKE, "print:x");
        String id = quire.fileByPath(path).id();
        ObjectNode bad = V1TestServer.notebook(FAKE, V1TestServer.code("print:x"));
        ((ObjectNode) bad.path("cells").get(0)).put("execution_count", "three");

        assertThatThrownBy(() -> quire.saveNotebook(id, bad)).isInstanceOfSatisfying(QuireApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.error().message()).contains("cells").contains("execution_count");
        });
        assertThat(server.readNotebook(path).path("cells").get(0).path("execution_count").isNull()).isTrue();
    }

    @Test
    void parametersOfTheWrongType_are400() throws Exception {
        String path = server.writeNotebook("p.ipynb", FAKE, "print:x");
        String id = quire.fileByPath(path).id();

        assertThatThrownBy(() -> quire.startRun(id, RunOptions.builder().parameter("1x", 1).build()))
                .isInstanceOfSatisfying(QuireApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error().message()).contains("1x");
                });
        HttpResponse<String> list = post("/api/v1/files/" + id + "/runs", "{\"parameters\": [1, 2]}");
        assertThat(list.statusCode()).isEqualTo(400);
        assertThat(V1TestServer.JSON.readTree(list.body()).path("message").asText()).contains("parameters");
        HttpResponse<String> timeout = post("/api/v1/files/" + id + "/runs", "{\"timeout_seconds\": \"ten\"}");
        assertThat(timeout.statusCode()).isEqualTo(400);
        assertThat(V1TestServer.JSON.readTree(timeout.body()).path("code").asText()).isEqualTo("bad_request");
        assertThat(quire.runs(id)).isEmpty();
    }

    @Test
    void unknownKernel_is400() {
        String path = server.writeNotebook("k.ipynb", FAKE, "print:x");
        assertThatThrownBy(() -> quire.startRun(quire.fileByPath(path).id(),
                RunOptions.builder().kernel("no-such-kernel").build()))
                .isInstanceOfSatisfying(QuireApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("unknown_kernel");
                });
    }

    @Test
    void requestsWithoutTheToken_are401() {
        QuireClient anonymous = QuireClient.builder().baseUrl(server.url()).build();
        assertThatThrownBy(anonymous::kernelSpecs).isInstanceOfSatisfying(QuireApiException.class,
                e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void openApi_isServedAsYaml_orJsonWhenAsked() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> yaml = http.send(HttpRequest.newBuilder(server.url().resolve("openapi"))
                .header("Authorization", "Bearer " + V1TestServer.TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> json = http.send(HttpRequest.newBuilder(server.url().resolve("openapi"))
                .header("Authorization", "Bearer " + V1TestServer.TOKEN).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.headers().firstValue("Content-Type")).hasValue("application/yaml");
        assertThat(yaml.body()).startsWith("openapi: \"3.1.0\"");
        assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(V1TestServer.JSON.readTree(json.body()).path("paths").has("/api/v1/runs/{id}")).isTrue();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.url().resolve(path.substring(1)))
                .header("Authorization", "Bearer " + V1TestServer.TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
