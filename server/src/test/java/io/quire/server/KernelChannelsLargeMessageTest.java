package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages a client splits into WebSocket fragments (the JDK client does above 16 KiB) are joined, not refused. */
class KernelChannelsLargeMessageTest {
    @Test
    void executeRequestLargerThanOneFragment_runs(@TempDir Path dir) throws Exception {
        try (FakeKernelServer server = FakeKernelServer.start(dir);
             KernelSocket socket = KernelSocket.connect(server.fixture, server.startKernel().path("id").asText(),
                     false)) {
            String msgId = socket.execute("print:x\n".repeat(5000));

            KernelChannelsBackpressureTest.awaitIdle(socket, msgId);

            assertThat(socket.awaitChild(msgId, "execute_reply").path("content").path("status").asText())
                    .isEqualTo("ok");
            assertThat(socket.isClosed()).isFalse();
        }
    }
}
