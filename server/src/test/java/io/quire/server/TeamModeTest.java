package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.kernel.KernelOwner;
import io.quire.testing.Await;
import io.quire.server.team.TeamAdmin;
import io.quire.server.team.TokenScopes;
import io.quire.store.AuditEntry;
import io.quire.store.Backend;
import io.quire.store.OrgRole;
import io.quire.store.ResourceRef;
import io.quire.store.ResourceRole;
import io.quire.store.User;
import io.quire.store.Store;
import io.quire.store.UserId;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Team mode over a store and fake kernels ({@link TeamServer}): two organisations, each with an owner and a token; a
 * viewer, an executor and a member without grant in organisation A. Contents are each organisation's own; roles are
 * enforced; kernels, runs, sessions and executions are owned by their caller. Run on H2 ({@code TeamModeH2Test}) and
 * on PostgreSQL ({@code TeamModePostgresTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TeamModeTest {
    private static final String NOTEBOOK = """
            {"type": "notebook", "content": {"cells": [{"cell_type": "code", "id": "c1", "metadata": {},
             "source": "print('%s')", "outputs": [], "execution_count": null}], "metadata": {},
             "nbformat": 4, "nbformat_minor": 5}}""";

    TeamServer team;
    QuireServer server;
    Store store;
    String tokenA;
    String tokenB;
    String viewerToken;
    String executorToken;
    String memberWithoutGrantToken;
    TeamAdmin.Bootstrap orgA;

    /** @return the database this run of the tests uses */
    abstract Backend backend();

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        team = TeamServer.start(backend(), dir);
        server = team.server;
        store = team.store;
        orgA = team.orgA;
        tokenA = team.tokenA;
        tokenB = team.tokenB;
        viewerToken = team.viewerToken;
        executorToken = team.executorToken;
        memberWithoutGrantToken = team.memberWithoutGrantToken;
    }

    private String token(UserId user) {
        return team.tokenOfA(user, Optional.empty());
    }

    @AfterAll
    void stop() {
        if (team != null) {
            team.close();
        }
    }

    HttpResponse<String> send(String token, String method, String path, String body)
            throws IOException, InterruptedException {
        return team.send(token, method, path, body);
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return ServerFixture.JSON.readTree(response.body());
    }

    List<String> names(HttpResponse<String> listing) throws IOException {
        List<String> names = new ArrayList<>();
        json(listing).path("content").forEach(entry -> names.add(entry.path("name").asText()));
        return names;
    }

    @Test
    void scopedTokens_mayOnlyDoWhatTheirScopesName() throws Exception {
        String owner = tokenA;
        assertThat(send(owner, "PUT", "/api/contents/scoped.ipynb", NOTEBOOK.formatted("scoped")).statusCode())
                .isIn(200, 201);
        String readOnly = team.scopedTokenOfOwnerA(Set.of(TokenScopes.CONTENTS_READ));
        assertThat(send(readOnly, "GET", "/api/contents/scoped.ipynb", null).statusCode()).isEqualTo(200);
        assertThat(send(readOnly, "GET", "/api/me", null).statusCode()).isEqualTo(200);
        HttpResponse<String> save = send(readOnly, "PUT", "/api/contents/scoped.ipynb",
                NOTEBOOK.formatted("overwritten"));
        assertThat(save.statusCode()).as(save.body()).isEqualTo(403);
        assertThat(json(save).path("code").asText()).isEqualTo("insufficient_scope");
        assertThat(json(save).path("message").asText()).contains("contents:write");
        assertThat(send(readOnly, "POST", "/api/kernels", "{}").statusCode()).isEqualTo(403);
        assertThat(send(readOnly, "GET", "/api/kernels", null).statusCode()).isEqualTo(403);
        // nothing was changed by the refused save
        assertThat(json(send(owner, "GET", "/api/contents/scoped.ipynb", null)).path("content").path("cells").get(0)
                .path("source").asText()).isEqualTo("print('scoped')");

        String writer = team.scopedTokenOfOwnerA(Set.of(TokenScopes.CONTENTS_READ, TokenScopes.CONTENTS_WRITE));
        assertThat(send(writer, "PUT", "/api/contents/scoped.ipynb", NOTEBOOK.formatted("written")).statusCode())
                .isEqualTo(200);
        assertThat(send(writer, "POST", "/api/v1/files/" + fileId("scoped.ipynb") + "/sessions", "{}").statusCode())
                .isEqualTo(403);

        String runner = team.scopedTokenOfOwnerA(Set.of(TokenScopes.KERNELS_READ, TokenScopes.KERNELS_EXECUTE));
        assertThat(send(runner, "GET", "/api/contents/scoped.ipynb", null).statusCode()).isEqualTo(403);
        HttpResponse<String> kernel = send(runner, "POST", "/api/kernels", "{}");
        assertThat(kernel.statusCode()).as(kernel.body()).isEqualTo(201);
        String kernelId = json(kernel).path("id").asText();
        assertThat(send(runner, "GET", "/api/kernels/" + kernelId, null).statusCode()).isEqualTo(200);
        assertThat(send(runner, "DELETE", "/api/kernels/" + kernelId, null).statusCode()).isEqualTo(204);
    }

    private static String fileId(String path) {
        return io.quire.server.v1.FileIds.of(path);
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
    void v1SessionAndExecution_runForTheCaller_andWriteOutputsIntoTheCallersNotebook() throws Exception {
        assertThat(send(tokenA, "PUT", "/api/contents/v1-exec.ipynb", NOTEBOOK.formatted("x").replace(
                "print('x')", "print:from A")).statusCode()).isEqualTo(201);
        assertThat(send(tokenB, "PUT", "/api/contents/v1-exec.ipynb", NOTEBOOK.formatted("B's own")).statusCode())
                .isEqualTo(201);
        String fileId = json(send(tokenA, "GET", "/api/v1/files?path=v1-exec.ipynb", null)).path("id").asText();

        HttpResponse<String> session = send(tokenA, "POST", "/api/v1/files/" + fileId + "/sessions", "{}");
        assertThat(session.statusCode()).as(session.body()).isEqualTo(201);
        assertThat(json(session).path("owner").path("user").asText()).isEqualTo(orgA.owner().id().toString());
        String sessionId = json(session).path("id").asText();
        HttpResponse<String> started = send(tokenA, "POST", "/api/v1/sessions/" + sessionId + "/executions",
                "{\"all\": true}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String executionId = json(started).path("id").asText();
        Await.until(Duration.ofSeconds(30), "the execution to finish", () -> status(tokenA,
                "/api/v1/executions/" + executionId).equals("succeeded"));

        assertThat(send(tokenA, "GET", "/api/contents/v1-exec.ipynb", null).body()).contains("from A");
        assertThat(send(tokenB, "GET", "/api/contents/v1-exec.ipynb", null).body()).doesNotContain("from A");
        // B's session list, and B's session of the same file, are B's own
        assertThat(send(tokenB, "GET", "/api/v1/sessions", null).body()).doesNotContain(sessionId);
        assertThat(send(tokenB, "GET", "/api/v1/executions/" + executionId, null).statusCode()).isEqualTo(404);
        assertThat(send(tokenA, "DELETE", "/api/v1/sessions/" + sessionId, null).statusCode()).isEqualTo(204);
    }

    @Test
    void v1Run_savesIntoTheCallersNotebook_andIsInvisibleToAnotherOrganisation() throws Exception {
        assertThat(send(tokenA, "PUT", "/api/contents/v1-run.ipynb", NOTEBOOK.formatted("x").replace(
                "print('x')", "print:run by A")).statusCode()).isEqualTo(201);
        assertThat(send(tokenB, "PUT", "/api/contents/v1-run.ipynb", NOTEBOOK.formatted("B's")).statusCode())
                .isEqualTo(201);
        String fileId = json(send(tokenA, "GET", "/api/v1/files?path=v1-run.ipynb", null)).path("id").asText();

        HttpResponse<String> run = send(tokenA, "POST", "/api/v1/files/" + fileId + "/runs",
                "{\"kernel\": \"fake\"}");
        assertThat(run.statusCode()).as(run.body()).isEqualTo(202);
        String runId = json(run).path("id").asText();
        Await.until(Duration.ofSeconds(30), "the run to finish", () -> status(tokenA, "/api/v1/runs/" + runId)
                .equals("succeeded"));
        assertThat(send(tokenA, "GET", "/api/contents/v1-run.ipynb", null).body()).contains("run by A");

        // the same file id names B's own file of that path: B sees neither the run nor its outputs
        assertThat(send(tokenB, "GET", "/api/v1/runs/" + runId, null).statusCode()).isEqualTo(404);
        assertThat(send(tokenB, "POST", "/api/v1/runs/" + runId + "/cancel", null).statusCode()).isEqualTo(404);
        HttpResponse<String> runsOfB = send(tokenB, "GET", "/api/v1/files/" + fileId + "/runs", null);
        assertThat(runsOfB.statusCode()).isEqualTo(200);
        assertThat(runsOfB.body()).isEqualTo("[]");
        assertThat(send(tokenB, "GET", "/api/contents/v1-run.ipynb", null).body()).doesNotContain("run by A");
    }

    @Test
    void viewer_cannotRunCode_andExecutor_runsButCannotEditSource() throws Exception {
        assertThat(send(tokenA, "PUT", "/api/contents/roles.ipynb", NOTEBOOK.formatted("x").replace(
                "print('x')", "print:by executor")).statusCode()).isEqualTo(201);
        String fileId = json(send(tokenA, "GET", "/api/v1/files?path=roles.ipynb", null)).path("id").asText();

        assertThat(send(viewerToken, "POST", "/api/v1/files/" + fileId + "/sessions", "{}").statusCode())
                .isEqualTo(403);
        assertThat(send(viewerToken, "POST", "/api/v1/files/" + fileId + "/runs", "{\"kernel\": \"fake\"}")
                .statusCode()).isEqualTo(403);
        assertThat(send(viewerToken, "POST", "/api/sessions",
                "{\"path\": \"roles.ipynb\", \"type\": \"notebook\"}").statusCode()).isEqualTo(403);

        HttpResponse<String> session = send(executorToken, "POST", "/api/v1/files/" + fileId + "/sessions", "{}");
        assertThat(session.statusCode()).as(session.body()).isEqualTo(201);
        String sessionId = json(session).path("id").asText();
        // the viewer sees the session but cannot act on its kernel
        assertThat(send(viewerToken, "GET", "/api/v1/sessions/" + sessionId, null).statusCode()).isEqualTo(200);
        assertThat(send(viewerToken, "POST", "/api/v1/sessions/" + sessionId + "/executions", "{\"all\": true}")
                .statusCode()).isEqualTo(403);
        assertThat(send(viewerToken, "POST", "/api/v1/sessions/" + sessionId + "/interrupt", null).statusCode())
                .isEqualTo(403);
        assertThat(send(viewerToken, "DELETE", "/api/v1/sessions/" + sessionId, null).statusCode()).isEqualTo(403);

        HttpResponse<String> started = send(executorToken, "POST", "/api/v1/sessions/" + sessionId
                + "/executions", "{\"cell_id\": \"c1\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String executionId = json(started).path("id").asText();
        Await.until(Duration.ofSeconds(30), "the execution to finish", () -> status(executorToken,
                "/api/v1/executions/" + executionId).equals("succeeded"));
        // the outputs are in the execution and in the notebook (an executor may save outputs, not edits)
        assertThat(send(executorToken, "GET", "/api/v1/executions/" + executionId, null).body())
                .contains("by executor");
        assertThat(send(tokenA, "GET", "/api/contents/roles.ipynb", null).body()).contains("by executor\\n");
        HttpResponse<String> edit = send(executorToken, "PUT", "/api/v1/files/" + fileId + "/content",
                ServerFixture.JSON.readTree(NOTEBOOK.formatted("edited")).path("content").toString());
        assertThat(edit.statusCode()).as(edit.body()).isEqualTo(403);
        assertThat(send(executorToken, "PUT", "/api/contents/roles.ipynb", NOTEBOOK.formatted("edited"))
                .statusCode()).isEqualTo(403);
        assertThat(send(tokenA, "GET", "/api/contents/roles.ipynb", null).body()).doesNotContain("edited");
        assertThat(send(executorToken, "DELETE", "/api/v1/sessions/" + sessionId, null).statusCode())
                .isEqualTo(204);
    }

    @Test
    void kernels_workInTheirOrganisationsScratchFolder_notInTheServerRoot() throws Exception {
        int before = team.provisioner.requests().size();
        HttpResponse<String> kernelA = send(tokenA, "POST", "/api/kernels", "{\"path\": \"some/where.ipynb\"}");
        assertThat(kernelA.statusCode()).as(kernelA.body()).isEqualTo(201);
        HttpResponse<String> sessionB = send(tokenB, "POST", "/api/sessions",
                "{\"path\": \"scratch.ipynb\", \"type\": \"notebook\"}");
        assertThat(sessionB.statusCode()).as(sessionB.body()).isEqualTo(201);

        List<Path> cwds = team.provisioner.requests().subList(before, team.provisioner.requests().size()).stream()
                .map(request -> request.cwd().orElseThrow()).toList();
        Path scratch = team.stateDir.resolve("scratch").toAbsolutePath().normalize();
        assertThat(cwds).containsExactly(scratch.resolve(orgA.organisation().id().toString()),
                scratch.resolve(team.orgB.organisation().id().toString()));
        assertThat(cwds).allMatch(java.nio.file.Files::isDirectory);
        assertThat(send(tokenA, "DELETE", "/api/kernels/" + json(kernelA).path("id").asText(), null).statusCode())
                .isEqualTo(204);
        assertThat(send(tokenB, "DELETE", "/api/sessions/" + json(sessionB).path("id").asText(), null)
                .statusCode()).isEqualTo(204);
    }

    @Test
    void passwordLogin_makesAnExpiringToken_thatWorksUntilLogout_andIsAudited() throws Exception {
        User pat = store.users().create("pat@a.example", "Pat", Optional.of("correct horse battery"));
        store.memberships().add(orgA.organisation().id(), pat.id(), OrgRole.MEMBER, Optional.empty());
        store.grants().grant(orgA.organisation().id(), ResourceRef.project(orgA.project()), pat.id(),
                ResourceRole.VIEWER, Optional.empty());

        HttpResponse<String> login = send(null, "POST", "/api/v1/auth/login",
                "{\"email\": \"pat@a.example\", \"password\": \"correct horse battery\"}");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(201);
        String token = json(login).path("token").asText();
        assertThat(token).startsWith("quire_");
        assertThat(json(login).path("organisation").path("slug").asText()).isEqualTo("org-a");
        Instant expires = Instant.parse(json(login).path("expires_at").asText());
        assertThat(expires).isBetween(Instant.now().plus(Duration.ofHours(11)), Instant.now().plus(
                Duration.ofHours(13)));
        assertThat(send(token, "GET", "/api/contents", null).statusCode()).isEqualTo(200);

        HttpResponse<String> logout = send(token, "POST", "/api/v1/auth/logout", null);
        assertThat(logout.statusCode()).as(logout.body()).isEqualTo(204);
        assertThat(send(token, "GET", "/api/contents", null).statusCode()).isEqualTo(401);
        assertThat(send(token, "POST", "/api/v1/auth/logout", null).statusCode()).isEqualTo(401);
        assertThat(actions()).contains("auth.login", "token.revoke");
    }

    @Test
    void sdkLogin_signsIn_actsAsTheUser_andLogoutRevokesTheToken() throws Exception {
        User sam = store.users().create("sam@a.example", "Sam", Optional.of("a long enough secret"));
        store.memberships().add(orgA.organisation().id(), sam.id(), OrgRole.MEMBER, Optional.empty());
        store.grants().grant(orgA.organisation().id(), ResourceRef.project(orgA.project()), sam.id(),
                ResourceRole.VIEWER, Optional.empty());
        java.net.URI base = java.net.URI.create("http://127.0.0.1:" + server.port() + "/");
        io.quire.client.QuireClient anonymous = io.quire.client.QuireClient.builder().baseUrl(base).build();

        io.quire.client.QuireApiException wrong = org.assertj.core.api.Assertions.catchThrowableOfType(
                io.quire.client.QuireApiException.class,
                () -> anonymous.login("sam@a.example", "not the secret", Optional.empty()));
        assertThat(wrong.error().status()).isEqualTo(401);

        io.quire.client.SignIn signIn = anonymous.login("sam@a.example", "a long enough secret", Optional.empty());
        assertThat(signIn.email()).isEqualTo("sam@a.example");
        assertThat(signIn.organisationSlug()).isEqualTo("org-a");
        assertThat(signIn.expiresAt()).isPresent();
        assertThat(signIn.toString()).doesNotContain(signIn.token());
        io.quire.client.QuireClient asSam = io.quire.client.QuireClient.builder().baseUrl(base).token(signIn.token())
                .build();
        assertThat(asSam.kernelSpecs()).isNotEmpty();
        asSam.logout();
        io.quire.client.QuireApiException revoked = org.assertj.core.api.Assertions.catchThrowableOfType(
                io.quire.client.QuireApiException.class, asSam::kernelSpecs);
        assertThat(revoked.error().status()).isEqualTo(401);
    }

    @Test
    void passwordLogin_refusesWrongPasswordsAlike_thenLocksTheAccount() throws Exception {
        User lee = store.users().create("lee@a.example", "Lee", Optional.of("lee's real password"));
        store.memberships().add(orgA.organisation().id(), lee.id(), OrgRole.MEMBER, Optional.empty());
        String wrong = "{\"email\": \"lee@a.example\", \"password\": \"not the password\"}";

        HttpResponse<String> unknown = send(null, "POST", "/api/v1/auth/login",
                "{\"email\": \"nobody@a.example\", \"password\": \"not the password\"}");
        HttpResponse<String> first = send(null, "POST", "/api/v1/auth/login", wrong);
        assertThat(first.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(json(first).path("message").asText()).isEqualTo(json(unknown).path("message").asText());
        HttpResponse<String> last = first;
        for (int i = 0; i < 10 && last.statusCode() == 401; i++) {
            last = send(null, "POST", "/api/v1/auth/login", wrong);
        }
        assertThat(last.statusCode()).as(last.body()).isEqualTo(429);
        assertThat(json(last).path("code").asText()).isEqualTo("account_locked");
        assertThat(last.headers().firstValue("Retry-After")).hasValueSatisfying(seconds -> assertThat(
                Long.parseLong(seconds)).isPositive());
        // locked: even the right password is refused until the lock ends
        HttpResponse<String> right = send(null, "POST", "/api/v1/auth/login",
                "{\"email\": \"lee@a.example\", \"password\": \"lee's real password\"}");
        assertThat(right.statusCode()).isEqualTo(429);
        assertThat(actions()).contains("auth.login_failed", "auth.login_locked");

        assertThat(send(null, "POST", "/api/v1/auth/login", "{\"email\": \"lee@a.example\"}").statusCode())
                .isEqualTo(400);
        assertThat(send(null, "GET", "/api/v1/sessions", null).statusCode()).isEqualTo(401);
    }

    @Test
    void deniedRequests_areAuditedInTheCallersOrganisation() throws Exception {
        assertThat(send(tokenA, "GET", "/api/contents/no-such-file-" + Instant.now().toEpochMilli() + ".ipynb",
                null).statusCode()).isEqualTo(404);
        assertThat(actions()).contains("request.denied");
    }

    private List<String> actions() {
        return store.audit().list(orgA.organisation().id(), 1000).stream().map(AuditEntry::action).toList();
    }

    private String status(String token, String path) {
        try {
            return json(send(token, "GET", path, null)).path("status").asText();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
