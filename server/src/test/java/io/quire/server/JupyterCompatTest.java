package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.kernel.KernelSpecRegistry;
import io.quire.kernel.local.LocalProcessProvisioner;
import io.quire.server.kernels.KernelBackend;
import io.quire.server.kernels.KernelsConfig;
import io.quire.server.team.TeamAdmin;
import io.quire.server.team.TeamMode;
import io.quire.store.Backend;
import io.quire.store.Store;
import io.quire.store.TestDatabases;
import io.quire.testing.Engines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives a Quire server with the real {@code @jupyterlab/services} client (Node.js), the way JupyterLab does, over a
 * real ipykernel, as local processes and in Docker containers. Each check of {@code src/test/js/compat.mjs} becomes one test named after the capability it
 * covers, so a failure says what broke. The same script passes against Jupyter Server itself.
 */
class JupyterCompatTest {
    private static final Pattern RESULT = Pattern.compile("^(PASS|FAIL) (\\S+)(?:: (.*))?$");

    @TempDir
    Path root;

    @TestFactory
    Stream<DynamicTest> jupyterlabServicesChecks() throws Exception {
        Engines.requireIpykernel();
        return checks(KernelBackend.of(KernelSpecRegistry.create(), LocalProcessProvisioner.create()), "python3");
    }

    /** The same checks with every kernel in a hardened Docker container (the kernels: configuration of a server). */
    @TestFactory
    Stream<DynamicTest> jupyterlabServicesChecksWithDockerKernels() throws Exception {
        DockerKernels.requireImage(DockerKernels.IMAGE);
        KernelsConfig kernels = KernelsConfig.parse(Map.of(
                "local-specs", false,
                "docker", Map.of("scope", "compat-test-" + ProcessHandle.current().pid()),
                "sizes", Map.of("small", Map.of("cpus", 1, "memory", "1GiB", "pids", 256)),
                "images", List.of(Map.of("name", "python3-docker", "display-name", "Python 3 (Docker)",
                        "image", DockerKernels.IMAGE))), Map.of());
        return checks(KernelBackend.create(kernels, KernelSpecRegistry.create()), "python3-docker");
    }

    /**
     * The same checks in team mode, on the database store (H2): contents, checkpoints, sessions and kernels of the
     * organisation's default project, authenticated with the owner's API token.
     */
    @TestFactory
    Stream<DynamicTest> jupyterlabServicesChecksOnTheDatabaseStore() throws Exception {
        Engines.requireIpykernel();
        Store store = Store.open(TestDatabases.config(Backend.H2).build());
        String token = new TeamAdmin(store, Clock.systemUTC()).initOrganisation("Compat", "compat@example.org")
                .token().secret();
        try {
            return checks(KernelBackend.of(KernelSpecRegistry.create(), LocalProcessProvisioner.create()), "python3",
                    Optional.of(TeamMode.over(store)), token);
        } finally {
            store.close();
        }
    }

    private Stream<DynamicTest> checks(KernelBackend backend, String kernelName) throws Exception {
        return checks(backend, kernelName, Optional.empty(), ServerConfig.randomToken());
    }

    private Stream<DynamicTest> checks(KernelBackend backend, String kernelName, Optional<TeamMode> team, String token)
            throws Exception {
        String node = Engines.requireCommand("node");
        String npm = Engines.requireCommand("npm");
        Path work = prepareClient(npm);
        ServerConfig config = ServerConfig.defaults().with("port", "0", "test").with("root", root.toString(), "test")
                .with("state-dir", root.resolve(".state").toString(), "test")
                .with("token", team.isPresent() ? ServerConfig.randomToken() : token, "test")
                .with("default-kernel", kernelName, "test");
        List<String> lines = new ArrayList<>();
        int exit;
        try (QuireServer server = QuireServer.start(config, backend, team, "test")) {
            Process process = new ProcessBuilder(node, "compat.mjs", server.url(), token, kernelName)
                    .directory(work.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("compat.mjs finished").isTrue();
            exit = process.exitValue();
            lines.addAll(output.lines().toList());
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : lines) {
            Matcher matcher = RESULT.matcher(line);
            if (matcher.matches()) {
                String name = matcher.group(2);
                boolean passed = matcher.group(1).equals("PASS");
                String reason = matcher.group(3);
                tests.add(DynamicTest.dynamicTest(name, () ->
                        assertThat(passed).as("%s: %s", name, reason).isTrue()));
            }
        }
        assertThat(tests).as("checks reported by compat.mjs (exit %d):%n%s", exit, String.join("\n", lines))
                .hasSizeGreaterThanOrEqualTo(11);
        return tests.stream();
    }

    /** Copies the client project to target/ and installs its npm dependencies once (npm ci, from the lock file). */
    private static Path prepareClient(String npm) throws IOException, InterruptedException {
        Path source = Path.of("src/test/js");
        Path work = Path.of("target/jupyter-compat");
        Files.createDirectories(work);
        for (String file : List.of("package.json", "package-lock.json", "compat.mjs")) {
            Files.copy(source.resolve(file), work.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(work.resolve("node_modules/@jupyterlab/services"))) {
            Process install = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(work.toFile()).redirectErrorStream(true).start();
            String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(install.waitFor(10, TimeUnit.MINUTES)).as("npm ci finished").isTrue();
            assertThat(install.exitValue()).as("npm ci failed:%n%s", output).isZero();
        }
        return work;
    }
}
