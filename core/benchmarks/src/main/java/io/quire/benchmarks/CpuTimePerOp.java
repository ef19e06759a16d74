package io.quire.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

/**
 * The CPU time of this thread per call of single-threaded benchmark methods, for machines too busy for JMH's
 * wall-clock figures: other processes stretch wall time but hardly the CPU time a thread is charged. Reports the best
 * and the median of 40 rounds of 20 calls after 1,000 warm-up calls. GC threads' time is not included. Run:
 * {@code java -cp core/benchmarks/target/quire-benchmarks.jar io.quire.benchmarks.CpuTimePerOp}.
 */
public final class CpuTimePerOp {
    private static final int WARM_UP_CALLS = 1_000;
    private static final int ROUNDS = 40;
    private static final int CALLS_PER_ROUND = 20;

    private CpuTimePerOp() {
    }

    /**
     * Measures the notebook codec and contents save benchmarks' single-threaded methods.
     *
     * @param args ignored
     * @throws Exception if a benchmark fails
     */
    public static void main(String[] args) throws Exception {
        measure(ContentsSaveBenchmark.class, List.of("readBody", "parse", "write"));
        measure(NotebookCodecBenchmark.class, List.of("read", "write", "fromJson"));
    }

    private static void measure(Class<?> type, List<String> methods) throws ReflectiveOperationException {
        Object benchmark = type.getConstructor().newInstance();
        type.getMethod("setUp").invoke(benchmark);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try {
            for (String name : methods) {
                Method method;
                try {
                    method = type.getMethod(name);
                } catch (NoSuchMethodException e) {
                    System.out.printf("%s.%s: not in this build%n", type.getSimpleName(), name);
                    continue;
                }
                for (int i = 0; i < WARM_UP_CALLS; i++) {
                    method.invoke(benchmark);
                }
                long[] perCall = new long[ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    long start = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < CALLS_PER_ROUND; i++) {
                        method.invoke(benchmark);
                    }
                    perCall[round] = (threads.getCurrentThreadCpuTime() - start) / CALLS_PER_ROUND;
                }
                Arrays.sort(perCall);
                System.out.printf("%s.%s: CPU per call best %.3f ms, median %.3f ms%n", type.getSimpleName(), name,
                        perCall[0] / 1e6, perCall[ROUNDS / 2] / 1e6);
            }
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("benchmark " + type.getSimpleName() + " failed", e.getCause());
        } finally {
            try {
                type.getMethod("tearDown").invoke(benchmark);
            } catch (NoSuchMethodException e) {
                // NotebookCodecBenchmark keeps nothing to clean up
            }
        }
    }
}
