package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.kernel.KernelOwner;
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
import io.quire.store.UserId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Team mode over an in-memory H2 store and fake kernels: two organisations, each with an owner and a token; a viewer
 * in organisation A. Contents are each organisation's own; roles are enforced; kernels are owned by their caller.
 */
class TeamModeTest {
    private static final String NOTEBOOK = """
            {"type": "notebook", "content": {"cells": [{"cell_type": "code", "id": "c1", "metadata": {},
             "source": "print('%s')", "outputs": [], "execution_count": null}], "metadata": {},
             "nbformat": 4, "nbformat_minor": 5}}""";

    @TempDir
    static Path dir;
    static QuireServer server;
    static Store store;
    static String tokenA;
    static String tokenB;
    static String viewerToken;
    static String memberWithoutGrantToken;
    static TeamAdmin.Bootstrap orgA;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws IOException {
        store = Store.open(StoreConfig.builder("jdbc:h2:mem:teammode;DB_CLOSE_DELAY=-1").build());
        TeamAdmin admin = new TeamAdmin(store, Clock.systemUTC());
        orgA = admin.initOrganisation("Org A", "alice@a.example");
        tokenA = orgA.token().secret();
        tokenB = admin.initOrganisation("Org B", "bob@b.example").token().secret();
        User viewer = store.users().create("vera@a.example", "Vera", Optional.empty());
        store.memberships().add(orgA.organisation().id(), viewer.id(), OrgRole.MEMBER, Optional.empty());
        store.grants().grant(orgA.organisation().id(), ResourceRef.project(orgA.project()), viewer.id(),
                ResourceRole.VIEWER, Optional.empty());
        viewerToken = token(viewer.id());
        User stranger = store.users().create("max@a.example", "Max", Optional.empty());
        store.memberships().add(orgA.organisation().id(), stranger.id(), OrgRole.MEMBER, Optional.empty());
        memberWithoutGrantToken = token(stranger.id());

        Path root = Files.createDirectories(dir.resolve("root"));
        ServerConfig config = ServerConfig.defaults().with("port", "0", "test").with("root", root.toString(), "test")
                .with("state-dir", dir.resolve("state").toString(), "test")
                .with("default-kernel", FakeKernelProvisioner.KERNEL_NAME, "test");
        server = QuireServer.start(config, KernelBackend.of(FakeKernelProvisioner.registry(
                        Files.createDirectories(dir.resolve("data"))), FakeKernelProvisioner.create()),
                Optional.of(TeamMode.over(store)), "test");
    }

    private static String token(UserId user) {
        CreatedToken created = store.tokens().create(orgA.organisation().id(), user, "test", Set.of(),
                Optional.empty(), Optional.empty());
        return created.secret();
    }

    @AfterAll
    static void stop() {
        server.close(); // closes the store too
    }

    static HttpResponse<String> send(String token, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "token " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return ServerFixture.JSON.readTree(response.body());
    }

    static List<String> names(HttpResponse<String> listing) throws IOException {
        List<String> names = new ArrayList<>();
        json(listing).path("content").forEach(entry -> names.add(entry.path("name").asText()));
        return names;
    }

