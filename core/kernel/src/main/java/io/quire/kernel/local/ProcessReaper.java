package io.quire.kernel.local;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/*
 * Remembers every local kernel still running and kills their process trees when the JVM exits, so a
 * crashed or Ctrl-C'd Quire never leaves kernels behind. The hook is installed on first use. (ipykernel
 * additionally exits by itself when its parent dies, via JPY_PARENT_PID, which covers SIGKILL of the JVM.)
 */
final class ProcessReaper {
    private static final Set<LocalProcessKernel> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private ProcessReaper() {
    }

    static void register(LocalProcessKernel kernel) {
        installHook();
        LIVE.add(kernel);
    }

    static void unregister(LocalProcessKernel kernel) {
        LIVE.remove(kernel);
    }

    private static synchronized void installHook() {
        if (hookInstalled) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("quire-kernel-reaper").unstarted(() -> {
            for (LocalProcessKernel kernel : LIVE) {
                kernel.killNow();
            }
        }));
        hookInstalled = true;
    }
}
