package io.quire.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.kernel.KernelSpecRegistry;
import io.quire.kernel.local.LocalProcessProvisioner;
import io.quire.server.QuireServer;
import io.quire.server.ServerConfig;
import io.quire.server.kernels.KernelBackend;
import io.quire.server.team.StoreSettings;
import io.quire.server.team.TeamMode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code quire admin}: bootstrap an organisation on an H2 file, then use its token against a team server. */
class AdminCommandTest {
    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
        String lastLine() {
            List<String> lines = out.lines().toList();
            return lines.getLast().strip();
        }
    }

    private static Result execute(String... args) {
        CommandLine commandLine = QuireCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void initOrg_printsATokenThatWorksAgainstATeamServerOnTheSameFile_untilRevoked() throws Exception {
        Path config = dir.resolve("quire.yaml");
        Files.writeString(config, "store:\n  url: jdbc:h2:file:" + dir.resolve("db/quire").toAbsolutePath() + "\n");

        Result init = execute("admin", "--config", config.toString(), "init-org", "Acme Labs",
                "--owner-email", "ada@acme.example");
        assertThat(init.exit()).as(init.err()).isZero();
        assertThat(init.out()).contains("acme-labs").contains("ada@acme.example").doesNotContainIgnoringCase("password");
        String token = init.lastLine();
        assertThat(token).startsWith("quire_");

        Result second = execute("admin", "--config", config.toString(), "create-token", "--email", "ada@acme.example",
                "--expires", "30d");
        assertThat(second.exit()).as(second.err()).isZero();
        String expiring = second.lastLine();
        assertThat(expiring).startsWith("quire_").isNotEqualTo(token);

        assertThat(status(config, token)).isEqualTo(200);
        assertThat(status(config, expiring)).isEqualTo(200);
        assertThat(status(config, "quire_000000000000_" + "A".repeat(43))).isEqualTo(401);

        Result revoke = execute("admin", "--config", config.toString(), "revoke-token", expiring.substring(6, 18));
        assertThat(revoke.exit()).as(revoke.err()).isZero();
        assertThat(status(config, expiring)).isEqualTo(401);
        assertThat(status(config, token)).isEqualTo(200);
    }

    @Test
    void admin_withoutAStore_isAClearUsageError() {
        Result result = execute("admin", "create-token", "--email", "ada@acme.example");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("no store configured");
    }

    @Test
    void createToken_forAnUnknownUser_fails() throws Exception {
        Path config = dir.resolve("quire.yaml");
        Files.writeString(config, "store:\n  url: jdbc:h2:file:" + dir.resolve("db2/quire").toAbsolutePath() + "\n");

        Result result = execute("admin", "--config", config.toString(), "create-token", "--email", "nobody@x.example");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("nobody@x.example");
    }

    @Test
    void setPassword_readsThePasswordFromStandardInput_andItSignsInAgainstATeamServer() throws Exception {
        Path config = dir.resolve("quire.yaml");
        Files.writeString(config, "store:\n  url: jdbc:h2:file:" + dir.resolve("db3/quire").toAbsolutePath() + "\n");
        assertThat(execute("admin", "--config", config.toString(), "init-org", "Pw Labs", "--owner-email",
                "pat@pw.example").exit()).isZero();

        Result set;
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("correct horse battery\n"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            set = execute("admin", "--config", config.toString(), "set-password", "--email", "pat@pw.example");
        } finally {
            System.setIn(stdin);
        }
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.out()).contains("pat@pw.example").doesNotContain("correct horse");

        assertThat(login(config, "{\"email\": \"pat@pw.example\", \"password\": \"correct horse battery\"}"))
                .isEqualTo(201);
        assertThat(login(config, "{\"email\": \"pat@pw.example\", \"password\": \"wrong horse battery\"}"))
                .isEqualTo(401);
    }

    @Test
    void setPassword_withNothingOnStandardInput_isAUsageError() {
        Result result;
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(new byte[0]));
            result = execute("admin", "set-password", "--email", "pat@pw.example");
        } finally {
            System.setIn(stdin);
        }
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("no password given");
    }

    /** Starts a team server on the configured store, posts a sign-in, stops it. */
    private int login(Path config, String body) throws Exception {
        StoreSettings settings = StoreSettings.load(Optional.of(config), Map.of()).orElseThrow();
        Path root = Files.createDirectories(dir.resolve("root"));
        ServerConfig serverConfig = ServerConfig.defaults().with("port", "0", "test")
                .with("root", root.toString(), "test").with("state-dir", dir.resolve("state").toString(), "test");
        try (QuireServer server = QuireServer.start(serverConfig, KernelBackend.of(KernelSpecRegistry.create(),
                LocalProcessProvisioner.create()), Optional.of(TeamMode.open(settings)), "test")) {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url()
                            + "api/v1/auth/login")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        }
    }

    /** Starts a team server on the configured store, asks GET /api/contents with the token, stops it. */
    private int status(Path config, String token) throws Exception {
        StoreSettings settings = StoreSettings.load(Optional.of(config), Map.of()).orElseThrow();
        Path root = Files.createDirectories(dir.resolve("root"));
        ServerConfig serverConfig = ServerConfig.defaults().with("port", "0", "test")
                .with("root", root.toString(), "test").with("state-dir", dir.resolve("state").toString(), "test");
        try (QuireServer server = QuireServer.start(serverConfig, KernelBackend.of(KernelSpecRegistry.create(),
                LocalProcessProvisioner.create()), Optional.of(TeamMode.open(settings)), "test")) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.url() + "api/contents")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode();
        }
    }
}