    @Test
    void contentsCrud_worksForEachOrganisationOnTheDatabaseStore() throws Exception {
        for (String token : List.of(tokenA, tokenB)) {
            String name = "crud-" + token.substring(6, 10) + ".ipynb";
            HttpResponse<String> created = send(token, "PUT", "/api/contents/" + name, NOTEBOOK.formatted("hi"));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            HttpResponse<String> read = send(token, "GET", "/api/contents/" + name, null);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(json(read).path("content").path("cells").get(0).path("source").asText())
                    .isEqualTo("print('hi')");

            HttpResponse<String> saved = send(token, "PUT", "/api/contents/" + name, NOTEBOOK.formatted("again"));
            assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
            HttpResponse<String> renamed = send(token, "PATCH", "/api/contents/" + name,
                    "{\"path\": \"renamed-" + name + "\"}");
            assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
            assertThat(names(send(token, "GET", "/api/contents", null))).contains("renamed-" + name)
                    .doesNotContain(name);
            HttpResponse<String> deleted = send(token, "DELETE", "/api/contents/renamed-" + name, null);
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
            assertThat(send(token, "GET", "/api/contents/renamed-" + name, null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void anotherOrganisation_cannotReadListOrOverwriteAFile() throws Exception {
        assertThat(send(tokenA, "PUT", "/api/contents/secret.ipynb", NOTEBOOK.formatted("A's secret"))
                .statusCode()).isEqualTo(201);
        assertThat(send(tokenB, "PUT", "/api/contents/mine.ipynb", NOTEBOOK.formatted("B's")).statusCode())
                .isEqualTo(201);

        HttpResponse<String> read = send(tokenB, "GET", "/api/contents/secret.ipynb", null);
        assertThat(read.statusCode()).isEqualTo(404);
        assertThat(read.body()).doesNotContain("A's secret");
        assertThat(json(read).path("code").asText()).isNotEmpty();
        assertThat(names(send(tokenB, "GET", "/api/contents", null))).contains("mine.ipynb")
                .doesNotContain("secret.ipynb");
        assertThat(names(send(tokenA, "GET", "/api/contents", null))).contains("secret.ipynb")
                .doesNotContain("mine.ipynb");

        // by the v1 file id, which names the path: 404 for B, for reading and for saving
        String id = json(send(tokenA, "GET", "/api/v1/files?path=secret.ipynb", null)).path("id").asText();
        assertThat(send(tokenB, "GET", "/api/v1/files/" + id + "/content", null).statusCode()).isEqualTo(404);
        HttpResponse<String> overwrite = send(tokenB, "PUT", "/api/v1/files/" + id + "/content",
                ServerFixture.JSON.readTree(NOTEBOOK.formatted("B was here")).path("content").toString());
        assertThat(overwrite.statusCode()).as(overwrite.body()).isEqualTo(404);
        assertThat(send(tokenB, "DELETE", "/api/contents/secret.ipynb", null).statusCode()).isEqualTo(404);

        // a PUT of the same path by B makes B's own file; A's is untouched
        assertThat(send(tokenB, "PUT", "/api/contents/secret.ipynb", NOTEBOOK.formatted("B's own")).statusCode())
                .isEqualTo(201);
        assertThat(send(tokenA, "GET", "/api/contents/secret.ipynb", null).body()).contains("A's secret")
                .doesNotContain("B's own");
    }

    @Test
    void viewer_canReadButNotWrite() throws Exception {
        assertThat(send(tokenA, "PUT", "/api/contents/shared.ipynb", NOTEBOOK.formatted("shared")).statusCode())
                .isEqualTo(201);

        assertThat(send(viewerToken, "GET", "/api/contents/shared.ipynb", null).statusCode()).isEqualTo(200);
        HttpResponse<String> put = send(viewerToken, "PUT", "/api/contents/shared.ipynb",
                NOTEBOOK.formatted("changed"));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(403);
        assertThat(json(put).path("reason").asText()).isEqualTo("Forbidden");
        assertThat(send(viewerToken, "PUT", "/api/contents/new.ipynb", NOTEBOOK.formatted("new")).statusCode())
                .isEqualTo(403);
        assertThat(send(tokenA, "GET", "/api/contents/shared.ipynb", null).body()).contains("shared")
                .doesNotContain("changed");
        // a viewer cannot run code
        assertThat(send(viewerToken, "POST", "/api/kernels", "{}").statusCode()).isEqualTo(403);
    }

    @Test
    void memberWithoutAnyGrant_seesNothing() throws Exception {
        assertThat(send(memberWithoutGrantToken, "GET", "/api/contents", null).statusCode()).isEqualTo(404);
    }

    @Test
    void badMissingAndRevokedTokens_are401InTheErrorShape() throws Exception {
        for (String token : new String[] {null, "nonsense", "quire_000000000000_"
                + "A".repeat(43), tokenA.substring(0, tokenA.length() - 1) + "x"}) {
            HttpResponse<String> response = send(token, "GET", "/api/contents", null);
            assertThat(response.statusCode()).as("token %s", token).isEqualTo(401);
            assertThat(json(response).path("code").asText()).isEqualTo("unauthorized");
            assertThat(json(response).path("reason").asText()).isEqualTo("Unauthorized");
        }
        String revoked = token(orgA.owner().id());
        assertThat(send(revoked, "GET", "/api/contents", null).statusCode()).isEqualTo(200);
        new TeamAdmin(store, Clock.systemUTC()).revokeToken(revoked.substring(6, 18));
        assertThat(send(revoked, "GET", "/api/contents", null).statusCode()).isEqualTo(401);
        assertThat(send(null, "GET", "/health/live", null).statusCode()).isEqualTo(200);
    }

    @Test
    void sessions_recordTheOwnerAndStayInTheirOrganisation() throws Exception {
        HttpResponse<String> created = send(tokenA, "POST", "/api/sessions",
                "{\"path\": \"run.ipynb\", \"type\": \"notebook\", \"name\": \"\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String kernelId = json(created).path("kernel").path("id").asText();

        HttpResponse<String> kernelsA = send(tokenA, "GET", "/api/kernels", null);
        List<String> ids = new ArrayList<>();
        json(kernelsA).forEach(kernel -> ids.add(kernel.path("id").asText()));
        assertThat(ids).contains(kernelId);
        assertThat(server.kernels().get(kernelId).orElseThrow().owner()).contains(new KernelOwner(
                orgA.owner().id().toString(), orgA.organisation().id().toString()));

        // organisation B neither lists nor reaches A's session and kernel, and its session of the same path is its own
        assertThat(send(tokenB, "GET", "/api/kernels", null).body()).doesNotContain(kernelId);
        assertThat(send(tokenB, "GET", "/api/kernels/" + kernelId, null).statusCode()).isEqualTo(404);
        assertThat(send(tokenB, "GET", "/api/sessions", null).body()).doesNotContain(kernelId);
        HttpResponse<String> theirs = send(tokenB, "POST", "/api/sessions",
                "{\"path\": \"run.ipynb\", \"type\": \"notebook\", \"name\": \"\"}");
        assertThat(theirs.statusCode()).as(theirs.body()).isEqualTo(201);
        assertThat(json(theirs).path("kernel").path("id").asText()).isNotEqualTo(kernelId);
        HttpResponse<String> joining = send(tokenB, "POST", "/api/sessions",
                "{\"path\": \"other.ipynb\", \"type\": \"notebook\", \"kernel\": {\"id\": \"" + kernelId + "\"}}");
        assertThat(joining.statusCode()).as(joining.body()).isEqualTo(404);
    }

    @Test
    void v1RunsAreRefusedInTeamModeWithAClearError() throws Exception {
        HttpResponse<String> response = send(tokenA, "GET", "/api/v1/sessions", null);
        assertThat(response.statusCode()).isEqualTo(501);
        assertThat(json(response).path("message").asText()).contains("team mode");
    }
}
