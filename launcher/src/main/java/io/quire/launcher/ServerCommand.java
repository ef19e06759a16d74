package io.quire.launcher;

import io.quire.kernel.KernelSpecRegistry;
import io.quire.server.QuireServer;
import io.quire.server.ServerConfig;
import io.quire.server.kernels.KernelBackend;
import io.quire.server.kernels.KernelsConfig;
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
            "Configuration: --config FILE (YAML, keys under 'server:'), then QUIRE_HOST, QUIRE_PORT, QUIRE_ROOT,",
            "QUIRE_TOKEN, QUIRE_MAX_BODY_BYTES, QUIRE_DEFAULT_KERNEL, then these options.",
            "Kernels (local processes, Docker images, sizes): the 'kernels:' section of the same file, see the README."})
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
        try {
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
        QuireServer server = QuireServer.start(config, KernelBackend.create(kernelsConfig, KernelSpecRegistry.create()),
                QuireCommand.version());
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
