package io.quire.server.rtu;

import io.quire.kernel.KernelSpecRegistry;
import io.quire.kernel.local.LocalProcessProvisioner;
import io.quire.server.QuireServer;
import io.quire.server.ServerConfig;
import io.quire.server.kernels.KernelBackend;
import io.quire.server.team.TeamMode;
import io.quire.store.Store;
import io.quire.store.StoreConfig;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * A team-mode Quire server node in its own JVM, on a shared store, for tests that kill a node: configured from
 * {@code QUIRE_*} environment variables as {@code quire server} is, with the store's JDBC URL as the first argument.
 * Prints {@value #PORT_LINE} with its port and {@value #NODE_LINE} with its kernel-lease node id once it listens.
 */
final class RtuChildNode {
    static final String PORT_LINE = "QUIRE-RTU-NODE-PORT=";
    static final String NODE_LINE = "QUIRE-RTU-NODE-ID=";

    private RtuChildNode() {
    }

    public static void main(String[] args) throws InterruptedException {
        Store store = Store.open(StoreConfig.builder(args[0]).maxPoolSize(6).build());
        ServerConfig config = ServerConfig.load(Optional.empty(), System.getenv());
        QuireServer server = QuireServer.start(config, KernelBackend.of(KernelSpecRegistry.create(),
                LocalProcessProvisioner.create()), Optional.of(TeamMode.over(store)), "child");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "child-node-stop"));
        System.out.println(NODE_LINE + server.rtuExecution().executions().nodeId());
        System.out.println(PORT_LINE + server.port());
        System.out.flush();
        stopped.await();
    }
}
