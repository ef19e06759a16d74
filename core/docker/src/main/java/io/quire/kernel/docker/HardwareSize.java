package io.quire.kernel.docker;

import java.util.Locale;
import java.util.Objects;

/**
 * The resources one kernel container may use: turned into Docker's memory limit (swap disabled), pids limit,
 * CPU quota and, optionally, a GPU request.
 *
 * @param name        a name shown to users and put on the container label {@code io.quire.size}, e.g. {@code small}
 * @param cpus        CPU cores, e.g. {@code 0.5} or {@code 2}; a quota, not a reservation
 * @param memoryBytes memory limit in bytes, at least 16 MiB; the kernel is killed (out of memory) beyond it
 * @param pidsLimit   the most processes and threads the container may run at once, at least 16
 * @param gpus        GPUs requested from the engine: {@code 0} for none, a count, or {@value #ALL_GPUS} for all;
 *                    any GPU request needs a GPU-capable engine (e.g. the NVIDIA container toolkit), else the
 *                    launch fails with the engine's error
 */
public record HardwareSize(String name, double cpus, long memoryBytes, long pidsLimit, int gpus) {
    /** The {@link #gpus()} value that requests every GPU of the machine (Docker's {@code --gpus all}). */
    public static final int ALL_GPUS = -1;
    private static final long MIB = 1024L * 1024L;
    private static final long GIB = 1024L * MIB;

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when the name is blank or a limit is out of range
     */
    public HardwareSize {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("hardware size name must not be blank");
        }
        if (!(cpus > 0) || cpus > 1024) {
            throw new IllegalArgumentException("hardware size '" + name + "': cpus must be in (0, 1024] but was " + cpus);
        }
        if (memoryBytes < 16 * MIB) {
            throw new IllegalArgumentException("hardware size '" + name + "': memoryBytes must be at least 16 MiB but was "
                    + memoryBytes);
        }
        if (pidsLimit < 16) {
            throw new IllegalArgumentException("hardware size '" + name + "': pidsLimit must be at least 16 but was "
                    + pidsLimit);
        }
        if (gpus < ALL_GPUS) {
            throw new IllegalArgumentException("hardware size '" + name + "': gpus must be 0 (none), a count or "
                    + ALL_GPUS + " (all) but was " + gpus);
        }
    }

    /**
     * A size without GPUs.
     *
     * @param name        the size's name
     * @param cpus        CPU cores
     * @param memoryBytes memory limit in bytes
     * @param pidsLimit   the most processes and threads
     * @throws IllegalArgumentException when the name is blank or a limit is out of range
     */
    public HardwareSize(String name, double cpus, long memoryBytes, long pidsLimit) {
        this(name, cpus, memoryBytes, pidsLimit, 0);
    }

    /**
     * @param count GPUs to request: {@code 0} for none, a count, or {@value #ALL_GPUS} for all
     * @return this size with that GPU request
     * @throws IllegalArgumentException when the count is below {@value #ALL_GPUS}
     */
    public HardwareSize withGpus(int count) {
        return new HardwareSize(name, cpus, memoryBytes, pidsLimit, count);
    }

    /** @return Quire's default size: 1 CPU, 2 GiB, 512 processes/threads */
    public static HardwareSize defaults() {
        return new HardwareSize("default", 1.0, 2 * GIB, 512);
    }

    /** @return the memory limit for people, e.g. {@code 2 GiB} or {@code 256 MiB} */
    public String memoryText() {
        return bytesText(memoryBytes);
    }

    /** @return the CPU quota as Docker's {@code NanoCpus} */
    long nanoCpus() {
        return Math.round(cpus * 1_000_000_000d);
    }

    static String bytesText(long bytes) {
        if (bytes % GIB == 0) {
            return bytes / GIB + " GiB";
        }
        if (bytes >= GIB) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) GIB);
        }
        if (bytes % MIB == 0) {
            return bytes / MIB + " MiB";
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
    }
}
