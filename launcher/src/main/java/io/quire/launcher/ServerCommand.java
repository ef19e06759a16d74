package io.quire.launcher;

import io.quire.kernel.KernelSpecRegistry;
import io.quire.server.QuireServer;
import io.quire.server.ServerConfig;
import io.quire.server.kernels.KernelBackend;
import io.quire.server.kernels.KernelsConfig;
import io.quire.server.team.StoreSettings;
import io.quire.server.team.TeamMode;
import io.quire.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quire server}: runs the headless server until Ctrl-C or SIGTERM, then stops it gracefully.
 */
@Command(name = "server",
        mixinStandardHelpOptions = true,
        versionProvider = QuireCommand.Version.class,
        description = {
            "Run Quire headless: the Jupyter Server API (JupyterLab, VS Code and @jupyterlab/services can connect)",
            "on 127.0.0.1 unless told otherwise. Prints the URL with its token, like Jupyter.",
            "Configuration: --config FILE (YAML, keys under 'server:'), then environment variables QUIRE_<KEY>",
            "(upper case, '_' for '-'), then these options. Keys: host, port, root, token, max-body-bytes,",
            "default-kernel; iopub-msg-rate-limit, iopub-data-rate-limit, rate-limit-window, ws-queue-max-messages,",
            "ws-queue-max-bytes, ws-close-grace, ws-replay-timeout, ws-replay-max-messages, ws-replay-max-bytes;",
            "cors-allowed-origins, cors-allowed-methods, cors-allowed-headers, cors-allow-credentials, cors-max-age;",
            "shutdown-grace, shutdown-kernels, state-dir; rtu-queue-max-events, rtu-queue-max-bytes,",
            "rtu-poll-interval, rtu-max-catch-up, rtu-kernel-lease-ttl, rtu-presence-ttl, rtu-write-after. See the",
            "README for what each does.",
            "Ctrl-C or SIGTERM stops it gracefully: in-flight requests finish (shutdown-grace), then kernels are",
            "shut down, or left running for the next start when shutdown-kernels is false.",
            "Kernels (local processes, Docker images, sizes, pools, quotas, culling): the 'kernels:' section of the",
            "same file, see the README. Team mode (organisations, users, API tokens in a database): the 'store:'",
            "section (url, user, password, dialect) or QUIRE_STORE_URL; see 'quire admin'."})
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "A YAML configuration file.")
    private Path configFile;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "The address to listen on (default 127.0.0.1).")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", description = "The port (default 8888; 0 picks a free one).")
    private Integer port;

    @Option(names = "--root", paramLabel = "DIR", description = "The folder the contents API serves (default: here).")
    private Path root;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The access token (default: a new random token). Prefer QUIRE_TOKEN: options show in ps.")
    private String token;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        ServerConfig config;
        KernelsConfig kernelsConfig;
        Optional<StoreSettings> storeSettings;
        try {
            storeSettings = StoreSettings.load(Optional.ofNullable(configFile), System.getenv());
            config = ServerConfig.load(Optional.ofNullable(configFile), System.getenv());
            kernelsConfig = KernelsConfig.load(Optional.ofNullable(configFile), System.getenv());
            if (host != null) {
                config = config.with("host", host, "--");
            }
            if (port != null) {
                config = config.with("port", port.toString(), "--");
            }
            if (root != null) {
                config = config.with("root", root.toString(), "--");
            }
            if (token != null) {
                config = config.with("token", token, "--");
            }
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("quire server: " + e.getMessage());
            return 2;
        }
        ServerHeap.keepGrownHeap();
        QuireServer server;
        try {
            Optional<TeamMode> team = storeSettings.map(TeamMode::open);
            server = QuireServer.start(config, KernelBackend.create(kernelsConfig, KernelSpecRegistry.create(),
                    !config.shutdownKernels()), team, QuireCommand.version());
            if (team.isPresent()) {
                out.println("Team mode: users authenticate with API tokens of the store (see 'quire admin').");
            }
        } catch (IllegalStateException | StoreException e) {
            spec.commandLine().getErr().println("quire server: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "quire-server-stop"));
        out.println("Quire " + QuireCommand.version() + " is serving " + config.root());
        out.println("    " + server.urlWithToken());
        out.println("Use Ctrl-C to stop the server.");
        out.flush();
        stopped.await();
        return 0;
    }
}
