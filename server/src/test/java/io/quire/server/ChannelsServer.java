package io.quire.server;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.kernel.KernelClientOptions;
import io.quire.kernel.KernelLauncher;
import io.quire.kernels.KernelManager;
import io.quire.server.jupyter.ChannelsOptions;
import io.quire.server.jupyter.KernelChannels;
import io.quire.server.observe.ServerMetrics;
import io.quire.testing.FakeKernel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Only the kernel channels WebSocket, with chosen {@link ChannelsOptions} and a clock the test advances, over fake
 * kernels (with custom commands), for tests of queue, rate and buffering limits.
 */
final class ChannelsServer implements AutoCloseable {
    static final String TOKEN = "channels-token";

    final KernelManager kernels;
    final KernelChannels channels;
    final WebServer server;
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ChannelsServer(Path dir, ChannelsOptions options, Consumer<FakeKernel.Builder> fakes) {
        Path data;
        try {
            data = Files.createDirectories(dir.resolve("data"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KernelLauncher launcher = KernelLauncher.create(FakeKernelProvisioner.configured(fakes),
                FakeKernelProvisioner.registry(data), KernelClientOptions.defaults());
        kernels = KernelManager.builder(launcher).defaultKernelName(FakeKernelProvisioner.KERNEL_NAME).build();
        channels = new KernelChannels(kernels, TOKEN, ServerMetrics.create(kernels::list), options, nanos::get);
        server = WebServer.builder().host("127.0.0.1").port(0)
                .connectionOptions(socket -> socket.tcpNoDelay(true))
                .shutdownHook(false)
                .addRouting(WsRouting.builder().endpoint("/api/kernels/{id}/channels", channels::newConnection))
                .build().start();
    }

    /**
     * Starts the endpoint.
     *
     * @param dir     an empty folder for the kernel spec
     * @param options the limits under test
     * @param fakes   configures every fake kernel (custom commands)
     * @return the running server
     */
    static ChannelsServer start(Path dir, ChannelsOptions options, Consumer<FakeKernel.Builder> fakes) {
        return new ChannelsServer(dir, options, fakes);
    }

    /** Moves the endpoint's clock forward. */
    void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    String startKernel() {
        return kernels.start(FakeKernelProvisioner.KERNEL_NAME, Optional.empty()).id();
    }

    KernelSocket connect(String kernelId, String sessionId) throws Exception {
        return KernelSocket.connectSession(http, server.port(), TOKEN, kernelId, sessionId, false);
    }

    /** A client that reads nothing until {@link KernelSocket#resume()}. */
    KernelSocket connectStalled(String kernelId, String sessionId) throws Exception {
        return KernelSocket.connectSession(http, server.port(), TOKEN, kernelId, sessionId, true);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            kernels.shutdownAll();
        }
    }
}
