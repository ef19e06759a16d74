package io.quire.server.rtu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quire.client.rtu.CollabSession;
import io.quire.client.rtu.RtuClient;
import io.quire.collab.Delta;
import io.quire.collab.TextOperation;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.notebook.Notebook;
import io.quire.server.QuireServer;
import io.quire.server.ServerConfig;
import io.quire.server.kernels.KernelBackend;
import io.quire.server.team.TeamAdmin;
import io.quire.server.v1.FileIds;
import io.quire.store.Backend;
import io.quire.store.FileId;
import io.quire.store.Store;
import io.quire.store.StoreConfig;
import io.quire.store.TestDatabases;
import io.quire.store.Version;
import io.quire.store.VersionContent;
import io.quire.testing.Await;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Live edits reach the file (single-user) or a new version (team mode) without any contents save: when the log has
 * been quiet for {@code rtu-write-after}, and when the last subscriber leaves; with two nodes each state is written
 * once and never after a newer one; {@code GET /api/v1/files/{id}/content?at=T} reads the log's past (decision 0029).
 */
class RtuLogWritesTest {
    static final String TOKEN = "rtu-writes-token";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String NOTEBOOK = """
            {"cells": [{"cell_type": "code", "id": "c1", "metadata": {}, "source": "x = 1", "outputs": [],
             "execution_count": null}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""";

    @TempDir
    Path dir;

