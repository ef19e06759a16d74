package io.quire.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.testing.Await;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Both kernel transports — Quire's ZMTP client and the JeroMQ fallback — against real ZeroMQ peers (JeroMQ playing
 * the kernel): the ZeroMQ behaviours a kernel connection relies on — connecting before the kernel binds, queuing
 * until then, identities for the ROUTER, subscribing again after a kernel restart, frames of every size, the
 * heartbeat — and a port that does not speak ZMTP.
 */
class ZmtpIoLoopTest {
    /** The transports, as {@link KernelIo#open} makes them. */
    enum Transport {
        ZMTP, JEROMQ;

        KernelIo open(ConnectionInfo info, Duration heartbeat, int misses, KernelIo.Sink sink) {
            return this == ZMTP ? new ZmtpIoLoop(info, heartbeat, misses, sink)
                    : new ZmqIoLoop(info, heartbeat, misses, sink);
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ZContext kernel = new ZContext(1);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Boolean> heartbeats = new CopyOnWriteArrayList<>();
    private final KernelIo.Sink sink = new KernelIo.Sink() {
        @Override
        public void onFrames(Channel channel, List<byte[]> frames) {
            received.add(new Received(channel, frames));
        }

        @Override
        public void onHeartbeat(boolean alive) {
            heartbeats.add(alive);
        }
    };

    private record Received(Channel channel, List<byte[]> frames) {
        String text(int frame) {
            return new String(frames.get(frame), StandardCharsets.UTF_8);
        }
    }

    @AfterEach
    void closeKernel() {
        kernel.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static ConnectionInfo info(int... ports) {
        return new ConnectionInfo("tcp", "127.0.0.1", ports[0], ports[1], ports[2], ports[3], ports[4], "k",
                "hmac-sha256", "");
    }

    private static ConnectionInfo freshInfo() throws IOException {
        return info(freePort(), freePort(), freePort(), freePort(), freePort());
    }

    private ZMQ.Socket bind(SocketType type, int port) {
        ZMQ.Socket socket = kernel.createSocket(type);
        socket.setLinger(0);
        socket.bind("tcp://127.0.0.1:" + port);
        return socket;
    }

    /** Binds once the port is free again (a closed socket releases its port asynchronously). */
    private ZMQ.Socket bindWhenFree(SocketType type, int port) {
        ZMQ.Socket[] bound = new ZMQ.Socket[1];
        Await.until(WAIT, "port " + port + " free to bind", () -> {
            ZMQ.Socket socket = kernel.createSocket(type);
            socket.setLinger(0);
            try {
                socket.bind("tcp://127.0.0.1:" + port);
                bound[0] = socket;
                return true;
            } catch (org.zeromq.ZMQException e) {
                kernel.destroySocket(socket);
                return false;
            }
        });
        return bound[0];
    }

    private static List<byte[]> receive(ZMQ.Socket socket, Duration timeout) {
        socket.setReceiveTimeOut((int) timeout.toMillis());
        byte[] first = socket.recv();
        if (first == null) {
            return List.of();
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv());
        }
        return frames;
    }

    private static List<byte[]> frames(String... texts) {
        return Arrays.stream(texts).map(text -> text.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aMessageSentBeforeTheKernelBinds_arrivesOnceItDoes_andTheReplyComesBackToThisIdentity(Transport transport) throws Exception {
        ConnectionInfo info = freshInfo();
        try (KernelIo io = transport.open(info, Duration.ofSeconds(1), 3, sink)) {
            io.send(Channel.SHELL, frames("<IDS|MSG>", "sig", "early"));
            // something that is not the kernel yet takes the port and hangs up on every connection
            AtomicInteger attempts = new AtomicInteger();
            try (ServerSocket early = new ServerSocket(info.shellPort(), 10, InetAddress.getLoopbackAddress())) {
                Thread.ofPlatform().daemon().start(() -> {
                    while (!early.isClosed()) {
                        try (Socket refused = early.accept()) {
                            attempts.incrementAndGet();
                        } catch (IOException e) {
                            return;
                        }
                    }
                });
                Await.until(WAIT, "two connection attempts before the kernel binds", () -> attempts.get() >= 2);
            }
            ZMQ.Socket shell = bindWhenFree(SocketType.ROUTER, info.shellPort());

            List<byte[]> request = receive(shell, WAIT);
            assertThat(request).hasSize(4);
            assertThat(new String(request.get(3), StandardCharsets.UTF_8)).isEqualTo("early");
            byte[] identity = request.get(0);
            assertThat(identity).isNotEmpty();

            shell.sendMore(identity);
            shell.sendMore("<IDS|MSG>");
            shell.send("reply");
            Await.until(WAIT, "the reply", () -> !received.isEmpty());
            assertThat(received.getFirst().channel()).isEqualTo(Channel.SHELL);
            assertThat(received.getFirst().text(1)).isEqualTo("reply");

            // stdin shares the shell's identity: the kernel's stdin ROUTER addresses input requests by it
            ZMQ.Socket stdin = bind(SocketType.ROUTER, info.stdinPort());
            assertThat(io.awaitStdin(WAIT)).isTrue();
            io.send(Channel.STDIN, frames("<IDS|MSG>", "answer"));
            assertThat(receive(stdin, WAIT).getFirst()).isEqualTo(identity);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void iopub_isSubscribedAgainWhenTheKernelRestartsOnTheSamePort(Transport transport) throws Exception {
        ConnectionInfo info = freshInfo();
        try (KernelIo io = transport.open(info, Duration.ofSeconds(1), 3, sink)) {
            ZMQ.Socket first = bind(SocketType.PUB, info.iopubPort());
            publishUntilReceived(first, "before");
            first.close();
            ZMQ.Socket second = bindWhenFree(SocketType.PUB, info.iopubPort());
            publishUntilReceived(second, "after");
        }
    }

    private void publishUntilReceived(ZMQ.Socket pub, String text) {
        Await.until(WAIT, "'" + text + "' on iopub", () -> {
            pub.sendMore("topic");
            pub.send(text);
            return received.stream().anyMatch(r -> r.channel() == Channel.IOPUB && r.text(1).equals(text));
        });
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void framesOfEverySize_crossIntactBothWays(Transport transport) throws Exception {
        ConnectionInfo info = freshInfo();
        ZMQ.Socket shell = bind(SocketType.ROUTER, info.shellPort());
        byte[] small = new byte[255];
        byte[] medium = new byte[256];
        byte[] large = new byte[3 * 1024 * 1024];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 31);
        }
        Arrays.fill(small, (byte) 's');
        Arrays.fill(medium, (byte) 'm');
        try (KernelIo io = transport.open(info, Duration.ofSeconds(1), 3, sink)) {
            io.send(Channel.SHELL, List.of(new byte[0], small, medium, large));
            List<byte[]> request = receive(shell, WAIT);
            assertThat(request).hasSize(5);
            assertThat(request.get(1)).isEmpty();
            assertThat(request.get(2)).isEqualTo(small);
            assertThat(request.get(3)).isEqualTo(medium);
            assertThat(request.get(4)).isEqualTo(large);

            shell.sendMore(request.get(0));
            shell.sendMore(medium);
            shell.send(large);
            Await.until(WAIT, "the large reply", () -> !received.isEmpty());
            assertThat(received.getFirst().frames().get(0)).isEqualTo(medium);
            assertThat(received.getFirst().frames().get(1)).isEqualTo(large);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theHeartbeat_isAnsweredByAKernelsRep_andAMissingAnswerIsReported(Transport transport) throws Exception {
        ConnectionInfo info = freshInfo();
        ZMQ.Socket hb = bind(SocketType.REP, info.hbPort());
        AtomicInteger answered = new AtomicInteger();
        Thread echo = Thread.ofPlatform().daemon().start(() -> {
            hb.setReceiveTimeOut(100);
            while (answered.get() < 5) {
                byte[] ping = hb.recv();
                if (ping != null) {
                    hb.send(ping);
                    answered.incrementAndGet();
                }
            }
        });
        try (KernelIo io = transport.open(info, Duration.ofMillis(50), 2, sink)) {
            echo.join(WAIT);
            assertThat(answered).hasValue(5);
            // the kernel stops answering (it is hung): two missed beats later it is reported dead
            Await.until(WAIT, "the kernel reported unresponsive", () -> heartbeats.contains(false));
            assertThat(heartbeats).containsExactly(false);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aPortThatDoesNotSpeakZmtp_isRetried_andCloseStaysPrompt(Transport transport) throws Exception {
        ConnectionInfo info = freshInfo();
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket http = new ServerSocket(info.shellPort(), 10, InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofPlatform().daemon().start(() -> {
                while (!http.isClosed()) {
                    try (Socket client = http.accept(); OutputStream out = client.getOutputStream()) {
                        connections.incrementAndGet();
                        out.write(("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" + "x".repeat(80))
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            KernelIo io = transport.open(info, Duration.ofSeconds(1), 3, sink);
            io.send(Channel.SHELL, frames("never delivered"));
            Await.until(WAIT, "several attempts", () -> connections.get() >= 3);
            long start = System.nanoTime();
            io.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(received).isEmpty();
            http.close();
            server.join(WAIT);
        }
    }

    @Test
    void encode_marksEveryFrameButTheLastAsMore_andUsesLongSizesAbove255() {
        byte[] encoded = ZmtpIoLoop.encode(List.of(new byte[] {7}, new byte[300]), false);
        assertThat(encoded[0]).isEqualTo((byte) 1); // MORE, short
        assertThat(encoded[1]).isEqualTo((byte) 1);
        assertThat(encoded[2]).isEqualTo((byte) 7);
        assertThat(encoded[3]).isEqualTo((byte) 2); // last, LONG
        assertThat(Arrays.copyOfRange(encoded, 4, 12)).containsExactly(0, 0, 0, 0, 0, 0, 1, 44);
        assertThat(encoded).hasSize(3 + 9 + 300);
        byte[] request = ZmtpIoLoop.encode(List.of(new byte[] {9}), true);
        assertThat(request).containsExactly(1, 0, 0, 1, 9); // an empty delimiter first
    }
}
