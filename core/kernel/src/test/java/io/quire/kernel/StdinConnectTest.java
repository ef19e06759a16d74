package io.quire.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.testing.FakeKernel;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A client knows when its stdin socket has finished connecting to the kernel: before that, a kernel's
 * {@code input_request} to this client would be dropped, so a kernel is declared ready only after it.
 */
class StdinConnectTest {

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void awaitStdin_isFalseUntilTheKernelsStdinSocketIsThere_andTrueOnceItIs() throws Exception {
        try (FakeKernel fake = FakeKernel.start()) {
            ConnectionInfo real = ConnectionInfo.parse(fake.connectionFileJson());
            int late = freePort(); // nothing listens here yet: a kernel that has not bound its stdin socket
            ConnectionInfo info = new ConnectionInfo(real.transport(), real.ip(), real.shellPort(), real.iopubPort(),
                    late, real.controlPort(), real.hbPort(), real.key(), real.signatureScheme(), real.kernelName());
            try (ZmqKernelClient client = ZmqKernelClient.connect(info, KernelClientOptions.defaults());
                 ZContext context = new ZContext(1)) {
                assertThat(client.awaitStdin(Duration.ofMillis(300))).as("no stdin socket to connect to").isFalse();

                ZMQ.Socket stdin = context.createSocket(SocketType.ROUTER);
                stdin.bind("tcp://" + real.ip() + ":" + late);

                assertThat(client.awaitStdin(Duration.ofSeconds(10))).as("connected once the kernel binds it").isTrue();
            }
        }
    }

    @Test
    void aStartedFakeKernel_hasItsStdinConnected() {
        try (FakeKernel fake = FakeKernel.start();
             ZmqKernelClient client = ZmqKernelClient.connect(ConnectionInfo.parse(fake.connectionFileJson()),
                     KernelClientOptions.defaults())) {
            assertThat(client.awaitStdin(Duration.ofSeconds(10))).isTrue();
        }
    }
}
