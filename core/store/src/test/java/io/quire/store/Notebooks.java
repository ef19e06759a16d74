package io.quire.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.notebook.Notebook;
import io.quire.notebook.NotebookFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Notebooks for the store's tests: the notebook module's corpus, installed real-world notebooks, and built ones. */
final class Notebooks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Path> INSTALLED_ROOTS =
            List.of(Path.of("/usr/lib/python3/dist-packages"), Path.of("/usr/share"));
    private static Map<String, byte[]> corpus;

    private Notebooks() {
    }

    /**
     * The corpus (copied from core/notebook's test resources) and every readable installed {@code .ipynb}, by name.
     */
    static synchronized Map<String, byte[]> corpus() {
        if (corpus != null) {
            return corpus;
        }
        Map<String, byte[]> files = new TreeMap<>();
        URL url = Notebooks.class.getResource("/corpus");
        if (url == null) {
            throw new IllegalStateException("test resource folder /corpus is missing (copied from core/notebook)");
        }
        try (Stream<Path> corpus = Files.list(Path.of(url.toURI()))) {
            corpus.filter(f -> f.toString().endsWith(".ipynb")).forEach(f -> files.put(f.getFileName().toString(),
                    read(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (Path root : INSTALLED_ROOTS) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> found = Files.find(root, 12, (p, a) -> a.isRegularFile()
                    && p.toString().endsWith(".ipynb"))) {
                found.forEach(f -> {
                    byte[] bytes = read(f);
                    try {
                        Notebook.read(bytes);
                        files.putIfAbsent("installed:" + f, bytes);
                    } catch (NotebookFormatException e) {
                        // not a notebook the model reads (the notebook module's tests cover such files)
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                // an unreadable folder: the corpus still has the generated notebooks
            }
        }
        corpus = Map.copyOf(new TreeMap<>(files));
        return corpus;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A notebook of code cells {@code c0, c1, ...}, each with its source and a stream output. */
    static Notebook cells(String... sources) {
        ObjectNode root = JSON.createObjectNode();
        root.put("nbformat", 4).put("nbformat_minor", 5);
        root.putObject("metadata").putObject("kernelspec").put("name", "python3").put("display_name", "Python 3");
        ArrayNode cells = root.putArray("cells");
        for (int i = 0; i < sources.length; i++) {
            ObjectNode cell = cells.addObject();
            cell.put("id", "c" + i).put("cell_type", "code").put("execution_count", i + 1).putObject("metadata");
            cell.put("source", sources[i]);
            cell.putArray("outputs").addObject().put("output_type", "stream").put("name", "stdout")
                    .put("text", "output of " + sources[i] + "\n");
        }
        return Notebook.fromJson(root);
    }

    /** A notebook with one cell's source replaced. */
    static Notebook withSource(Notebook notebook, int index, String source) {
        ObjectNode tree = notebook.toJson();
        ((ObjectNode) tree.get("cells").get(index)).put("source", source);
        return Notebook.fromJson(tree);
    }

    /** A notebook with one cell's outputs replaced by a stream with the given text. */
    static Notebook withOutput(Notebook notebook, int index, String text) {
        ObjectNode tree = notebook.toJson();
        ArrayNode outputs = ((ObjectNode) tree.get("cells").get(index)).putArray("outputs");
        outputs.addObject().put("output_type", "stream").put("name", "stdout").put("text", text);
        return Notebook.fromJson(tree);
    }

    /** A notebook with its cells in another order, given as old indexes. */
    static Notebook reordered(Notebook notebook, int... order) {
        ObjectNode tree = notebook.toJson();
        ArrayNode old = (ArrayNode) tree.get("cells");
        ArrayNode cells = JSON.createArrayNode();
        for (int i : order) {
            cells.add(old.get(i));
        }
        tree.set("cells", cells);
        return Notebook.fromJson(tree);
    }

    /** A notebook with a cell inserted at a position. */
    static Notebook inserted(Notebook notebook, int position, String id, String source) {
        ObjectNode tree = notebook.toJson();
        List<com.fasterxml.jackson.databind.JsonNode> cells = new ArrayList<>();
        tree.get("cells").forEach(cells::add);
        ObjectNode cell = JSON.createObjectNode();
        cell.put("id", id).put("cell_type", "markdown").putObject("metadata");
        cell.put("source", source);
        cells.add(position, cell);
        tree.putArray("cells").addAll(cells);
        return Notebook.fromJson(tree);
    }

    /** A notebook with the cell at an index removed. */
    static Notebook removed(Notebook notebook, int index) {
        ObjectNode tree = notebook.toJson();
        ((ArrayNode) tree.get("cells")).remove(index);
        return Notebook.fromJson(tree);
    }
}
