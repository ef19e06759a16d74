package io.quire.execution;

import static io.quire.execution.TestNotebooks.code;
import static io.quire.execution.TestNotebooks.markdown;
import static io.quire.execution.TestNotebooks.notebook;
import static io.quire.execution.TestNotebooks.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quire.notebook.Notebook;
import io.quire.testing.Engines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs one notebook with pandas, matplotlib, streams, rich displays and a display update both with Quire's runner
 * and with Jupyter's own executor ({@code nbconvert --execute}, which uses nbclient), on the same {@code python3}
 * kernel, and compares the outputs cell by cell. Streams are compared as the concatenated text per stream name,
 * since the order of stdout and stderr messages is not fixed and nbconvert may merge stream messages.
 */
class NbconvertEquivalenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void run_producesTheOutputsNbconvertProduces() throws Exception {
        Engines.requireIpykernel();
        String python = Engines.requirePythonModules("nbconvert", "nbclient", "pandas", "matplotlib");
        warmUpMatplotlib(python);
        Notebook input = notebook("python3",
                code("%matplotlib inline\nimport sys\nimport pandas as pd\nimport matplotlib.pyplot as plt\n"
                        + "from IPython.display import display, HTML, Markdown"),
                code("df = pd.DataFrame({'city': ['Oslo', 'Lima', 'Pune'], 'temp': [4.5, 19.0, 27.25],"
                        + " 'rain': [3, 0, 12]})\ndf"),
                code("df.describe()"),
                code("fig, ax = plt.subplots(figsize=(4, 3))\nax.plot([1, 2, 3], [3, 1, 2])\nax.set_title('line')\n"
                        + "plt.show()"),
                code("print('to stdout')\nprint('to stderr', file=sys.stderr)\nprint('more stdout')"),
                code("display(HTML('<b>bold</b>'))\ndisplay(Markdown('*emphasis*'))"),
                code("handle = display(HTML('<i>first</i>'), display_id=True)"),
                code("handle.update(HTML('<i>second</i>'))\nprint('updated')"),
                markdown("## The end"),
                code("df['temp'].sum()"));
        Path in = dir.resolve("in.ipynb");
        Files.write(in, input.toBytes());

        RunResult quire = NotebookRunner.create(KernelStarter.localProcesses(), "test").run(new RunRequest(input,
                in.toString(), "quire.ipynb", Map.of(), Optional.empty(), Optional.empty(), Optional.of(dir),
                Optional.empty(), java.time.Duration.ofSeconds(60), false), new RecordingListener());
        JsonNode nbconvert = runNbconvert(python, in);

        assertThat(quire.outcome()).as("Quire's run, failure %s", quire.failure()).isEqualTo(RunResult.Outcome.SUCCEEDED);
        JsonNode ours = quire.notebook().toJson().path("cells");
        JsonNode theirs = nbconvert.path("cells");
        assertThat(ours.size()).isEqualTo(theirs.size());
        for (int i = 0; i < ours.size(); i++) {
            JsonNode our = ours.get(i);
            JsonNode their = theirs.get(i);
            assertThat(text(our.path("source"))).isEqualTo(text(their.path("source")));
            if (!their.path("cell_type").asText().equals("code")) {
                continue;
            }
            String where = "cell " + i + " (" + text(their.path("source")).lines().findFirst().orElse("") + ")";
            assertThat(our.path("execution_count")).as("execution_count of %s", where)
                    .isEqualTo(their.path("execution_count"));
            assertThat(richOutputs(our)).as("output types and MIME types of %s", where)
                    .isEqualTo(richOutputs(their));
            assertThat(plainTexts(our)).as("text/plain of %s", where).isEqualTo(plainTexts(their));
            assertThat(streams(our)).as("streams of %s", where).isEqualTo(streams(their));
        }
        assertThat(htmlOf(ours.get(6))).as("the updated display").isEqualTo("<i>second</i>")
                .isEqualTo(htmlOf(theirs.get(6)));
        assertThat(richOutputs(ours.get(3))).as("the plot").singleElement().asString().contains("image/png");
    }

    /** Non-stream outputs in order, each as its output type and sorted MIME types. */
    private static List<String> richOutputs(JsonNode cell) {
        List<String> outputs = new ArrayList<>();
        for (JsonNode output : cell.path("outputs")) {
            String type = output.path("output_type").asText();
            if (type.equals("stream")) {
                continue;
            }
            TreeSet<String> mimeTypes = new TreeSet<>();
            output.path("data").fieldNames().forEachRemaining(mimeTypes::add);
            outputs.add(type + (type.equals("error") ? ":" + output.path("ename").asText() : " " + mimeTypes));
        }
        return outputs;
    }

    private static List<String> plainTexts(JsonNode cell) {
        List<String> texts = new ArrayList<>();
        for (JsonNode output : cell.path("outputs")) {
            JsonNode plain = output.path("data").path("text/plain");
            if (!plain.isMissingNode()) {
                texts.add(text(plain));
            }
        }
        return texts;
    }

    private static Map<String, String> streams(JsonNode cell) {
        Map<String, String> streams = new TreeMap<>();
        for (JsonNode output : cell.path("outputs")) {
            if (output.path("output_type").asText().equals("stream")) {
                streams.merge(output.path("name").asText(), text(output.path("text")), String::concat);
            }
        }
        return streams;
    }

    private static String htmlOf(JsonNode cell) {
        return text(cell.path("outputs").get(0).path("data").path("text/html"));
    }

    private JsonNode runNbconvert(String python, Path in) throws IOException, InterruptedException {
        Path log = dir.resolve("nbconvert.log");
        Process process = new ProcessBuilder(python, "-m", "nbconvert", "--to", "notebook", "--execute",
                "--output-dir", dir.toString(), "--output", "nbconvert-out", in.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("nbconvert did not finish in 180 s: " + Files.readString(log));
        }
        assertThat(process.exitValue()).as("nbconvert exit code, output:%n%s", Files.readString(log)).isZero();
        return JSON.readTree(Files.readString(dir.resolve("nbconvert-out.ipynb"), StandardCharsets.UTF_8));
    }

    /** Builds matplotlib's font cache first, so neither run prints the one-time "building the font cache" notice. */
    private static void warmUpMatplotlib(String python) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(python, "-c", "import matplotlib.font_manager")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
