package io.quire.benchmarks;

import io.quire.execution.KernelStarter;
import io.quire.execution.NotebookRunner;
import io.quire.execution.RunListener;
import io.quire.execution.RunRequest;
import io.quire.execution.RunResult;
import io.quire.kernel.ConnectionInfo;
import io.quire.kernel.ExecuteRequest;
import io.quire.kernel.ExecutionListener;
import io.quire.kernel.KernelClient;
import io.quire.kernel.KernelInfo;
import io.quire.kernel.KernelState;
import io.quire.kernel.PendingExecution;
import io.quire.kernel.Registration;
import io.quire.kernel.RunningKernel;
import io.quire.kernel.KernelSpec;
import io.quire.kernel.spi.KernelExit;
import io.quire.notebook.Cell;
import io.quire.notebook.CodeCell;
import io.quire.notebook.Notebook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Measures what {@code quire run} adds per cell on top of the Jupyter protocol round trip, on one real kernel.
 *
 * <p>Both loops run the same trivial cells on the same warmed-up kernel in the same JVM: (a) the bare client loop
 * ({@code execute}, wait for reply and idle), and (b) the notebook runner (output capture, papermill metadata,
 * notebook snapshots, periodic saves to an in-memory sink). The difference of their medians per cell is the runner's
 * overhead. Run: {@code java -cp core/benchmarks/target/quire-benchmarks.jar io.quire.benchmarks.RunnerOverhead [cells]
 * [rounds]} (default 200 cells, 5 rounds; needs the python3 kernel spec of ipykernel).
 */
public final class RunnerOverhead {
    private RunnerOverhead() {
    }

    /**
     * Entry point.
     *
     * @param args optional: cells per round, rounds
     */
    public static void main(String[] args) {
        int cells = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        try (RunningKernel kernel = KernelStarter.localProcesses().start("python3", Optional.empty(), Duration.ofSeconds(60))) {
            KernelStarter shared = (name, cwd, timeout) -> new Unclosable(kernel);
            NotebookRunner runner = NotebookRunner.create(shared, "bench");
            Notebook notebook = trivial(cells);
            List<Double> bare = new ArrayList<>();
            List<Double> viaRunner = new ArrayList<>();
            for (int round = 0; round < rounds + 1; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < cells; i++) {
                    PendingExecution pending = kernel.execute(ExecuteRequest.of("x" + i + " = " + i + " + 1\nx" + i),
                            ExecutionListener.IGNORE);
                    pending.await(Duration.ofSeconds(30));
                }
                double bareMs = (System.nanoTime() - start) / 1e6 / cells;
                long[] bounds = new long[2];
                RunResult result = runner.run(RunRequest.of(notebook, "bench.ipynb", "bench-out.ipynb"),
                        new RunListener() {
                            @Override
                            public void cellStarted(int index, int total) {
                                if (index == 0) {
                                    bounds[0] = System.nanoTime();
                                }
                            }

                            @Override
                            public void cellFinished(int index, int total) {
                                bounds[1] = System.nanoTime();
                            }

                            @Override
                            public void save(Notebook saved, boolean last) {
                                saved.toBytes();
                            }
                        });
                if (result.outcome() != RunResult.Outcome.SUCCEEDED) {
                    throw new IllegalStateException("run failed: " + result.failure());
                }
                double runnerMs = (bounds[1] - bounds[0]) / 1e6 / cells;
                if (round > 0) { // round 0 warms up the JIT
                    bare.add(bareMs);
                    viaRunner.add(runnerMs);
                }
                System.out.printf("round %d: bare client %.3f ms/cell, runner %.3f ms/cell%n", round, bareMs, runnerMs);
            }
            double bareMedian = median(bare);
            double runnerMedian = median(viaRunner);
            System.out.printf("median over %d rounds of %d cells: bare client %.3f ms/cell, runner %.3f ms/cell, "
                    + "runner overhead %.3f ms/cell%n", rounds, cells, bareMedian, runnerMedian, runnerMedian - bareMedian);
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static Notebook trivial(int count) {
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cells.add(CodeCell.of(Optional.of("c" + i), "x" + i + " = " + i + " + 1\nx" + i));
        }
        com.fasterxml.jackson.databind.node.ObjectNode metadata = com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.objectNode();
        metadata.putObject("kernelspec").put("name", "python3").put("language", "python");
        return Notebook.empty().withCells(cells).withMetadata(metadata);
    }

    /** The shared kernel, handed to each run; the run's close leaves it running. */
    private record Unclosable(RunningKernel delegate) implements RunningKernel {
        @Override
        public KernelSpec spec() {
            return delegate.spec();
        }

        @Override
        public KernelClient client() {
            return delegate.client();
        }

        @Override
        public ConnectionInfo connectionInfo() {
            return delegate.connectionInfo();
        }

        @Override
        public KernelInfo info() {
            return delegate.info();
        }

        @Override
        public KernelState state() {
            return delegate.state();
        }

        @Override
        public PendingExecution execute(ExecuteRequest request, ExecutionListener listener) {
            return delegate.execute(request, listener);
        }

        @Override
        public void interrupt() {
            delegate.interrupt();
        }

        @Override
        public void restart(Duration timeout) {
            delegate.restart(timeout);
        }

        @Override
        public void shutdown(Duration grace) {
            // shared: the benchmark shuts it down at the end
        }

        @Override
        public Registration onDeath(Consumer<KernelExit> listener) {
            return delegate.onDeath(listener);
        }
    }

}
