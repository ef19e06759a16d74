package io.quire.desktop;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Locale;

/** The Java heap in use, for the memory benchmark ({@code --exit-after-first-screen} prints it). */
final class HeapUse {
    private HeapUse() {
    }

    /**
     * Runs a full garbage collection and describes the heap then: what live objects take, what the JVM has reserved
     * for the heap, and its maximum. Blocks for the collection (hundreds of milliseconds on a big heap).
     *
     * @return e.g. {@code heap after GC: 182.4 MB used, 256.0 MB committed, max 3,932.2 MB}
     */
    static String afterGc() {
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return String.format(Locale.ROOT, "heap after GC: %,.1f MB used, %,.1f MB committed, max %,.1f MB",
                heap.getUsed() / 1e6, heap.getCommitted() / 1e6, heap.getMax() / 1e6);
    }
}
