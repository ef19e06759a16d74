package io.quire.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.contents.ContentModel;
import io.quire.contents.SaveRequest;
import io.quire.contents.fs.FileContentsManager;
import io.quire.notebook.Cell;
import io.quire.notebook.CodeCell;
import io.quire.notebook.DisplayData;
import io.quire.notebook.JsonTreeReader;
import io.quire.notebook.MimeBundle;
import io.quire.notebook.MultilineText;
import io.quire.notebook.Notebook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The work behind {@code PUT /api/contents/{path}} of a 1 MB notebook, without HTTP: the notebook of
 * {@code scripts/server-vs-jupyter-server.sh} (40 code cells, each with a 24 KB base64 image), sent as a contents
 * model {@code {"type": "notebook", "format": "json", "content": ...}}. Run:
 * {@code java -jar core/benchmarks/target/quire-benchmarks.jar ContentsSave}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ContentsSaveBenchmark {
    /** The HTTP layer's mapper settings (plain Jackson defaults), as the server reads request bodies. */
    private static final ObjectMapper BODY_MAPPER = JsonMapper.builder().build();
    /** How the HTTP layer reads bodies: its own reader, Jackson for what that declines (decision 0039). */
    private static final JsonTreeReader BODY_READER = new JsonTreeReader(BODY_MAPPER.reader());

    private byte[] body;
    private Notebook notebook;
    private Notebook parsedNotebook;
    private Path root;
    private FileContentsManager contents;

    /** Builds the notebook and the request body once, and a temporary contents root. */
    @Setup
    public void setUp() throws IOException {
        notebook = oneMegabyteNotebook();
        ObjectNode model = JsonNodeFactory.instance.objectNode();
        model.put("type", "notebook");
        model.put("format", "json");
        model.set("content", notebook.toJson());
        body = BODY_MAPPER.writeValueAsBytes(model);
        if (body.length < 900_000) {
            throw new IllegalStateException("benchmark body too small: " + body.length + " bytes");
        }
        parsedNotebook = ((SaveRequest.NotebookContent) request()).parse("big.ipynb");
        root = Files.createTempDirectory("quire-save-bench");
        contents = FileContentsManager.create(root);
        contents.save("big.ipynb", SaveRequest.notebook(notebook));
    }

    /** Deletes the temporary contents root. */
    @TearDown
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /**
     * The request body to a JSON tree only, the first half of {@link #parse()}.
     *
     * @return the tree (consumed by JMH)
     */
    @Benchmark
    public JsonNode readBody() {
        try {
            return BODY_READER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The request body to a JSON tree by Jackson alone, as before decision 0039.
     *
     * @return the tree (consumed by JMH)
     */
    @Benchmark
    public JsonNode readBodyJackson() {
        try {
            return BODY_MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The request body to the notebook model: JSON bytes to a save request to a notebook.
     *
     * @return the notebook (consumed by JMH)
     */
    @Benchmark
    public Notebook parse() {
        return ((SaveRequest.NotebookContent) request()).parse("big.ipynb");
    }

    /**
     * The notebook model to nbformat's canonical bytes.
     *
     * @return the bytes (consumed by JMH)
     */
    @Benchmark
    public byte[] write() {
        return notebook.toBytes();
    }

    /**
     * The notebook as a save has it (read from a request body, its long strings marked plain) to nbformat's bytes.
     *
     * @return the bytes (consumed by JMH)
     */
    @Benchmark
    public byte[] writeParsed() {
        return parsedNotebook.toBytes();
    }

    /**
     * The whole save: request body to a durable file (temporary file, fsync, rename, directory fsync).
     *
     * @return the saved entry's model (consumed by JMH)
     */
    @Benchmark
    public ContentModel save() {
        return contents.save("big.ipynb", request());
    }

    /**
     * The whole save from 16 threads at once on the same file, as {@code PUT} at concurrency 16 does.
     *
     * @return the saved entry's model (consumed by JMH)
     */
    @Benchmark
    @Threads(16)
    public ContentModel save16() {
        return contents.save("big.ipynb", request());
    }

    private SaveRequest request() {
        try {
            JsonNode tree = BODY_READER.readTree(body);
            return SaveRequest.fromJson("big.ipynb", tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Notebook oneMegabyteNotebook() {
        SplittableRandom random = new SplittableRandom(1);
        byte[] image = new byte[18_000];
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            random.nextBytes(image);
            ObjectNode data = JsonNodeFactory.instance.objectNode();
            data.put("image/png", Base64.getEncoder().encodeToString(image));
            data.putArray("text/plain").add("<Figure>");
            cells.add(new CodeCell(Optional.of("c" + i), MultilineText.of("plot(" + i + ")\n"),
                    JsonNodeFactory.instance.objectNode(), Optional.of(i), List.of(DisplayData.of(MimeBundle.of(data))),
                    JsonNodeFactory.instance.objectNode()));
        }
        ObjectNode kernelspec = JsonNodeFactory.instance.objectNode();
        kernelspec.put("name", "python3").put("display_name", "Python 3").put("language", "python");
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        metadata.set("kernelspec", kernelspec);
        return Notebook.empty().withCells(cells).withMetadata(metadata);
    }
}
