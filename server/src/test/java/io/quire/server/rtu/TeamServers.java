package io.quire.server.rtu;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.kernel.FakeKernelProvisioner;
import io.quire.server.QuireServer;
import io.quire.server.ServerConfig;
import io.quire.server.kernels.KernelBackend;
import io.quire.server.team.TeamMode;
import io.quire.store.CreatedToken;
import io.quire.store.OrgId;
import io.quire.store.OrgRole;
import io.quire.store.ProjectId;
import io.quire.store.ResourceRef;
import io.quire.store.ResourceRole;
import io.quire.store.Store;
import io.quire.store.User;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Helpers for team-mode rtu tests: start a server over a store, add users with a role, save notebooks. */
final class TeamServers {
    private TeamServers() {
    }

    static QuireServer start(Store store, Path dir, String name) throws IOException {
        return start(store, dir, name, Map.of());
    }

    /** Starts a team-mode server with fake kernels and some configuration keys set. */
    static QuireServer start(Store store, Path dir, String name, Map<String, String> settings) throws IOException {
        Path root = Files.createDirectories(dir.resolve(name + "-root"));
        ServerConfig config = ServerConfig.defaults().with("port", "0", "test").with("root", root.toString(), "test")
                .with("state-dir", dir.resolve(name + "-state").toString(), "test")
                .with("default-kernel", FakeKernelProvisioner.KERNEL_NAME, "test");
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            config = config.with(setting.getKey(), setting.getValue(), "test");
        }
        return QuireServer.start(config, KernelBackend.of(FakeKernelProvisioner.registry(
                        Files.createDirectories(dir.resolve(name + "-data"))), FakeKernelProvisioner.create()),
                Optional.of(TeamMode.over(store)), "test");
    }

    /** A member of an organisation with a role on its project (or none); returns their token. */
    static String member(Store store, OrgId org, ProjectId project, String email, Optional<ResourceRole> role) {
        User user = store.users().create(email, email, Optional.empty());
        store.memberships().add(org, user.id(), OrgRole.MEMBER, Optional.empty());
        role.ifPresent(granted -> store.grants().grant(org, ResourceRef.project(project), user.id(), granted,
                Optional.empty()));
        CreatedToken created = store.tokens().create(org, user.id(), "test", Set.of(), Optional.empty(),
                Optional.empty());
        return created.secret();
    }

    /** Saves a notebook through the contents API. */
    static void save(QuireServer server, String token, String path, String notebookJson) throws Exception {
        save(server.port(), token, path, notebookJson);
    }

    /** Saves a notebook through the contents API of the server on a port. */
    static void save(int port, String token, String path, String notebookJson) throws Exception {
        HttpResponse<String> response = RtuSocket.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + port + "/api/contents/" + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "token " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"type\": \"notebook\", \"content\": " + notebookJson
                        + "}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    }
}
