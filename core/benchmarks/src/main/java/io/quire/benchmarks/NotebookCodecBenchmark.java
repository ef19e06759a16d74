package io.quire.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.notebook.Cell;
import io.quire.notebook.CodeCell;
import io.quire.notebook.DisplayData;
import io.quire.notebook.MarkdownCell;
import io.quire.notebook.MimeBundle;
import io.quire.notebook.Notebook;
import io.quire.notebook.Output;
import io.quire.notebook.StreamOutput;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Read and write throughput of a 10 MB notebook: 400 cells, half with a ~40 KB PNG-like base64 image, the rest
 * with source and stream output. Run: {@code java -jar core/benchmarks/target/quire-benchmarks.jar NotebookCodec}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NotebookCodecBenchmark {
    private byte[] json;
    private Notebook notebook;
    private ObjectNode tree;

    /** Builds the notebook once. */
    @Setup
    public void setUp() {
        notebook = tenMegabyteNotebook();
        json = notebook.toBytes();
        tree = notebook.toJson();
        if (json.length < 9_500_000) {
            throw new IllegalStateException("benchmark notebook too small: " + json.length + " bytes");
        }
    }

    /**
     * Parse JSON bytes into the model.
     *
     * @return the notebook (consumed by JMH)
     */
    @Benchmark
    public Notebook read() {
        return Notebook.read(json);
    }

    /**
     * Serialise the model to nbformat JSON.
     *
     * @return the bytes (consumed by JMH)
     */
    @Benchmark
    public byte[] write() {
        return notebook.toBytes();
    }

    /**
     * A JSON tree to the model, as the desktop opens a notebook it received as a contents model.
     *
     * @return the notebook (consumed by JMH)
     */
    @Benchmark
    public Notebook fromJson() {
        return Notebook.fromJson(tree);
    }

    /**
     * Read then write, the round trip of opening and saving.
     *
     * @return the bytes (consumed by JMH)
     */
    @Benchmark
    public byte[] readWrite() {
        return Notebook.read(json).toBytes();
    }

    static Notebook tenMegabyteNotebook() {
        SplittableRandom random = new SplittableRandom(7);
        List<Cell> cells = new ArrayList<>();
        byte[] image = new byte[30_000];
        for (int i = 0; i < 400; i++) {
            if (i % 10 == 0) {
                cells.add(MarkdownCell.of(Optional.of("md" + i), "## Section " + i + "\n\nSome *text* here.\n"));
                continue;
            }
            List<Output> outputs = new ArrayList<>();
            StringBuilder stream = new StringBuilder();
            for (int line = 0; line < 200; line++) {
                stream.append("step ").append(line).append(" loss=").append(random.nextDouble()).append('\n');
            }
            outputs.add(StreamOutput.of("stdout", stream.toString()));
            if (i % 2 == 1) {
                random.nextBytes(image);
                ObjectNode data = JsonNodeFactory.instance.objectNode();
                data.put("image/png", Base64.getEncoder().encodeToString(image));
                data.put("text/plain", "<Figure size 640x480 with 1 Axes>");
                outputs.add(DisplayData.of(MimeBundle.of(data)));
            }
            CodeCell cell = CodeCell.of(Optional.of("c" + i), "import numpy as np\nx = np.arange(" + i + ")\nprint(x.sum())\n")
                    .withExecutionCount(Optional.of(i))
                    .withOutputs(outputs);
            cells.add(cell);
        }
        return Notebook.empty().withCells(cells);
    }
}
