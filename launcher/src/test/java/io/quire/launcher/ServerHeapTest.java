package io.quire.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The server keeps its grown heap, unless the user sized it. */
class ServerHeapTest {
    @Test
    void aDefaultFlag_isSet_aUsersIsLeftAlone() {
        assertThat(ServerHeap.applies(new VMOption("MaxHeapFreeRatio", "70", true, VMOption.Origin.DEFAULT))).isTrue();
        assertThat(ServerHeap.applies(new VMOption("MaxHeapFreeRatio", "70", true, VMOption.Origin.VM_CREATION)))
                .isFalse();
        assertThat(ServerHeap.applies(new VMOption("MaxHeapFreeRatio", "70", true, VMOption.Origin.ENVIRON_VAR)))
                .isFalse();
        assertThat(ServerHeap.applies(new VMOption("MaxHeapFreeRatio", "70", false, VMOption.Origin.DEFAULT)))
                .isFalse();
    }

    @Test
    void inThisJvm_theFlagIsSetAtRunTime() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        VMOption before = vm.getVMOption("MaxHeapFreeRatio");
        boolean set = ServerHeap.keepGrownHeap();
        VMOption after = vm.getVMOption("MaxHeapFreeRatio");
        if (ServerHeap.applies(before)) {
            assertThat(set).isTrue();
            assertThat(after.getValue()).isEqualTo("100");
            assertThat(after.getOrigin()).isEqualTo(VMOption.Origin.MANAGEMENT);
        } else {
            // the test JVM was given the flag (or it was set before): unchanged
            assertThat(set).isFalse();
            assertThat(after.getValue()).isEqualTo(before.getValue());
        }
    }
}
