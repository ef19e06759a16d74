package io.quire.server.rtu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quire.client.rtu.CollabSession;
import io.quire.client.rtu.RtuClient;
import io.quire.collab.Delta;
import io.quire.collab.TextOperation;
import io.quire.collab.rtu.RtuEvent;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.notebook.CodeCell;
import io.quire.notebook.Notebook;
import io.quire.server.QuireServer;
import io.quire.server.ServerConfig;
import io.quire.server.kernels.KernelBackend;
import io.quire.server.team.TeamAdmin;
import io.quire.server.v1.FileIds;
import io.quire.store.ResourceRole;
import io.quire.store.Store;
import io.quire.store.StoreConfig;
import io.quire.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores of a notebook that is edited live (decision 0034): a Jupyter checkpoint restore and a v1 version restore
 * become deltas of the file's log, by the caller, so subscribers get the restored notebook, the file (or the head
 * version) is written from the log and agrees with it, and a later write from the log does not undo the restore.
 * The responses stay what they were; files without a log and text files are restored as before.
 */
class RtuRestoreTest {
    static final String TOKEN = "rtu-restore-token";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String NOTEBOOK = """
            {"cells": [{"cell_type": "code", "id": "c1", "metadata": {}, "source": "x = 1", "outputs": [],
             "execution_count": null},
             {"cell_type": "markdown", "id": "m1", "metadata": {}, "source": "# Title"}],
             "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""";

    @TempDir
    Path dir;

