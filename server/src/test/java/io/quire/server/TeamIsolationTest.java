package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.server.observe.RouteTemplates;
import io.quire.server.v1.V1Route;
import io.quire.store.Backend;
import io.quire.store.User;
import io.quire.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The isolation matrix of team mode (issue 4): every endpoint of the server, the Jupyter API ({@code /api/...} and
 * the kernel channels WebSocket) and every {@code /api/v1/...} route, is tried by users of organisation A against the
 * resources of organisation B, by id and by path; every attempt is refused (404: no existence leak) and no answer
 * contains B's ids, paths or content that the request did not itself name. Then the role checks within A, and
 * revoked and expired tokens on every endpoint.
 *
 * <p>The list of endpoints is derived from the server's own route tables ({@link V1Route}, and the Jupyter templates
 * of {@link RouteTemplates#quire()}): a route added without an entry in {@link #probes} fails
 * {@link #everyRouteOfTheServer_hasAMatrixEntry}. Run on H2 ({@code TeamIsolationH2Test}) and on PostgreSQL
 * ({@code TeamIsolationPostgresTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TeamIsolationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String B_PATH = "b-dir/b-secret.ipynb";
    private static final String B_CONTENT = "B-SECRET-CONTENT";
    private static final String NOTEBOOK = """
            {"type": "notebook", "content": {"cells": [{"cell_type": "code", "id": "c1", "metadata": {},
             "source": "print:%s", "outputs": [], "execution_count": null}], "metadata": {},
             "nbformat": 4, "nbformat_minor": 5}}""";
    /** The Jupyter routes: template (as {@link RouteTemplates} reports it) to its methods. */
    private static final Map<String, Set<String>> JUPYTER = jupyterRoutes();

    TeamServer team;
    /** B's resources. */
    String fileId;
    String versionId;
    String checkpointId;
    String jupyterSessionId;
    String jupyterKernelId;
    String v1SessionId;
    String v1KernelId;
    String executionId;
    String runId;
    int bVersions;
    /** Strings of B's that A must never be told (unless A's own request named them). */
    final Set<String> secrets = new LinkedHashSet<>();

    /** What answer a probe must get. */
    enum Expect {
        /** 404 (or 401 for bad tokens): B's resource does not exist for A. */
        NOT_FOUND,
        /** A listing of A's own things: 200, without anything of B's. */
        LISTING,
        /**
         * 200 with an empty list, the answer for a path that does not exist either (Jupyter lists no checkpoints
         * for a missing file rather than answering 404).
         */
        EMPTY,
        /** 401: the credentials were refused. */
        UNAUTHORIZED,
        /** Not B's resource at all (API root, kernel specs, OpenAPI): any answer, without anything of B's. */
        NEUTRAL
    }

    /** One attempt: method, path (with query), body, what must come back. */
    record Probe(String method, String path, String body, Expect expect) {
        boolean webSocket() {
            return method.equals("WS");
        }
    }

    /** @return the database this run of the tests uses */
    abstract Backend backend();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        team = TeamServer.start(backend(), dir);
        String b = team.tokenB;
        ok(team.send(b, "PUT", "/api/contents/b-dir", "{\"type\": \"directory\"}"));
        ok(team.send(b, "PUT", "/api/contents/" + B_PATH, NOTEBOOK.formatted(B_CONTENT)));
        checkpointId = json(ok(team.send(b, "POST", "/api/contents/" + B_PATH + "/checkpoints", null)))
                .path("id").asText();
        fileId = json(ok(team.send(b, "GET", "/api/v1/files?path=" + B_PATH, null))).path("id").asText();
        versionId = json(ok(team.send(b, "GET", "/api/v1/files/" + fileId + "/versions", null))).get(0)
                .path("id").asText();
        JsonNode console = json(ok(team.send(b, "POST", "/api/sessions",
                "{\"path\": \"b-dir/b-console\", \"type\": \"console\", \"name\": \"b-console\"}")));
        jupyterSessionId = console.path("id").asText();
        jupyterKernelId = console.path("kernel").path("id").asText();
        JsonNode session = json(ok(team.send(b, "POST", "/api/v1/files/" + fileId + "/sessions", "{}")));
        v1SessionId = session.path("id").asText();
        v1KernelId = session.path("kernel_id").asText();
        executionId = json(ok(team.send(b, "POST", "/api/v1/sessions/" + v1SessionId + "/executions",
                "{\"all\": true}"))).path("id").asText();
        Await.until(WAIT, "B's execution to finish", () -> finished(b, "/api/v1/executions/" + executionId));
        runId = json(ok(team.send(b, "POST", "/api/v1/files/" + fileId + "/runs", "{\"kernel\": \"fake\"}")))
                .path("id").asText();
        Await.until(WAIT, "B's run to finish", () -> finished(b, "/api/v1/runs/" + runId));

        bVersions = json(ok(team.send(b, "GET", "/api/v1/files/" + fileId + "/versions", null))).size();
        secrets.addAll(List.of(B_CONTENT, "b-secret", "b-dir", "b-console", fileId, versionId, checkpointId,
                jupyterSessionId, jupyterKernelId, v1SessionId, v1KernelId, executionId, runId,
                team.orgB.organisation().id().toString(), team.orgB.owner().id().toString(), "bob@b.example"));
    }

    @AfterAll
    void stop() {
        if (team != null) {
            team.close();
        }
    }

    /** Every attempt on B's resources; the only ones that create something are last (they act in A's own space). */
    List<Probe> probes() {
        String file = "/api/v1/files/" + fileId;
        String version = file + "/versions/" + versionId;
        String contents = "/api/contents/" + B_PATH;
        String notebookBody = "{\"cells\": [], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}";
        return List.of(
                // Jupyter: the API root and kernel specs hold nothing of B's
                new Probe("GET", "/api", null, Expect.NEUTRAL),
                new Probe("GET", "/api/status", null, Expect.NEUTRAL),
                new Probe("GET", "/api/me", null, Expect.NEUTRAL),
                new Probe("GET", "/api/kernelspecs", null, Expect.NEUTRAL),
                new Probe("GET", "/api/kernelspecs/fake", null, Expect.NEUTRAL),
                new Probe("GET", "/kernelspecs/fake/kernel.json", null, Expect.NEUTRAL),
                // kernels
                new Probe("GET", "/api/kernels", null, Expect.LISTING),
                new Probe("GET", "/api/kernels/" + jupyterKernelId, null, Expect.NOT_FOUND),
                new Probe("GET", "/api/kernels/" + v1KernelId, null, Expect.NOT_FOUND),
                new Probe("DELETE", "/api/kernels/" + jupyterKernelId, null, Expect.NOT_FOUND),
                new Probe("POST", "/api/kernels/" + jupyterKernelId + "/interrupt", null, Expect.NOT_FOUND),
                new Probe("POST", "/api/kernels/" + v1KernelId + "/restart", null, Expect.NOT_FOUND),
                new Probe("WS", "/api/kernels/" + jupyterKernelId + "/channels", null, Expect.NOT_FOUND),
                new Probe("WS", "/api/kernels/" + v1KernelId + "/channels", null, Expect.NOT_FOUND),
                // sessions
                new Probe("GET", "/api/sessions", null, Expect.LISTING),
                new Probe("GET", "/api/sessions/" + jupyterSessionId, null, Expect.NOT_FOUND),
                new Probe("GET", "/api/sessions/" + v1SessionId, null, Expect.NOT_FOUND),
                new Probe("PATCH", "/api/sessions/" + jupyterSessionId, "{\"name\": \"taken\"}", Expect.NOT_FOUND),
                new Probe("DELETE", "/api/sessions/" + v1SessionId, null, Expect.NOT_FOUND),
                new Probe("POST", "/api/sessions", "{\"path\": \"a-joins.ipynb\", \"type\": \"notebook\","
                        + " \"kernel\": {\"id\": \"" + jupyterKernelId + "\"}}", Expect.NOT_FOUND),
                // contents, by path
                new Probe("GET", "/api/contents", null, Expect.LISTING),
                new Probe("GET", contents, null, Expect.NOT_FOUND),
                new Probe("GET", contents + "?content=0", null, Expect.NOT_FOUND),
                new Probe("GET", "/api/contents/b-dir", null, Expect.NOT_FOUND),
                new Probe("PATCH", contents, "{\"path\": \"stolen.ipynb\"}", Expect.NOT_FOUND),
                new Probe("DELETE", contents, null, Expect.NOT_FOUND),
                new Probe("DELETE", "/api/contents/b-dir", null, Expect.NOT_FOUND),
                new Probe("POST", "/api/contents/b-dir", "{\"type\": \"notebook\"}", Expect.NOT_FOUND),
                new Probe("POST", "/api/contents", "{\"copy_from\": \"" + B_PATH + "\"}", Expect.NOT_FOUND),
                new Probe("GET", contents + "/checkpoints", null, Expect.EMPTY),
                new Probe("POST", contents + "/checkpoints", null, Expect.NOT_FOUND),
                new Probe("POST", contents + "/checkpoints/" + checkpointId, null, Expect.NOT_FOUND),
                new Probe("DELETE", contents + "/checkpoints/" + checkpointId, null, Expect.NOT_FOUND),
                // v1 files and versions, by id and by path
                new Probe("GET", "/api/v1/files?path=" + URLEncoder.encode(B_PATH, StandardCharsets.UTF_8), null,
                        Expect.NOT_FOUND),
                new Probe("GET", file, null, Expect.NOT_FOUND),
                new Probe("GET", file + "/content", null, Expect.NOT_FOUND),
                new Probe("GET", file + "/content?as_of=" + Instant.now(), null, Expect.NOT_FOUND),
                new Probe("PUT", file + "/content", notebookBody, Expect.NOT_FOUND),
                new Probe("GET", file + "/versions", null, Expect.NOT_FOUND),
                new Probe("GET", version, null, Expect.NOT_FOUND),
                new Probe("PATCH", version, "{\"name\": \"mine\"}", Expect.NOT_FOUND),
                new Probe("GET", version + "/diff?from=" + versionId, null, Expect.NOT_FOUND),
                new Probe("POST", version + "/restore", null, Expect.NOT_FOUND),
                // v1 runs
                new Probe("POST", file + "/runs", "{\"kernel\": \"fake\"}", Expect.NOT_FOUND),
                new Probe("GET", file + "/runs", null, Expect.NOT_FOUND),
                new Probe("GET", "/api/v1/runs/" + runId, null, Expect.NOT_FOUND),
                new Probe("POST", "/api/v1/runs/" + runId + "/cancel", null, Expect.NOT_FOUND),
                // v1 sessions and executions
                new Probe("POST", file + "/sessions", "{}", Expect.NOT_FOUND),
                new Probe("GET", "/api/v1/sessions", null, Expect.LISTING),
                new Probe("GET", "/api/v1/sessions/" + v1SessionId, null, Expect.NOT_FOUND),
                new Probe("GET", "/api/v1/sessions/" + jupyterSessionId, null, Expect.NOT_FOUND),
                new Probe("DELETE", "/api/v1/sessions/" + v1SessionId, null, Expect.NOT_FOUND),
                new Probe("POST", "/api/v1/sessions/" + v1SessionId + "/interrupt", null, Expect.NOT_FOUND),
                new Probe("POST", "/api/v1/sessions/" + v1SessionId + "/restart", null, Expect.NOT_FOUND),
                new Probe("POST", "/api/v1/sessions/" + v1SessionId + "/executions", "{\"all\": true}",
                        Expect.NOT_FOUND),
                new Probe("GET", "/api/v1/executions/" + executionId, null, Expect.NOT_FOUND),
                new Probe("POST", "/api/v1/executions/" + executionId + "/cancel", null, Expect.NOT_FOUND),
                new Probe("GET", "/api/v1/kernelspecs", null, Expect.NEUTRAL),
                new Probe("GET", "/openapi", null, Expect.NEUTRAL),
                // password sign-in as B's owner fails without a word about B; sign-out only ever ends the caller's
                // own token (the probes' tokens are made for this test, so this comes after every other probe)
                new Probe("POST", "/api/v1/auth/login", "{\"email\": \"bob@b.example\", \"password\":"
                        + " \"not-bobs-password\", \"organisation\": \"org-b\"}", Expect.UNAUTHORIZED),
                // writes by path that act in A's own space: they never reach B's file (checked afterwards)
                new Probe("PUT", contents, NOTEBOOK.formatted("A was here"), Expect.NEUTRAL),
                new Probe("POST", "/api/kernels", "{}", Expect.NEUTRAL),
                new Probe("POST", "/api/v1/auth/logout", null, Expect.NEUTRAL));
    }

    @Test
    void everyRouteOfTheServer_hasAMatrixEntry() {
        RouteTemplates routes = RouteTemplates.quire().and(V1Route.templates());
        Set<String> covered = probes().stream().map(probe -> (probe.webSocket() ? "GET" : probe.method()) + " "
                + routes.template(probe.path().replaceFirst("\\?.*", ""))).collect(Collectors.toSet());
        Set<String> expected = new LinkedHashSet<>();
        for (V1Route route : V1Route.values()) {
            expected.add(route.method().text() + " " + route.template());
        }
        JUPYTER.forEach((template, methods) -> methods.forEach(method -> expected.add(method + " " + template)));
        // the Jupyter table above must itself follow the server's templates: a new template needs an entry there
        Set<String> served = RouteTemplates.quire().templates().stream()
                .filter(template -> !template.startsWith("/health/") && !template.equals("/metrics"))
                .collect(Collectors.toSet());
        assertThat(JUPYTER.keySet()).containsExactlyInAnyOrderElementsOf(served);
        assertThat(covered).containsAll(expected);
    }

    @Test
    void everyUserOfAnotherOrganisation_isRefusedEveryResourceOfB_withoutLeakingIt() throws Exception {
        List<String> failures = new ArrayList<>();
        Map<String, String> attackers = attackers();
        // probe by probe, each by every user of A: the writes in A's own space come last
        for (Probe probe : probes()) {
            for (Map.Entry<String, String> attacker : attackers.entrySet()) {
                check(attacker.getKey(), attacker.getValue(), probe, failures);
            }
        }
        assertThat(failures).as("refused attempts that answered otherwise").isEmpty();
        // the attempts are in A's audit log, and nothing of them in B's
        assertThat(team.store.audit().list(team.orgA.organisation().id(), 1000))
                .anyMatch(entry -> entry.action().equals("request.denied"));
        assertThat(team.store.audit().list(team.orgB.organisation().id(), 1000))
                .noneMatch(entry -> entry.action().equals("request.denied"));

        // B's things are as they were
        String b = team.tokenB;
        assertThat(team.send(b, "GET", "/api/contents/" + B_PATH, null).body()).contains(B_CONTENT)
                .doesNotContain("A was here");
        assertThat(team.send(b, "GET", "/api/kernels/" + jupyterKernelId, null).statusCode()).isEqualTo(200);
        assertThat(team.send(b, "GET", "/api/v1/sessions/" + v1SessionId, null).statusCode()).isEqualTo(200);
        assertThat(team.send(b, "GET", "/api/sessions/" + jupyterSessionId, null).statusCode()).isEqualTo(200);
        assertThat(json(team.send(b, "GET", "/api/v1/files/" + fileId + "/versions", null)).size()).isEqualTo(
                bVersions);
        assertThat(json(team.send(b, "GET", "/api/v1/runs/" + runId, null)).path("status").asText())
                .isEqualTo("succeeded");
        assertThat(json(team.send(b, "GET", "/api/v1/executions/" + executionId, null)).path("status").asText())
                .isEqualTo("succeeded");
    }

    @Test
    void revokedAndExpiredTokens_are401OnEveryEndpoint() throws Exception {
        User owner = team.orgA.owner();
        String revoked = team.tokenOfA(owner.id(), Optional.empty());
        ok(team.send(revoked, "GET", "/api/contents", null));
        team.admin.revokeToken(revoked.substring(6, 18));
        String expired = team.tokenOfA(owner.id(), Optional.of(Instant.now().plusMillis(1500)));
        ok(team.send(expired, "GET", "/api/contents", null));
        Await.until(WAIT, "the token to expire", () -> status(expired, "/api/contents") == 401);

        List<String> failures = new ArrayList<>();
        for (String token : new String[] {revoked, expired, null}) {
            for (Probe probe : probes()) {
                if (probe.webSocket()) {
                    check("bad token", token == null ? "" : token, probe, failures);
                    continue;
                }
                HttpResponse<String> response = team.send(token, probe.method(), probe.path(), probe.body());
                if (response.statusCode() != 401) {
                    failures.add(probe.method() + " " + probe.path() + " -> " + response.statusCode());
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void rolesWithinTheOrganisation_areEnforcedOnEveryKindOfChange() throws Exception {
        String a = team.tokenA;
        String path = "a-roles.ipynb";
        ok(team.send(a, "PUT", "/api/contents/" + path, NOTEBOOK.formatted("A's own")));
        String id = json(ok(team.send(a, "GET", "/api/v1/files?path=" + path, null))).path("id").asText();
        String version = json(ok(team.send(a, "GET", "/api/v1/files/" + id + "/versions", null))).get(0)
                .path("id").asText();
        String checkpoint = json(ok(team.send(a, "POST", "/api/contents/" + path + "/checkpoints", null)))
                .path("id").asText();
        JsonNode session = json(ok(team.send(a, "POST", "/api/v1/files/" + id + "/sessions", "{}")));
        String sessionId = session.path("id").asText();
        String kernelId = session.path("kernel_id").asText();
        String body = "{\"cells\": [], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}";
        String changed = NOTEBOOK.formatted("changed");

        record Case(String who, String token, String method, String path, String body, int status) {
        }
        String viewer = team.viewerToken;
        String executor = team.executorToken;
        String stranger = team.memberWithoutGrantToken;
        List<Case> cases = List.of(
                // a viewer reads, but cannot save, rename, delete or run
                new Case("viewer", viewer, "GET", "/api/contents/" + path, null, 200),
                new Case("viewer", viewer, "GET", "/api/v1/files/" + id + "/content", null, 200),
                new Case("viewer", viewer, "PUT", "/api/contents/" + path, changed, 403),
                new Case("viewer", viewer, "PATCH", "/api/contents/" + path, "{\"path\": \"v.ipynb\"}", 403),
                new Case("viewer", viewer, "DELETE", "/api/contents/" + path, null, 403),
                new Case("viewer", viewer, "POST", "/api/contents/" + path + "/checkpoints", null, 403),
                new Case("viewer", viewer, "POST", "/api/contents/" + path + "/checkpoints/" + checkpoint, null,
                        403),
                new Case("viewer", viewer, "PUT", "/api/v1/files/" + id + "/content", body, 403),
                new Case("viewer", viewer, "PATCH", "/api/v1/files/" + id + "/versions/" + version,
                        "{\"name\": \"v\"}", 403),
                new Case("viewer", viewer, "POST", "/api/v1/files/" + id + "/versions/" + version + "/restore", null,
                        403),
                new Case("viewer", viewer, "POST", "/api/kernels", "{}", 403),
                new Case("viewer", viewer, "POST", "/api/sessions", "{\"path\": \"" + path + "\"}", 403),
                new Case("viewer", viewer, "POST", "/api/kernels/" + kernelId + "/interrupt", null, 403),
                new Case("viewer", viewer, "DELETE", "/api/kernels/" + kernelId, null, 403),
                new Case("viewer", viewer, "POST", "/api/v1/files/" + id + "/runs", "{\"kernel\": \"fake\"}", 403),
                new Case("viewer", viewer, "POST", "/api/v1/files/" + id + "/sessions", "{}", 403),
                new Case("viewer", viewer, "GET", "/api/v1/sessions/" + sessionId, null, 200),
                new Case("viewer", viewer, "POST", "/api/v1/sessions/" + sessionId + "/executions",
                        "{\"all\": true}", 403),
                new Case("viewer", viewer, "POST", "/api/v1/sessions/" + sessionId + "/restart", null, 403),
                // an executor runs code but cannot edit the notebook
                new Case("executor", executor, "PUT", "/api/contents/" + path, changed, 403),
                new Case("executor", executor, "PATCH", "/api/contents/" + path, "{\"path\": \"e.ipynb\"}", 403),
                new Case("executor", executor, "DELETE", "/api/contents/" + path, null, 403),
                new Case("executor", executor, "PUT", "/api/v1/files/" + id + "/content", body, 403),
                new Case("executor", executor, "POST", "/api/v1/files/" + id + "/versions/" + version + "/restore",
                        null, 403),
                new Case("executor", executor, "POST", "/api/v1/sessions/" + sessionId + "/executions",
                        "{\"all\": true}", 202),
                new Case("executor", executor, "POST", "/api/v1/sessions/" + sessionId + "/interrupt", null, 200),
                // a member without any grant sees nothing of the organisation's project
                new Case("member without grant", stranger, "GET", "/api/contents", null, 404),
                new Case("member without grant", stranger, "GET", "/api/contents/" + path, null, 404),
                new Case("member without grant", stranger, "GET", "/api/v1/files/" + id, null, 404),
                new Case("member without grant", stranger, "GET", "/api/v1/sessions/" + sessionId, null, 404),
                new Case("member without grant", stranger, "GET", "/api/kernels/" + kernelId, null, 404),
                new Case("member without grant", stranger, "POST", "/api/v1/sessions/" + sessionId + "/executions",
                        "{\"all\": true}", 404),
                new Case("member without grant", stranger, "POST", "/api/kernels", "{}", 404));
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            HttpResponse<String> response = team.send(c.token(), c.method(), c.path(), c.body());
            if (response.statusCode() != c.status()) {
                failures.add(c.who() + ": " + c.method() + " " + c.path() + " -> " + response.statusCode()
                        + " (expected " + c.status() + "): " + response.body());
            }
        }
        assertThat(failures).isEmpty();
        for (String listing : List.of("/api/v1/sessions", "/api/sessions", "/api/kernels")) {
            assertThat(team.send(stranger, "GET", listing, null).body()).as(listing).doesNotContain(sessionId)
                    .doesNotContain(kernelId);
        }
        assertThat(team.send(a, "GET", "/api/contents/" + path, null).body()).contains("A's own")
                .doesNotContain("changed");
        ok(team.send(a, "DELETE", "/api/v1/sessions/" + sessionId, null));
    }

    /** Fresh tokens of each user of A (the matrix ends by signing them out). */
    private Map<String, String> attackers() {
        Map<String, String> users = new LinkedHashMap<>();
        users.put("owner of A", fresh(team.tokenA));
        users.put("viewer of A", fresh(team.viewerToken));
        users.put("executor of A", fresh(team.executorToken));
        users.put("member of A without grant", fresh(team.memberWithoutGrantToken));
        return users;
    }

    private String fresh(String token) {
        return team.tokenOfA(team.store.tokens().verify(token).orElseThrow().userId(), Optional.empty());
    }

    private void check(String who, String token, Probe probe, List<String> failures) throws Exception {
        String label = who + ": " + probe.method() + " " + probe.path();
        if (probe.webSocket()) {
            Optional<Integer> refused = webSocketRefusal(token, probe.path());
            if (refused.isEmpty() || refused.get() < 400 || refused.get() >= 500) {
                failures.add(label + " -> " + refused.map(String::valueOf).orElse("connected"));
            }
            return;
        }
        HttpResponse<String> response = team.send(token, probe.method(), probe.path(), probe.body());
        String sent = probe.path() + " " + (probe.body() == null ? "" : probe.body());
        List<String> leaked = secrets.stream().filter(secret -> !sent.contains(secret)
                && response.body().contains(secret)).toList();
        if (!leaked.isEmpty()) {
            failures.add(label + " leaked " + leaked + ": " + response.body());
        }
        int status = response.statusCode();
        boolean fine = switch (probe.expect()) {
            case NOT_FOUND -> status == 404;
            case LISTING -> status == 200 || status == 404; // 404: a member without grant has no project at all
            case EMPTY -> status == 200 && response.body().strip().equals("[]")
                    || status == 404; // 404: a member without grant has no project at all
            case UNAUTHORIZED -> status == 401;
            case NEUTRAL -> status < 500;
        };
        if (!fine) {
            failures.add(label + " -> " + status + " (expected " + probe.expect() + "): " + response.body());
        }
    }

    /** The status a WebSocket upgrade was refused with; empty when it connected. */
    private Optional<Integer> webSocketRefusal(String token, String path) throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + team.port() + path + "?token=" + token);
        try {
            WebSocket socket = TeamServer.HTTP.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            }).get(10, TimeUnit.SECONDS);
            socket.abort();
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return Optional.of(refused.getResponse().statusCode());
            }
            throw e;
        }
    }

    private boolean finished(String token, String path) {
        try {
            String status = json(team.send(token, "GET", path, null)).path("status").asText();
            return !status.equals("queued") && !status.equals("running");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int status(String token, String path) {
        try {
            return team.send(token, "GET", path, null).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return response;
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return TeamServer.json(response);
    }

    private static Map<String, Set<String>> jupyterRoutes() {
        Map<String, Set<String>> routes = new LinkedHashMap<>();
        routes.put("/api", Set.of("GET"));
        routes.put("/api/status", Set.of("GET"));
        routes.put("/api/me", Set.of("GET"));
        routes.put("/api/kernelspecs", Set.of("GET"));
        routes.put("/api/kernelspecs/{name}", Set.of("GET"));
        routes.put("/kernelspecs/{name}/{file}", Set.of("GET"));
        routes.put("/api/kernels", Set.of("GET", "POST"));
        routes.put("/api/kernels/{id}", Set.of("GET", "DELETE"));
        routes.put("/api/kernels/{id}/interrupt", Set.of("POST"));
        routes.put("/api/kernels/{id}/restart", Set.of("POST"));
        routes.put("/api/kernels/{id}/channels", Set.of("GET"));
        routes.put("/api/sessions", Set.of("GET", "POST"));
        routes.put("/api/sessions/{id}", Set.of("GET", "PATCH", "DELETE"));
        routes.put("/api/contents", Set.of("GET", "POST"));
        routes.put("/api/contents/{path}/checkpoints", Set.of("GET", "POST"));
        routes.put("/api/contents/{path}/checkpoints/{checkpoint_id}", Set.of("POST", "DELETE"));
        routes.put("/api/contents/{path}", Set.of("GET", "PUT", "PATCH", "POST", "DELETE"));
        return routes;
    }
}
