package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.client.FileInfo;
import io.quire.client.FileVersion;
import io.quire.client.FileVersionContent;
import io.quire.client.QuireApiException;
import io.quire.client.QuireClient;
import io.quire.client.VersionDiff;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.server.kernels.KernelBackend;
import io.quire.server.team.TeamAdmin;
import io.quire.server.team.TeamMode;
import io.quire.store.CreatedToken;
import io.quire.store.OrgRole;
import io.quire.store.ResourceRef;
import io.quire.store.ResourceRole;
import io.quire.store.Store;
import io.quire.store.StoreConfig;
import io.quire.store.User;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, versions over the v1 API and the SDK: a team-mode server on an in-memory H2 store with two organisations
 * (an owner each, and a viewer in organisation A), and a filesystem-mode server that has no versions.
 */
@Timeout(120)
class VersionsApiTest {
    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    static Path dir;
    static Store store;
    static QuireServer team;
    static QuireServer filesystem;
    static String filesystemToken;
    static String aliceToken; // notebooks are created through the Jupyter contents API, which the SDK does not speak
    static String bobToken;
    static QuireClient alice;
    static QuireClient bob;
    static QuireClient vera;

    @BeforeAll
    static void start() throws IOException {
        store = Store.open(StoreConfig.builder("jdbc:h2:mem:versionsapi;DB_CLOSE_DELAY=-1").build());
        TeamAdmin admin = new TeamAdmin(store, Clock.systemUTC());
        TeamAdmin.Bootstrap orgA = admin.initOrganisation("Org A", "alice@a.example");
        TeamAdmin.Bootstrap orgB = admin.initOrganisation("Org B", "bob@b.example");
        User viewer = store.users().create("vera@a.example", "Vera", Optional.empty());
        store.memberships().add(orgA.organisation().id(), viewer.id(), OrgRole.MEMBER, Optional.empty());
        store.grants().grant(orgA.organisation().id(), ResourceRef.project(orgA.project()), viewer.id(),
                ResourceRole.VIEWER, Optional.empty());
        CreatedToken viewerToken = store.tokens().create(orgA.organisation().id(), viewer.id(), "test", Set.of(),
                Optional.empty(), Optional.empty());

        team = QuireServer.start(config("team").with("root", Files.createDirectories(dir.resolve("team-root"))
                .toString(), "test"), backend("team"), Optional.of(TeamMode.over(store)), "test");
        aliceToken = orgA.token().secret();
        bobToken = orgB.token().secret();
        alice = client(team, aliceToken);
        bob = client(team, bobToken);
        vera = client(team, viewerToken.secret());

        filesystemToken = ServerConfig.randomToken();
        filesystem = QuireServer.start(config("fs").with("root", Files.createDirectories(dir.resolve("fs-root"))
                .toString(), "test").with("token", filesystemToken, "test"), backend("fs"), Optional.empty(), "test");
    }

    private static ServerConfig config(String name) {
        return ServerConfig.defaults().with("port", "0", "test")
                .with("state-dir", dir.resolve(name + "-state").toString(), "test")
                .with("default-kernel", FakeKernelProvisioner.KERNEL_NAME, "test");
    }

    private static KernelBackend backend(String name) throws IOException {
        return KernelBackend.of(FakeKernelProvisioner.registry(Files.createDirectories(dir.resolve(name + "-data"))),
                FakeKernelProvisioner.create());
    }

    private static QuireClient client(QuireServer server, String token) {
        return QuireClient.builder().baseUrl(URI.create("http://127.0.0.1:" + server.port() + "/")).token(token)
                .build();
    }

    @AfterAll
    static void stop() {
        if (team != null) {
            team.close(); // closes the store too
        }
        if (filesystem != null) {
            filesystem.close();
        }
    }

