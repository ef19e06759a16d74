package io.quire.launcher;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;

/**
 * Heap sizing for {@code quire server} (decision 0039): the heap G1 has grown under load is kept instead of being given
 * back at each concurrent cycle.
 *
 * <p>Why: a concurrent cycle while the server is nearly idle (the metaspace threshold at start-up is one) shrinks the
 * heap to a few times what is live, 68 MB here. Under saves of megabyte notebooks the young generation is then too
 * small for the requests in flight: their buffers survive young collections, fill the old generation, start more
 * concurrent cycles, and each of them shrinks the heap again. Saves ran at less than half their rate for minutes
 * (docs/benchmarks.md). {@code MaxHeapFreeRatio} is a manageable flag, so this works the same for the launcher script
 * and the installed application, whose JVM options are shared with the desktop.
 */
final class ServerHeap {
    private ServerHeap() {
    }

    /**
     * Sets {@code MaxHeapFreeRatio} to 100 (the heap is not shrunk) unless the user set it.
     *
     * @return true if it was set here
     */
    static boolean keepGrownHeap() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (vm == null || !applies(vm.getVMOption("MaxHeapFreeRatio"))) {
                return false;
            }
            vm.setVMOption("MaxHeapFreeRatio", "100");
            return true;
        } catch (RuntimeException e) {
            // not a HotSpot JVM, or the flag is not there: the JVM's own sizing stays
            return false;
        }
    }

    /** Whether the flag is still the JVM's default and can be changed at run time. */
    static boolean applies(VMOption option) {
        return option.isWriteable() && option.getOrigin() == VMOption.Origin.DEFAULT;
    }
}
