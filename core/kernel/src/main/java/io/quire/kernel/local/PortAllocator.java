package io.quire.kernel.local;

import io.quire.kernel.KernelLaunchException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/*
 * Picks free tcp ports by binding to port 0 and releasing. All ports of one allocation are held open
 * together, so they are distinct. Ports handed out recently are not handed out again for a while, so
 * two kernels launched at the same time in this JVM cannot get the same port before either binds it.
 * Another process can still grab a port between release and the kernel's bind: the launcher retries
 * the launch with fresh ports when the kernel reports "Address already in use".
 */
final class PortAllocator {
    private static final Duration QUARANTINE = Duration.ofMinutes(1);
    private static final Map<Integer, Long> RECENT = new HashMap<>();

    private PortAllocator() {
    }

    static synchronized int[] allocate(String ip, int count) {
        long now = System.nanoTime();
        RECENT.values().removeIf(issued -> now - issued > QUARANTINE.toNanos());
        List<ServerSocket> held = new ArrayList<>();
        int[] ports = new int[count];
        try {
            InetAddress address = InetAddress.getByName(ip);
            int found = 0;
            for (int attempt = 0; found < count && attempt < count * 20; attempt++) {
                ServerSocket socket = new ServerSocket();
                held.add(socket);
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(address, 0));
                int port = socket.getLocalPort();
                if (!RECENT.containsKey(port)) {
                    ports[found++] = port;
                }
            }
            if (found < count) {
                throw new KernelLaunchException("could not find " + count + " free ports on " + ip);
            }
        } catch (IOException e) {
            throw new KernelLaunchException("cannot probe free ports on " + ip + ": " + e.getMessage(), e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a probe socket cannot lose anything
                }
            }
        }
        for (int port : ports) {
            RECENT.put(port, now);
        }
        return ports;
    }
}
