package io.quire.contents.fs;

import static io.quire.contents.fs.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.contents.ContentModel;
import io.quire.contents.ContentType;
import io.quire.contents.SaveRequest;
import io.quire.notebook.Notebook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {
    @TempDir
    Path root;

    @Test
    void concurrentSavesAndReads_neverSeeATornNotebook() throws Exception {
        FileContentsManager contents = FileContentsManager.create(root);
        contents.save("shared.ipynb", SaveRequest.notebook(notebookWith(0)));
        List<Future<Integer>> results = new ArrayList<>();

        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int writer = 1; writer <= 16; writer++) {
                int id = writer;
                results.add(executor.submit(() -> {
                    for (int round = 0; round < 10; round++) {
                        contents.save("shared.ipynb", SaveRequest.notebook(notebookWith(id * 100 + round)));
                    }
                    return 0;
                }));
            }
            for (int reader = 0; reader < 16; reader++) {
                results.add(executor.submit(() -> {
                    int parsed = 0;
                    for (int round = 0; round < 20; round++) {
                        JsonNode content = contents.get("shared.ipynb").content().orElseThrow();
                        assertThat(content.get("cells")).hasSize(50);
                        Notebook.read(Files.readAllBytes(root.resolve("shared.ipynb")));
                        parsed++;
                    }
                    return parsed;
                }));
            }
            int reads = 0;
            for (Future<Integer> result : results) {
                reads += result.get();
            }
            assertThat(reads).isEqualTo(16 * 20);
        }
        try (var files = Files.list(root)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("shared.ipynb", ".ipynb_checkpoints");
        }
    }

    @Test
    void concurrentNewUntitled_givesEveryCallerADistinctName() throws Exception {
        FileContentsManager contents = FileContentsManager.create(root);
        List<Future<ContentModel>> created = new ArrayList<>();

        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                created.add(executor.submit(() -> contents.newUntitled("", Optional.of(ContentType.NOTEBOOK), "")));
            }
        }

        List<String> names = new ArrayList<>();
        for (Future<ContentModel> model : created) {
            names.add(model.get().name());
        }
        assertThat(names).doesNotHaveDuplicates().hasSize(20).contains("Untitled.ipynb", "Untitled19.ipynb");
    }

    private static JsonNode notebookWith(int marker) {
        ObjectNode notebook = (ObjectNode) json("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}}");
        ArrayNode cells = notebook.putArray("cells");
        for (int i = 0; i < 50; i++) {
            ObjectNode cell = cells.addObject();
            cell.put("cell_type", "markdown");
            cell.put("id", "c" + i);
            cell.putObject("metadata");
            cell.put("source", "writer " + marker + " cell " + i + " " + "x".repeat(200));
        }
        return notebook;
    }
}