    /** A notebook whose cells have these ids and sources. */
    private static ObjectNode notebook(String... idsAndSources) {
        ObjectNode notebook = ServerFixture.JSON.createObjectNode();
        ArrayNode cells = notebook.putArray("cells");
        for (int i = 0; i < idsAndSources.length; i += 2) {
            ObjectNode cell = cells.addObject();
            cell.put("cell_type", "code").put("id", idsAndSources[i]).put("source", idsAndSources[i + 1])
                    .put("execution_count", (Integer) null);
            cell.putObject("metadata");
            cell.putArray("outputs");
        }
        notebook.putObject("metadata");
        notebook.put("nbformat", 4).put("nbformat_minor", 5);
        return notebook;
    }

    /** Creates a notebook through the Jupyter contents API (its first version) and returns its v1 resource. */
    private static FileInfo create(QuireServer server, String token, ObjectNode content) throws Exception {
        String name = "versions-" + NAMES.incrementAndGet() + ".ipynb";
        ObjectNode model = ServerFixture.JSON.createObjectNode().put("type", "notebook");
        model.set("content", content);
        var response = TeamServer.HTTP.send(java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/contents/" + name))
                .header("Authorization", "token " + token).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(model.toString())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return client(server, token).fileByPath(name);
    }

    private static List<String> sources(JsonNode notebook) {
        List<String> sources = new ArrayList<>();
        notebook.path("cells").forEach(cell -> {
            StringBuilder text = new StringBuilder();
            JsonNode source = cell.path("source");
            if (source.isArray()) {
                source.forEach(part -> text.append(part.asText()));
            } else {
                text.append(source.asText());
            }
            sources.add(cell.path("id").asText() + "=" + text);
        });
        return sources;
    }

    /** Waits (without sleeping) until the clock has passed a time, so the next save is strictly later. */
    private static void awaitClockPast(Instant time) {
        Instant deadline = Instant.now().plusSeconds(5);
        while (!Instant.now().isAfter(time.plusMillis(2))) {
            assertThat(Instant.now()).as("clock stuck").isBefore(deadline);
            Thread.onSpinWait();
        }
    }

    private record History(FileInfo file, List<FileVersion> oldestFirst) {
        FileVersion v(int number) {
            return oldestFirst.get(number - 1);
        }
    }

    /** Saves a notebook three times with different cells (create, then two saves through the SDK). */
    private static History threeVersions() throws Exception {
        FileInfo file = create(team, aliceToken, notebook("a", "x = 1", "b", "y = 2"));
        awaitClockPast(alice.versions(file.id()).getFirst().createdAt());
        alice.saveNotebook(file.id(), notebook("a", "x = 10", "b", "y = 2", "c", "z = 3"));
        awaitClockPast(alice.versions(file.id()).getFirst().createdAt());
        alice.saveNotebook(file.id(), notebook("c", "z = 3", "a", "x = 10"));
        List<FileVersion> newestFirst = alice.versions(file.id());
        return new History(file, newestFirst.reversed());
    }

    @Test
    void list_showsEverySave_newestFirst_withNumbersAndAuthor() throws Exception {
        FileInfo file = create(team, aliceToken, notebook("a", "1"));
        alice.saveNotebook(file.id(), notebook("a", "2"));
        alice.saveNotebook(file.id(), notebook("a", "3"));

        List<FileVersion> versions = alice.versions(file.id());

        assertThat(versions).extracting(FileVersion::number).containsExactly(3L, 2L, 1L);
        assertThat(versions).extracting(FileVersion::fileId).containsOnly(file.id());
        assertThat(versions).extracting(FileVersion::author).doesNotContainNull().hasSize(3);
        assertThat(versions.get(0).createdAt()).isAfterOrEqualTo(versions.get(2).createdAt());
        assertThat(versions).extracting(FileVersion::id).doesNotHaveDuplicates();
    }

    @Test
    void version_readsTheNotebookOfAnOldVersion() throws Exception {
        History history = threeVersions();

        FileVersionContent first = alice.version(history.file().id(), history.v(1).id());

        assertThat(first.version()).isEqualTo(history.v(1));
        assertThat(sources(first.content())).containsExactly("a=x = 1", "b=y = 2");
        assertThat(first.content().path("nbformat").asInt()).isEqualTo(4);
        assertThat(sources(alice.notebook(history.file().id()))).containsExactly("c=z = 3", "a=x = 10");
    }

    @Test
    void diff_fromFirstToThird_namesAddedRemovedChangedAndMovedCells() throws Exception {
        History history = threeVersions();

        VersionDiff diff = alice.diff(history.file().id(), history.v(1).id(), history.v(3).id());

        assertThat(diff.from()).isEqualTo(history.v(1).id());
        assertThat(diff.to()).isEqualTo(history.v(3).id());
        assertThat(diff.contentChanged()).isTrue();
        assertThat(diff.added()).containsExactly(new VersionDiff.CellPosition("c", 0));
        assertThat(diff.removed()).containsExactly(new VersionDiff.CellPosition("b", 1));
        assertThat(diff.changed()).containsExactly(new VersionDiff.ChangedCell("a", 0, 1, true, false));
        assertThat(diff.moved()).isEmpty();

        VersionDiff reordered = alice.diff(history.file().id(), history.v(2).id(), history.v(3).id());
        // v2 a,b,c -> v3 c,a: of the two common cells one keeps its order; the store counts c as the one that moved
        assertThat(reordered.moved()).containsExactly(new VersionDiff.MovedCell("c", 2, 0));
        assertThat(reordered.removed()).containsExactly(new VersionDiff.CellPosition("b", 1));
        assertThat(alice.diff(history.file().id(), history.v(2).id(), history.v(2).id()).contentChanged())
                .isFalse();
    }

    @Test
    void restore_appendsAVersionEqualToTheOldOne() throws Exception {
        History history = threeVersions();

        FileVersion restored = alice.restore(history.file().id(), history.v(1).id());

        assertThat(restored.number()).isEqualTo(4);
        assertThat(restored.restoredFrom()).contains(history.v(1).id());
        assertThat(restored.sha256()).isEqualTo(history.v(1).sha256());
        List<FileVersion> versions = alice.versions(history.file().id());
        assertThat(versions).extracting(FileVersion::number).containsExactly(4L, 3L, 2L, 1L);
        assertThat(versions.subList(1, 4).reversed()).isEqualTo(history.oldestFirst());
        assertThat(sources(alice.notebook(history.file().id()))).containsExactly("a=x = 1", "b=y = 2");
        assertThat(alice.diff(history.file().id(), history.v(1).id(), restored.id()).contentChanged()).isFalse();
    }

    @Test
    void nameVersion_namesAndUnnamesIt() throws Exception {
        History history = threeVersions();

        FileVersion named = alice.nameVersion(history.file().id(), history.v(2).id(), Optional.of("before cleanup"));

        assertThat(named.name()).contains("before cleanup");
        assertThat(alice.versions(history.file().id())).filteredOn(v -> v.name().isPresent())
                .extracting(FileVersion::id).contains(history.v(2).id());
        assertThat(alice.nameVersion(history.file().id(), history.v(2).id(), Optional.empty()).name()).isEmpty();
        assertThatThrownBy(() -> alice.nameVersion(history.file().id(), history.v(2).id(), Optional.of("")))
                .isInstanceOfSatisfying(QuireApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void contentAsOf_betweenSaves_returnsTheOlderContent() throws Exception {
        History history = threeVersions();
        Instant afterFirst = history.v(1).createdAt().plusMillis(1);
        assertThat(afterFirst).isBefore(history.v(2).createdAt());

        assertThat(sources(alice.contentAsOf(history.file().id(), afterFirst))).containsExactly("a=x = 1", "b=y = 2");
        assertThat(sources(alice.contentAsOf(history.file().id(), Instant.now().plusSeconds(60))))
                .containsExactly("c=z = 3", "a=x = 10");
        assertThatThrownBy(() -> alice.contentAsOf(history.file().id(), history.v(1).createdAt().minusSeconds(60)))
                .isInstanceOfSatisfying(QuireApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.error().code()).isEqualTo("no_version");
                });
    }

    @Test
    void viewer_readsVersions_butMayNotRestoreOrName() throws Exception {
        History history = threeVersions();

        assertThat(vera.versions(history.file().id())).hasSize(3);
        assertThat(sources(vera.version(history.file().id(), history.v(1).id()).content())).hasSize(2);
        assertThatThrownBy(() -> vera.restore(history.file().id(), history.v(1).id()))
                .isInstanceOfSatisfying(QuireApiException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> vera.nameVersion(history.file().id(), history.v(1).id(), Optional.of("mine")))
                .isInstanceOfSatisfying(QuireApiException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThat(alice.versions(history.file().id())).hasSize(3);
    }

    @Test
    void anotherOrganisation_getsNotFound_forTheFileAndItsVersions() throws Exception {
        History history = threeVersions();
        FileInfo bobsFile = create(team, bobToken, notebook("q", "mine"));

        for (Runnable call : List.<Runnable>of(
                () -> bob.versions(history.file().id()),
                () -> bob.version(history.file().id(), history.v(1).id()),
                () -> bob.restore(history.file().id(), history.v(1).id()),
                () -> bob.nameVersion(history.file().id(), history.v(1).id(), Optional.of("x")),
                () -> bob.contentAsOf(history.file().id(), Instant.now()),
                () -> bob.version(bobsFile.id(), history.v(1).id()),
                () -> bob.restore(bobsFile.id(), history.v(1).id()))) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(QuireApiException.class,
                    e -> assertThat(e.status()).isEqualTo(404));
        }
        assertThat(alice.versions(history.file().id())).hasSize(3);
    }

    @Test
    void unknownVersion_orAVersionOfAnotherFile_isNoVersion() throws Exception {
        History history = threeVersions();
        FileInfo other = create(team, aliceToken, notebook("o", "other"));
        String othersVersion = alice.versions(other.id()).getFirst().id();

        for (String version : List.of(UUID.randomUUID().toString(), "not-a-uuid", othersVersion)) {
            assertThatThrownBy(() -> alice.version(history.file().id(), version))
                    .isInstanceOfSatisfying(QuireApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(404);
                        assertThat(e.error().code()).isEqualTo("no_version");
                    });
            assertThatThrownBy(() -> alice.restore(history.file().id(), version))
                    .isInstanceOfSatisfying(QuireApiException.class, e -> assertThat(e.status()).isEqualTo(404));
            assertThatThrownBy(() -> alice.diff(history.file().id(), version, history.v(1).id()))
                    .isInstanceOfSatisfying(QuireApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        }
        assertThat(alice.versions(history.file().id())).hasSize(3);
    }

    @Test
    void filesystemMode_answersVersionsUnavailable() throws Exception {
        Files.writeString(dir.resolve("fs-root").resolve("plain.ipynb"), notebook("a", "1").toString());
        QuireClient client = client(filesystem, filesystemToken);
        FileInfo file = client.fileByPath("plain.ipynb");

        for (Runnable call : List.<Runnable>of(
                () -> client.versions(file.id()),
                () -> client.version(file.id(), UUID.randomUUID().toString()),
                () -> client.restore(file.id(), UUID.randomUUID().toString()),
                () -> client.contentAsOf(file.id(), Instant.now()))) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(QuireApiException.class, e -> {
                assertThat(e.status()).isEqualTo(404);
                assertThat(e.error().code()).isEqualTo("versions_unavailable");
                assertThat(e.error().message()).contains("database store");
            });
        }
        assertThat(sources(client.notebook(file.id()))).containsExactly("a=1");
    }
}
