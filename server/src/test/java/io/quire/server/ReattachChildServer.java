package io.quire.server;

import io.quire.kernel.KernelSpecRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * A Quire server in its own JVM, configured from {@code QUIRE_*} environment variables and stopped by SIGTERM as
 * {@code quire server} is, for tests of what outlives a server process. Prints {@value #PORT_LINE} and the port once
 * it listens.
 */
final class ReattachChildServer {
    static final String PORT_LINE = "QUIRE-CHILD-PORT=";

    private ReattachChildServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> environment = System.getenv();
        QuireServer server = QuireServer.start(ServerConfig.load(Optional.empty(), environment),
                KernelSpecRegistry.create(), "child");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "child-server-stop"));
        System.out.println(PORT_LINE + server.port());
        System.out.flush();
        stopped.await();
    }
}
