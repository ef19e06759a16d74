package io.quire.kernel.docker;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HardwareSizeTest {
    private static final long MIB = 1024L * 1024L;

    @Test
    void memoryText_namesWholeGibAndMib() {
        assertThat(HardwareSize.defaults().memoryText()).isEqualTo("2 GiB");
        assertThat(new HardwareSize("s", 1, 256 * MIB, 64).memoryText()).isEqualTo("256 MiB");
        assertThat(new HardwareSize("s", 1, 1536 * MIB, 64).memoryText()).isEqualTo("1.5 GiB");
    }

    @Test
    void nanoCpus_isTheQuotaInBillionths() {
        assertThat(new HardwareSize("half", 0.5, 256 * MIB, 64).nanoCpus()).isEqualTo(500_000_000L);
    }

    @Test
    void constructor_rejectsLimitsOutOfRange() {
        assertThatThrownBy(() -> new HardwareSize("x", 0, 256 * MIB, 64)).hasMessageContaining("cpus");
        assertThatThrownBy(() -> new HardwareSize("x", 1, MIB, 64)).hasMessageContaining("memoryBytes");
        assertThatThrownBy(() -> new HardwareSize("x", 1, 256 * MIB, 1)).hasMessageContaining("pidsLimit");
        assertThatThrownBy(() -> new HardwareSize(" ", 1, 256 * MIB, 64)).hasMessageContaining("name");
        assertThatThrownBy(() -> new HardwareSize("x", 1, 256 * MIB, 64, -2)).hasMessageContaining("gpus");
    }

    @Test
    void gpus_defaultToNoneAndMayBeACountOrAll() {
        HardwareSize size = new HardwareSize("s", 1, 256 * MIB, 64);

        assertThat(size.gpus()).isZero();
        assertThat(HardwareSize.defaults().gpus()).isZero();
        assertThat(size.withGpus(2).gpus()).isEqualTo(2);
        assertThat(size.withGpus(HardwareSize.ALL_GPUS)).isEqualTo(new HardwareSize("s", 1, 256 * MIB, 64, -1));
    }
}