    private QuireServer singleUser() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        ServerConfig config = ServerConfig.defaults().with("port", "0", "test").with("root", root.toString(), "test")
                .with("token", TOKEN, "test").with("state-dir", dir.resolve("state").toString(), "test")
                .with("default-kernel", FakeKernelProvisioner.KERNEL_NAME, "test")
                .with("rtu-write-after", "0.2", "test");
        return QuireServer.start(config, KernelBackend.of(FakeKernelProvisioner.registry(
                Files.createDirectories(dir.resolve("data"))), FakeKernelProvisioner.create()), "test");
    }

    private Path write(String name, String text) throws Exception {
        Path path = dir.resolve("root").resolve(name);
        Files.writeString(path, text, StandardCharsets.UTF_8);
        return path;
    }

    private static CollabSession open(QuireServer server, String token, String name,
            Consumer<RtuEvent.Server> listener) {
        return RtuClient.create(URI.create("http://127.0.0.1:" + server.port()), token).open(FileIds.of(name), WAIT,
                listener);
    }

    private static HttpResponse<String> send(QuireServer server, String token, String method, String path,
            String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "token " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Changes the notebook every way a live client can: a source edit, a new cell, a deleted cell. */
    private static void editLive(CollabSession live) {
        live.edit(h -> new Delta.EditSource(h, "c1", TextOperation.builder().retain(5).insert("\ny = 2").build()));
        live.edit(h -> new Delta.InsertCell(h, 2, CodeCell.of(Optional.of("n1"), "z = 3")));
        live.edit(h -> new Delta.DeleteCell(h, "m1"));
        live.awaitQuiet(WAIT);
    }

    private static JsonNode restoredNotebook() {
        return Notebook.parse(NOTEBOOK).toJson();
    }

    private static Notebook onDisk(Path path) {
        try {
            return Notebook.parse(Files.readString(path, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The log seq of a file's newest version (-1 when it has none). */
    private static long headLogSeq(QuireServer server, String token, String file) {
        try {
            JsonNode logSeq = JSON.readTree(send(server, token, "GET", file + "/versions", null).body()).get(0)
                    .get("log_seq");
            return logSeq.isNull() ? -1 : logSeq.asLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> ids(Notebook notebook) {
        return notebook.cells().stream().map(cell -> cell.id().orElseThrow()).toList();
    }

    private static List<String> authorsAfter(List<RtuEvent.Server> events, long seq) {
        return events.stream().filter(RtuEvent.DeltaEvent.class::isInstance).map(RtuEvent.DeltaEvent.class::cast)
                .filter(event -> event.delta().seq() > seq).map(event -> event.delta().delta().header().author())
                .toList();
    }

    @Test
    void checkpointRestore_whileSubscribed_reachesTheClient_andTheFileAgreesWithTheLog() throws Exception {
        try (QuireServer server = singleUser()) {
            Path path = write("live.ipynb", NOTEBOOK);
            HttpResponse<String> created = send(server, TOKEN, "POST", "/api/contents/live.ipynb/checkpoints", "");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            List<RtuEvent.Server> events = new CopyOnWriteArrayList<>();
            try (CollabSession live = open(server, TOKEN, "live.ipynb", events::add)) {
                editLive(live);
                long before = live.seq();
                Await.until(WAIT, "the live edits written to the file",
                        () -> onDisk(path).toJson().equals(live.document().toJson()));

                HttpResponse<String> restored = send(server, TOKEN, "POST",
                        "/api/contents/live.ipynb/checkpoints/checkpoint", "");

                assertThat(restored.statusCode()).as(restored.body()).isEqualTo(204);
                assertThat(restored.body()).isEmpty();
                Await.until(WAIT, "the restore reaching the subscriber",
                        () -> live.document().toJson().equals(restoredNotebook()));
                assertThat(live.seq()).isGreaterThan(before);
                assertThat(authorsAfter(events, before)).isNotEmpty().containsOnly("local");
                assertThat(onDisk(path).toJson()).isEqualTo(restoredNotebook());

                // the log goes on from the restored document: the next edit lands on it, and its write keeps it
                live.edit(h -> new Delta.EditSource(h, "m1", TextOperation.builder().retain(7).insert("!").build()));
                live.awaitQuiet(WAIT);
                assertThat(live.rejections()).isEmpty();
                Await.until(WAIT, "the next edit written over the restored file",
                        () -> onDisk(path).toJson().equals(live.document().toJson()));
                assertThat(ids(live.document())).containsExactly("c1", "m1");
                assertThat(live.document().cell(0).source().text()).isEqualTo("x = 1");
            }
        }
    }

    @Test
    void checkpointRestore_withoutSubscribers_ofANotebookWithALog_goesThroughTheLog() throws Exception {
        try (QuireServer server = singleUser()) {
            Path path = write("left.ipynb", NOTEBOOK);
            assertThat(send(server, TOKEN, "POST", "/api/contents/left.ipynb/checkpoints", "").statusCode())
                    .isEqualTo(201);
            try (CollabSession live = open(server, TOKEN, "left.ipynb", event -> { })) {
                editLive(live);
            }
            Await.until(WAIT, "the edits written when the client left",
                    () -> ids(onDisk(path)).contains("n1"));

            HttpResponse<String> restored = send(server, TOKEN, "POST",
                    "/api/contents/left.ipynb/checkpoints/checkpoint", "");

            assertThat(restored.statusCode()).as(restored.body()).isEqualTo(204);
            assertThat(onDisk(path).toJson()).isEqualTo(restoredNotebook());
            try (CollabSession next = open(server, TOKEN, "left.ipynb", event -> { })) {
                assertThat(next.document().toJson()).isEqualTo(restoredNotebook());
            }
            assertThat(onDisk(path).toJson()).isEqualTo(restoredNotebook());
        }
    }

    @Test
    void checkpointRestore_ofALiveNotebook_toSomethingThatIsNotANotebook_isRefused_andTheFileKeepsTheLog()
            throws Exception {
        try (QuireServer server = singleUser()) {
            Path path = write("broken.ipynb", NOTEBOOK);
            assertThat(send(server, TOKEN, "POST", "/api/contents/broken.ipynb/checkpoints", "").statusCode())
                    .isEqualTo(201);
            Files.writeString(dir.resolve("root/.ipynb_checkpoints/broken-checkpoint.ipynb"), "{not json");
            try (CollabSession live = open(server, TOKEN, "broken.ipynb", event -> { })) {
                editLive(live);

                HttpResponse<String> restored = send(server, TOKEN, "POST",
                        "/api/contents/broken.ipynb/checkpoints/checkpoint", "");

                assertThat(restored.statusCode()).as(restored.body()).isEqualTo(400);
                assertThat(JSON.readTree(restored.body()).get("code").asText()).isEqualTo("not_a_notebook");
                assertThat(restored.body()).contains("broken.ipynb");
                assertThat(onDisk(path).toJson()).isEqualTo(live.document().toJson());
            }
        }
    }

    /** Regression guard, not a change: files no log follows are restored by the contents backend as before. */
    @Test
    void checkpointRestore_ofATextFile_andOfANotebookWithoutALog_isUnchanged() throws Exception {
        try (QuireServer server = singleUser()) {
            Path text = write("notes.txt", "first");
            assertThat(send(server, TOKEN, "POST", "/api/contents/notes.txt/checkpoints", "").statusCode())
                    .isEqualTo(201);
            Files.writeString(text, "second");
            Path notebook = write("plain.ipynb", NOTEBOOK);
            assertThat(send(server, TOKEN, "POST", "/api/contents/plain.ipynb/checkpoints", "").statusCode())
                    .isEqualTo(201);
            write("plain.ipynb", NOTEBOOK.replace("x = 1", "x = 99"));

            assertThat(send(server, TOKEN, "POST", "/api/contents/notes.txt/checkpoints/checkpoint", "")
                    .statusCode()).isEqualTo(204);
            assertThat(send(server, TOKEN, "POST", "/api/contents/plain.ipynb/checkpoints/checkpoint", "")
                    .statusCode()).isEqualTo(204);

            assertThat(Files.readString(text)).isEqualTo("first");
            assertThat(onDisk(notebook).toJson()).isEqualTo(restoredNotebook());
            HttpResponse<String> missing = send(server, TOKEN, "POST",
                    "/api/contents/plain.ipynb/checkpoints/nope", "");
            assertThat(missing.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void teamMode_versionRestore_whileSubscribed_becomesDeltasByTheCaller_andTheHeadVersionAgrees() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("quire").toAbsolutePath() + ";DB_CLOSE_DELAY=-1";
        try (Store store = Store.open(StoreConfig.builder(url).build())) {
            TeamAdmin.Bootstrap org = new TeamAdmin(store, Clock.systemUTC()).initOrganisation("Org", "o@x.example");
            String token = org.token().secret();
            try (QuireServer server = TeamServers.start(store, dir, "a", Map.of("rtu-write-after", "0.2"))) {
                TeamServers.save(server, token, "t.ipynb", NOTEBOOK);
                String file = "/api/v1/files/" + FileIds.of("t.ipynb");
                JsonNode versions = JSON.readTree(send(server, token, "GET", file + "/versions", null).body());
                String first = versions.get(versions.size() - 1).get("id").asText();
                List<RtuEvent.Server> events = new CopyOnWriteArrayList<>();
                try (CollabSession live = open(server, token, "t.ipynb", events::add)) {
                    // the listener hears 'subscribed' right after the session applied it
                    Await.until(WAIT, "the subscribed event", () -> events.stream()
                            .anyMatch(RtuEvent.Subscribed.class::isInstance));
                    String user = events.stream().filter(RtuEvent.Subscribed.class::isInstance)
                            .map(e -> ((RtuEvent.Subscribed) e).user()).findFirst().orElseThrow();
                    editLive(live);
                    long before = live.seq();
                    Await.until(WAIT, "the live edits written as a version",
                            () -> headLogSeq(server, token, file) == before);

                    HttpResponse<String> restored = send(server, token, "POST", file + "/versions/" + first
                            + "/restore", null);

                    assertThat(restored.statusCode()).as(restored.body()).isEqualTo(201);
                    JsonNode version = JSON.readTree(restored.body());
                    assertThat(version.get("restored_from").asText()).isEqualTo(first);
                    assertThat(version.get("author").asText()).isEqualTo(user);
                    Await.until(WAIT, "the restore reaching the subscriber",
                            () -> live.document().toJson().equals(restoredNotebook()));
                    assertThat(authorsAfter(events, before)).isNotEmpty().containsOnly(user);
                    assertThat(headLogSeq(server, token, file)).isEqualTo(live.seq());
                    HttpResponse<String> content = send(server, token, "GET", file + "/content", null);
                    assertThat(Notebook.fromJson(JSON.readTree(content.body())).toJson()).isEqualTo(restoredNotebook());

                    // a jupyter checkpoint restore (a named version) goes through the log as well
                    live.edit(h -> new Delta.EditSource(h, "c1", TextOperation.builder().retain(5).insert("0")
                            .build()));
                    live.awaitQuiet(WAIT);
                    assertThat(send(server, token, "PATCH", file + "/versions/" + first, "{\"name\": \"start\"}")
                            .statusCode()).isEqualTo(200);
                    HttpResponse<String> checkpoint = send(server, token, "POST",
                            "/api/contents/t.ipynb/checkpoints/" + first, "");
                    assertThat(checkpoint.statusCode()).as(checkpoint.body()).isEqualTo(204);
                    Await.until(WAIT, "the checkpoint restore reaching the subscriber",
                            () -> live.document().toJson().equals(restoredNotebook()));
                    Await.until(WAIT, "the head version written from the log",
                            () -> headLogSeq(server, token, file) == live.seq());
                }
            }
        }
    }

    /** Regression guard, not a change: who may restore is still the store's decision, and a refusal leaves no delta. */
    @Test
    void teamMode_viewersRestore_ofALiveNotebook_isRefusedAsBefore_withoutDeltas() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("quire").toAbsolutePath() + ";DB_CLOSE_DELAY=-1";
        try (Store store = Store.open(StoreConfig.builder(url).build())) {
            TeamAdmin.Bootstrap org = new TeamAdmin(store, Clock.systemUTC()).initOrganisation("Org", "o@x.example");
            String token = org.token().secret();
            String viewer = TeamServers.member(store, org.organisation().id(), org.project(), "v@x.example",
                    Optional.of(ResourceRole.VIEWER));
            try (QuireServer server = TeamServers.start(store, dir, "a", Map.of("rtu-write-after", "0.2"))) {
                TeamServers.save(server, token, "v.ipynb", NOTEBOOK);
                String file = "/api/v1/files/" + FileIds.of("v.ipynb");
                JsonNode versions = JSON.readTree(send(server, token, "GET", file + "/versions", null).body());
                String first = versions.get(versions.size() - 1).get("id").asText();
                try (CollabSession live = open(server, token, "v.ipynb", event -> { })) {
                    editLive(live);
                    long seq = live.seq();

                    HttpResponse<String> version = send(server, viewer, "POST", file + "/versions/" + first
                            + "/restore", null);
                    HttpResponse<String> checkpoint = send(server, viewer, "POST",
                            "/api/contents/v.ipynb/checkpoints/" + first, "");

                    assertThat(version.statusCode()).as(version.body()).isEqualTo(403);
                    assertThat(checkpoint.statusCode()).as(checkpoint.body()).isEqualTo(403);
                    live.edit(h -> new Delta.EditSource(h, "c1", TextOperation.builder().retain(11).insert("!")
                            .build()));
                    live.awaitQuiet(WAIT);
                    assertThat(live.seq()).isEqualTo(seq + 1); // nothing came in between
                }
            }
        }
    }
}