    private QuireServer singleUser(String writeAfter) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        ServerConfig config = ServerConfig.defaults().with("port", "0", "test").with("root", root.toString(), "test")
                .with("token", TOKEN, "test").with("state-dir", dir.resolve("state").toString(), "test")
                .with("default-kernel", FakeKernelProvisioner.KERNEL_NAME, "test")
                .with("rtu-write-after", writeAfter, "test");
        return QuireServer.start(config, KernelBackend.of(FakeKernelProvisioner.registry(
                Files.createDirectories(dir.resolve("data"))), FakeKernelProvisioner.create()), "test");
    }

    private Path file(String name) throws Exception {
        Path path = dir.resolve("root").resolve(name);
        Files.writeString(path, NOTEBOOK, StandardCharsets.UTF_8);
        return path;
    }

    private static CollabSession open(QuireServer server, String token, String name) {
        return RtuClient.create(URI.create("http://127.0.0.1:" + server.port()), token).open(FileIds.of(name), WAIT);
    }

    private static Delta append(CollabSession session, String text) {
        int length = session.document().cell(0).source().text().length();
        return session.edit(h -> new Delta.EditSource(h, "c1", TextOperation.builder().retain(length).insert(text)
                .build()));
    }

    private static String sourceOnDisk(Path path) {
        try {
            return Notebook.parse(Files.readString(path, StandardCharsets.UTF_8)).cell(0).source().text();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> contentAt(QuireServer server, String token, String name, String query)
            throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/files/"
                        + FileIds.of(name) + "/content?" + query)).header("Authorization", "token " + token).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void liveEdits_reachTheFile_afterTheLogIsQuiet_withoutAnySave() throws Exception {
        try (QuireServer server = singleUser("0.3")) {
            Path path = file("quiet.ipynb");
            try (CollabSession live = open(server, TOKEN, "quiet.ipynb")) {
                append(live, "\ny = 2");
                live.awaitQuiet(WAIT);
                Await.until(WAIT, "the edit written to the file", () -> sourceOnDisk(path).equals("x = 1\ny = 2"));
                assertThat(Notebook.parse(Files.readString(path)).toJson()).isEqualTo(live.document().toJson());
                // still subscribed: the next quiet period writes the next edit
                append(live, "\nz = 3");
                live.awaitQuiet(WAIT);
                Await.until(WAIT, "the second edit written", () -> sourceOnDisk(path).endsWith("z = 3"));
            }
        }
    }

    @Test
    void liveEdits_reachTheFile_whenTheLastSubscriberLeaves() throws Exception {
        try (QuireServer server = singleUser("0")) { // 0: never on quiet, only on leaving
            Path path = file("leave.ipynb");
            CollabSession first = open(server, TOKEN, "leave.ipynb");
            CollabSession second = open(server, TOKEN, "leave.ipynb");
            append(first, "\ny = 2");
            first.awaitQuiet(WAIT);
            second.awaitSeq(1, WAIT);
            first.close();
            second.close();
            Await.until(WAIT, "the edit written after the last subscriber left",
                    () -> sourceOnDisk(path).equals("x = 1\ny = 2"));
        }
    }

    @Test
    void contentAt_readsTheLogAsOfATime_andRefusesBadTimes() throws Exception {
        try (QuireServer server = singleUser("0")) {
            file("history.ipynb");
            Instant beforeLog = Instant.now().minusSeconds(60);
            try (CollabSession live = open(server, TOKEN, "history.ipynb")) {
                append(live, "\ny = 2");
                live.awaitQuiet(WAIT);
                Instant between = Instant.now();
                Await.until(WAIT, "the clock moving past the first delta", () -> Instant.now().isAfter(between));
                append(live, "\nz = 3");
                live.awaitQuiet(WAIT);

                HttpResponse<String> then = contentAt(server, TOKEN, "history.ipynb", "at=" + between);
                assertThat(then.statusCode()).as(then.body()).isEqualTo(200);
                assertThat(then.headers().firstValue("Quire-Log-Seq")).contains("1");
                assertThat(Notebook.fromJson(JSON.readTree(then.body())).cell(0).source().text())
                        .isEqualTo("x = 1\ny = 2");
                HttpResponse<String> now = contentAt(server, TOKEN, "history.ipynb", "at="
                        + URLEncoder.encode(Instant.now().atOffset(java.time.ZoneOffset.ofHours(2)).toString(),
                                StandardCharsets.UTF_8));
                assertThat(now.statusCode()).as(now.body()).isEqualTo(200);
                assertThat(now.headers().firstValue("Quire-Log-Seq")).contains("2");
                assertThat(Notebook.fromJson(JSON.readTree(now.body())).toJson()).isEqualTo(live.document().toJson());

                HttpResponse<String> before = contentAt(server, TOKEN, "history.ipynb", "at=" + beforeLog);
                assertThat(before.statusCode()).isEqualTo(404);
                assertThat(JSON.readTree(before.body()).get("code").asText()).isEqualTo("no_history");
                assertThat(before.body()).contains("starts at");

                HttpResponse<String> malformed = contentAt(server, TOKEN, "history.ipynb", "at=yesterday");
                assertThat(malformed.statusCode()).isEqualTo(400);
                assertThat(malformed.body()).contains("'at' must be an ISO-8601 time", "yesterday");
                HttpResponse<String> both = contentAt(server, TOKEN, "history.ipynb", "at=" + between + "&as_of="
                        + between);
                assertThat(both.statusCode()).isEqualTo(400);
            }
            file("never-live.ipynb");
            HttpResponse<String> noLog = contentAt(server, TOKEN, "never-live.ipynb", "at=" + Instant.now());
            assertThat(noLog.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(noLog.body()).get("code").asText()).isEqualTo("no_history");
            assertThat(contentAt(server, TOKEN, "missing.ipynb", "at=" + Instant.now()).statusCode()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void twoNodes_writeEachStateOnce_neverAnOlderOneAfterANewer(Backend backend) throws Exception {
        TestDatabases.requireAvailable(backend);
        String url = backend == Backend.H2 ? "jdbc:h2:file:" + dir.resolve("quire").toAbsolutePath()
                + ";DB_CLOSE_DELAY=-1" : TestDatabases.freshUrl(backend);
        Map<String, String> settings = Map.of("rtu-write-after", "0.2");
        try (Store storeA = Store.open(StoreConfig.builder(url).build());
                Store storeB = Store.open(StoreConfig.builder(url).build())) {
            TeamAdmin.Bootstrap org = new TeamAdmin(storeA, Clock.systemUTC()).initOrganisation("Org", "o@x.example");
            String token = org.token().secret();
            try (QuireServer a = TeamServers.start(storeA, dir, "a", settings);
                    QuireServer b = TeamServers.start(storeB, dir, "b", settings)) {
                TeamServers.save(a, token, "w.ipynb", NOTEBOOK);
                try (CollabSession onA = open(a, token, "w.ipynb"); CollabSession onB = open(b, token, "w.ipynb")) {
                    FileId file = new FileId(onA.logId());
                    for (int round = 0; round < 3; round++) {
                        for (int i = 0; i < 4; i++) {
                            append(i % 2 == 0 ? onA : onB, "\n# " + round + "." + i);
                        }
                        onA.awaitQuiet(WAIT);
                        onB.awaitQuiet(WAIT);
                        long head = Math.max(onA.seq(), onB.seq());
                        onA.awaitSeq(head, WAIT);
                        onB.awaitSeq(head, WAIT);
                        Await.until(WAIT, "a version of log seq " + head, () -> storeB.versions()
                                .lastLogSeq(org.organisation().id(), file).orElse(0L) == head);
                    }
                    List<Version> versions = storeB.versions().list(org.organisation().id(), file);
                    List<Long> logSeqs = versions.stream().flatMap(v -> v.logSeq().stream()).toList();
                    assertThat(logSeqs).as("log seqs of the versions, oldest first").isNotEmpty()
                            .doesNotHaveDuplicates().isSorted();
                    Version last = versions.getLast();
                    assertThat(last.logSeq()).contains(onA.seq());
                    Notebook stored = ((VersionContent.NotebookBody) storeB.versions().read(org.organisation().id(),
                            last.id())).notebook();
                    assertThat(stored.toJson()).isEqualTo(onA.document().toJson());
                    assertThat(last.author()).isEqualTo(org.owner().id()); // the last person who edited
                    // a contents read now serves the live edits
                    HttpResponse<String> read = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                    + b.port() + "/api/v1/files/" + FileIds.of("w.ipynb") + "/content"))
                            .header("Authorization", "token " + token).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    JsonNode body = JSON.readTree(read.body());
                    assertThat(Notebook.fromJson(body).toJson()).isEqualTo(onB.document().toJson());
                    assertThat(Notebook.fromJson(body).cell(0).source().text()).contains("# 2.3", "# 0.0");
                    // the versions API names the log seq of each version (newest first)
                    HttpResponse<String> listed = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                    + a.port() + "/api/v1/files/" + FileIds.of("w.ipynb") + "/versions"))
                            .header("Authorization", "token " + token).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    JsonNode newest = JSON.readTree(listed.body()).get(0);
                    assertThat(newest.get("log_seq").asLong()).isEqualTo(onA.seq());
                    assertThat(JSON.readTree(listed.body()).get(JSON.readTree(listed.body()).size() - 1)
                            .get("log_seq").isNull()).isTrue(); // the first save, not from the log
                }
            }
        }
    }
}
