package io.quire.kernel.docker;

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
 * Picks free tcp ports on the host's loopback for kernels on the host network: every port of one allocation is
 * probed while the others are still held (so they are distinct), and ports handed out in the last minute are skipped
 * so that two kernels starting together cannot get the same one. A port can still be taken between the probe and the
 * kernel's bind; the kernel then dies with "Address already in use" in its log tail, which the launcher recognises
 * and retries with fresh ports.
 */
final class DockerPorts {
    private static final Duration QUARANTINE = Duration.ofMinutes(1);
    private static final Map<Integer, Long> RECENT = new HashMap<>();

    private DockerPorts() {
    }

    static synchronized int[] allocate(String ip, int count) {
        long now = System.nanoTime();
        RECENT.values().removeIf(issued -> now - issued > QUARANTINE.toNanos());
        List<ServerSocket> probes = new ArrayList<>();
        int[] ports = new int[count];
        try {
            InetAddress address = InetAddress.getByName(ip);
            int found = 0;
            for (int attempt = 0; found < count && attempt < count * 20; attempt++) {
                ServerSocket probe = new ServerSocket();
                probes.add(probe);
                probe.bind(new InetSocketAddress(address, 0));
                if (!RECENT.containsKey(probe.getLocalPort())) {
                    ports[found++] = probe.getLocalPort();
                }
            }
            if (found < count) {
                throw new KernelLaunchException("could not find " + count + " free ports on " + ip);
            }
        } catch (IOException e) {
            throw new KernelLaunchException("cannot probe free ports on " + ip + ": " + e.getMessage(), e);
        } finally {
            for (ServerSocket probe : probes) {
                try {
                    probe.close();
                } catch (IOException ignored) {
                    // a probe socket holds nothing worth reporting
                }
            }
        }
        for (int port : ports) {
            RECENT.put(port, now);
        }
        return ports;
    }
}
