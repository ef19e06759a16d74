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
 * and the median of 40 rounds of 20 calls after 1,000 warm-up calls (and at least 2 s of them). GC threads' time is
 * not included. Run: {@code java -cp core/benchmarks/target/quire-benchmarks.jar io.quire.benchmarks.CpuTimePerOp};
 * with the argument {@code DeltaApply} it measures {@link DeltaApplyBenchmark} instead (microsecond calls: 40 rounds
 * of 2,000 calls after 50,000 warm-up calls and 2 s, for 100 and 1,000 cells; {@code DeltaApply <method> <cells>}
 * measures one of them, best in a JVM of its own).
 */
public final class CpuTimePerOp {
    private static final int WARM_UP_CALLS = 1_000;
    private static final int ROUNDS = 40;
    private static final int CALLS_PER_ROUND = 20;

    private CpuTimePerOp() {
    }

    /**
     * Measures the notebook codec and contents save benchmarks' single-threaded methods, or with {@code DeltaApply}
     * the delta apply benchmark's.
     *
     * @param args nothing, {@code DeltaApply}, or {@code DeltaApply <method> <cells>}
     * @throws Exception if a benchmark fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("DeltaApply")) {
            if (args.length == 3) { // one method and size per JVM, as JMH forks, so no method's profile is another's
                measure(DeltaApplyBenchmark.class, Integer.parseInt(args[2]), List.of(args[1]), 50_000, 2_000);
                return;
            }
            for (int cells : new int[] {100, 1000}) {
                measure(DeltaApplyBenchmark.class, cells, List.of("clientRemoteEdit",
                        "clientRemoteEditWhileOwnInFlight", "clientRemoteInsertThenDelete", "serverEdit",
                        "serverInsertThenDelete"), 50_000, 2_000);
            }
            return;
        }
        measure(ContentsSaveBenchmark.class, -1, List.of("readBody", "readBodyJackson", "parse", "write", "writeParsed"),
                WARM_UP_CALLS,
                CALLS_PER_ROUND);
        measure(NotebookCodecBenchmark.class, -1, List.of("read", "write", "fromJson"), WARM_UP_CALLS,
                CALLS_PER_ROUND);
    }

    private static void measure(Class<?> type, int cells, List<String> methods, int warmUpCalls, int callsPerRound)
            throws ReflectiveOperationException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (String name : methods) {
            // a fresh instance per method, as JMH makes a fresh state per benchmark
            Object benchmark = type.getConstructor().newInstance();
            if (cells >= 0) {
                type.getField("cells").setInt(benchmark, cells);
            }
            type.getMethod("setUp").invoke(benchmark);
            try {
                Method method;
                try {
                    method = type.getMethod(name);
                } catch (NoSuchMethodException e) {
                    System.out.printf("%s.%s: not in this build%n", type.getSimpleName(), name);
                    continue;
                }
                // the calls, and at least two seconds: on a busy machine the JIT's threads wait for a core too
                long warmUntil = System.nanoTime() + 2_000_000_000L;
                for (int i = 0; i < warmUpCalls || System.nanoTime() < warmUntil; i++) {
                    method.invoke(benchmark);
                }
                long[] perCall = new long[ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    long start = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < callsPerRound; i++) {
                        method.invoke(benchmark);
                    }
                    perCall[round] = (threads.getCurrentThreadCpuTime() - start) / callsPerRound;
                }
                Arrays.sort(perCall);
                System.out.printf("%s.%s%s: CPU per call best %.3f %s, median %.3f %s%n", type.getSimpleName(), name,
                        cells >= 0 ? " (" + cells + " cells)" : "",
                        scaled(perCall[0], cells >= 0), unit(cells >= 0),
                        scaled(perCall[ROUNDS / 2], cells >= 0), unit(cells >= 0));
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("benchmark " + type.getSimpleName() + "." + name + " failed",
                        e.getCause());
            } finally {
                try {
                    type.getMethod("tearDown").invoke(benchmark);
                } catch (NoSuchMethodException e) {
                    // NotebookCodecBenchmark and DeltaApplyBenchmark keep nothing to clean up
                }
            }
        }
    }

    private static double scaled(long nanos, boolean micros) {
        return micros ? nanos / 1e3 : nanos / 1e6;
    }

    private static String unit(boolean micros) {
        return micros ? "µs" : "ms";
    }
}
