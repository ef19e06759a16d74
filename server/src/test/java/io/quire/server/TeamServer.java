package io.quire.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.server.kernels.KernelBackend;
import io.quire.server.team.TeamAdmin;
import io.quire.server.team.TeamMode;
import io.quire.store.Backend;
import io.quire.store.CreatedToken;
import io.quire.store.OrgId;
import io.quire.store.OrgRole;
import io.quire.store.ResourceRef;
import io.quire.store.ResourceRole;
import io.quire.store.Store;
import io.quire.store.TestDatabases;
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
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A team-mode server over a fresh store (H2 or embedded PostgreSQL) and fake kernels, with two organisations:
 * A (owner, viewer, executor, a member without any grant) and B (owner). Tokens are created for each user.
 */
final class TeamServer implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final QuireServer server;
    final FakeKernelProvisioner provisioner;
    final Path stateDir;
    final Store store;
    final TeamAdmin admin;
    final TeamAdmin.Bootstrap orgA;
    final TeamAdmin.Bootstrap orgB;
    final String tokenA;
    final String tokenB;
    final String viewerToken;
    final String executorToken;
    final String memberWithoutGrantToken;

    private TeamServer(QuireServer server, FakeKernelProvisioner provisioner, Path stateDir, Store store, TeamAdmin admin, TeamAdmin.Bootstrap orgA,
            TeamAdmin.Bootstrap orgB, String viewerToken, String executorToken, String memberWithoutGrantToken) {
        this.server = server;
        this.provisioner = provisioner;
        this.stateDir = stateDir;
        this.store = store;
        this.admin = admin;
        this.orgA = orgA;
        this.orgB = orgB;
        this.tokenA = orgA.token().secret();
        this.tokenB = orgB.token().secret();
        this.viewerToken = viewerToken;
        this.executorToken = executorToken;
        this.memberWithoutGrantToken = memberWithoutGrantToken;
    }

    /**
     * Starts a server over a fresh database of a backend (skipped, or failed on CI, when PostgreSQL cannot start).
     *
     * @param backend the database
     * @param dir     a folder for the server root, state and kernel specs
     * @return the running server with its organisations
     */
    static TeamServer start(Backend backend, Path dir) throws IOException {
        Store store = Store.open(TestDatabases.config(backend).build());
        TeamAdmin admin = new TeamAdmin(store, Clock.systemUTC());
        TeamAdmin.Bootstrap orgA = admin.initOrganisation("Org A", "alice@a.example");
        TeamAdmin.Bootstrap orgB = admin.initOrganisation("Org B", "bob@b.example");
        OrgId a = orgA.organisation().id();
        String viewer = member(store, a, orgA, "vera@a.example", Optional.of(ResourceRole.VIEWER));
        String executor = member(store, a, orgA, "erin@a.example", Optional.of(ResourceRole.EXECUTOR));
        String stranger = member(store, a, orgA, "max@a.example", Optional.empty());

        Path root = Files.createDirectories(dir.resolve("root"));
        ServerConfig config = ServerConfig.defaults().with("port", "0", "test").with("root", root.toString(), "test")
                .with("state-dir", dir.resolve("state").toString(), "test")
                .with("default-kernel", FakeKernelProvisioner.KERNEL_NAME, "test");
        FakeKernelProvisioner provisioner = FakeKernelProvisioner.create();
        QuireServer server = QuireServer.start(config, KernelBackend.of(FakeKernelProvisioner.registry(
                        Files.createDirectories(dir.resolve("data"))), provisioner),
                Optional.of(TeamMode.over(store)), "test");
        return new TeamServer(server, provisioner, dir.resolve("state"), store, admin, orgA, orgB, viewer, executor, stranger);
    }

    private static String member(Store store, OrgId org, TeamAdmin.Bootstrap bootstrap, String email,
            Optional<ResourceRole> role) {
        User user = store.users().create(email, email, Optional.empty());
        store.memberships().add(org, user.id(), OrgRole.MEMBER, Optional.empty());
        role.ifPresent(r -> store.grants().grant(org, ResourceRef.project(bootstrap.project()), user.id(), r,
                Optional.empty()));
        return token(store, org, user.id(), Optional.empty());
    }

    /** A new token of a user of organisation A, optionally expiring. */
    String tokenOfA(UserId user, Optional<Instant> expires) {
        return token(store, orgA.organisation().id(), user, expires);
    }

    /** A new token of organisation A's owner limited to some scopes. */
    String scopedTokenOfOwnerA(Set<String> scopes) {
        return store.tokens().create(orgA.organisation().id(), orgA.owner().id(), "scoped", scopes, Optional.empty(),
                Optional.empty()).secret();
    }

    private static String token(Store store, OrgId org, UserId user, Optional<Instant> expires) {
        CreatedToken created = store.tokens().create(org, user, "test", Set.of(), expires, Optional.empty());
        return created.secret();
    }

    int port() {
        return server.port();
    }

    /** Sends a request with {@code Authorization: token T} (none when the token is null). */
    HttpResponse<String> send(String token, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
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

    @Override
    public void close() {
        server.close(); // closes the store too
    }
}
