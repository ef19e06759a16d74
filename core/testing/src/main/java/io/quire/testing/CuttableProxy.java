package io.quire.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 in front of a local port, whose connections a test can cut as a network failure would
 * (no close handshake on the proxied protocol), and which can refuse new ones for a while.
 */
public final class CuttableProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean refusing;
    private volatile boolean stalled;
    private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong toClients = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Starts proxying.
     *
     * @param target the local port to forward to
     * @throws IOException if no port can be opened
     */
    public CuttableProxy(int target) throws IOException {
        this.target = target;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("proxy-accept").start(this::accept);
    }

    /**
     * The port to connect to instead of the target's.
     *
     * @return the port
     */
    public int port() {
        return listener.getLocalPort();
    }

    /** Closes every open connection, both sides. */
    public void cut() {
        sockets.forEach(CuttableProxy::closeQuietly);
        sockets.clear();
    }

    /**
     * While true, connections are accepted and closed at once, as to a server that is down.
     *
     * @param value whether to refuse
     */
    public void refuse(boolean value) {
        refusing = value;
    }

    /**
     * How many connections were accepted and proxied so far (refused ones not counted).
     *
     * @return the count
     */
    public int accepted() {
        return accepted.get();
    }

    /**
     * How many bytes went from the target to the clients so far.
     *
     * @return the count
     */
    public long bytesToClients() {
        return toClients.get();
    }

    /**
     * How many connections were refused so far ({@link #refuse}).
     *
     * @return the count
     */
    public int refused() {
        return refused.get();
    }

    /**
     * While true, the open connections stay open but nothing goes through them (bytes read are dropped), as on a
     * network that lost its route without closing anything.
     *
     * @param value whether to stall
     */
    public void stall(boolean value) {
        stalled = value;
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (refusing) {
                closeQuietly(client);
                refused.incrementAndGet();
                continue;
            }
            Socket server = new Socket();
            try {
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            sockets.add(client);
            sockets.add(server);
            accepted.incrementAndGet();
            pump(client, server, null);
            pump(server, client, toClients);
        }
    }

    /** Copies one direction; counts the bytes passed on, when given a counter. */
    private void pump(Socket from, Socket to, java.util.concurrent.atomic.AtomicLong counter) {
        Thread.ofPlatform().daemon().name("proxy-pump").start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (var in = from.getInputStream(); var out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (!stalled) {
                        out.write(buffer, 0, n);
                        if (counter != null) {
                            counter.addAndGet(n);
                        }
                    }
                }
            } catch (IOException e) {
                // cut, or closed by either side
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut();
    }
}
