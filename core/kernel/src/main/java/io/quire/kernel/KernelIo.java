package io.quire.kernel;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/*
 * The five sockets of one kernel connection, whichever implementation carries them (decision 0030):
 * ZmtpIoLoop (Quire's own ZMTP 3.0 client, the default) or ZmqIoLoop (JeroMQ), chosen by the system property
 * quire.kernel.transport ("zmtp" or "jeromq").
 */
interface KernelIo extends AutoCloseable {
    /** The system property that picks the implementation. */
    String TRANSPORT_PROPERTY = "quire.kernel.transport";

    /** Receives what arrives; calls are never concurrent, and must not block. */
    interface Sink {
        void onFrames(Channel channel, List<byte[]> frames);

        void onHeartbeat(boolean alive);
    }

    /** Queues or writes frames for the kernel; thread-safe, never waits for the kernel. */
    void send(Channel channel, List<byte[]> frames);

    /** Forgets heartbeat history, e.g. after a kernel restart. */
    void resetHeartbeat();

    /**
     * Waits until the stdin socket has completed its handshake with the kernel: until then an input_request the
     * kernel sends to this client's identity is dropped by the kernel's ROUTER, and the kernel waits forever.
     */
    boolean awaitStdin(Duration timeout);

    @Override
    void close();

    /** Waits for a future to complete normally, at most {@code timeout}; false when it did not. */
    static boolean await(CompletableFuture<?> future, Duration timeout) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static KernelIo open(ConnectionInfo info, Duration heartbeatInterval, int heartbeatMisses, Sink sink) {
        String transport = System.getProperty(TRANSPORT_PROPERTY, "zmtp").toLowerCase(Locale.ROOT);
        return switch (transport) {
            case "zmtp" -> new ZmtpIoLoop(info, heartbeatInterval, heartbeatMisses, sink);
            case "jeromq" -> new ZmqIoLoop(info, heartbeatInterval, heartbeatMisses, sink);
            default -> throw new KernelException("unknown " + TRANSPORT_PROPERTY + " '" + transport
                    + "' (zmtp or jeromq)");
        };
    }
}
