package io.quire.server.rtu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.client.rtu.CollabSession;
import io.quire.client.rtu.RtuClient;
import io.quire.collab.Delta;
import io.quire.collab.TextOperation;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.notebook.Notebook;
import io.quire.server.QuireServer;
import io.quire.server.ServerConfig;
import io.quire.server.kernels.KernelBackend;
import io.quire.server.v1.FileIds;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jupyter contents saves of a notebook that is edited live: the {@code PUT} becomes deltas against the writer's
 * version (its {@code last_modified}), so a live client's concurrent edits survive, and the file is written from the
 * log.
 */
class RtuContentsSaveTest {
    static final String TOKEN = "rtu-save-token";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NOTEBOOK = """
            {"cells": [{"cell_type": "code", "id": "c1", "metadata": {}, "source": "x = 1", "outputs": [],
             "execution_count": null},
             {"cell_type": "markdown", "id": "m1", "metadata": {}, "source": "# Title"}],
             "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""";

    @TempDir
    static Path dir;
    static QuireServer server;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        ServerConfig config = ServerConfig.defaults().with("port", "0", "test").with("root", root.toString(), "test")
                .with("token", TOKEN, "test").with("state-dir", dir.resolve("state").toString(), "test")
                .with("default-kernel", FakeKernelProvisioner.KERNEL_NAME, "test");
        server = QuireServer.start(config, KernelBackend.of(FakeKernelProvisioner.registry(
                Files.createDirectories(dir.resolve("data"))), FakeKernelProvisioner.create()), "test");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static URI contents(String name) {
        return URI.create("http://127.0.0.1:" + server.port() + "/api/contents/" + name);
    }

    static ObjectNode get(String name) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(contents(name))
                .header("Authorization", "token " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return (ObjectNode) JSON.readTree(response.body());
    }

    static ObjectNode put(String name, ObjectNode model) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(contents(name))
                .header("Authorization", "token " + TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(model))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (ObjectNode) JSON.readTree(response.body());
    }

    /** The model a Jupyter client sends: the content it edited and the last_modified of the version it read. */
    static ObjectNode saveOf(ObjectNode read, String cellId, String source) {
        ObjectNode content = read.get("content").deepCopy();
        for (JsonNode cell : (ArrayNode) content.get("cells")) {
            if (cell.get("id").asText().equals(cellId)) {
                ((ObjectNode) cell).put("source", source);
            }
        }
        ObjectNode model = JSON.createObjectNode();
        model.put("type", "notebook").put("format", "json").set("content", content);
        model.set("last_modified", read.get("last_modified"));
        return model;
    }

    static String source(Notebook notebook, String cellId) {
        return notebook.cell(notebook.indexOf(cellId).orElseThrow()).source().text();
    }

    static String onDisk(String name) throws IOException {
        return Files.readString(dir.resolve("root").resolve(name), StandardCharsets.UTF_8);
    }

    static CollabSession open(String name) {
        return RtuClient.create(URI.create("http://127.0.0.1:" + server.port()), TOKEN).open(FileIds.of(name), WAIT);
    }

    static void write(String name) throws IOException {
        Files.writeString(dir.resolve("root").resolve(name), NOTEBOOK, StandardCharsets.UTF_8);
    }

    @Test
    void staleSave_editingAnotherCell_keepsTheLiveEdit_andBothReachDiskAndSubscribers() throws Exception {
        write("other-cell.ipynb");
        ObjectNode read = get("other-cell.ipynb"); // JupyterLab opened the file
        try (CollabSession live = open("other-cell.ipynb")) {
            live.edit(h -> new Delta.EditSource(h, "m1", TextOperation.builder().retain(7).insert(" (live)").build()));
            live.awaitQuiet(WAIT);

            ObjectNode saved = put("other-cell.ipynb", saveOf(read, "c1", "x = 2"));

            live.awaitSeq(2, WAIT);
            assertThat(source(live.document(), "c1")).isEqualTo("x = 2");
            assertThat(source(live.document(), "m1")).isEqualTo("# Title (live)");
            Notebook disk = Notebook.parse(onDisk("other-cell.ipynb"));
            assertThat(disk.toJson()).isEqualTo(live.document().toJson());
            assertThat(saved.get("last_modified").asText()).isNotEqualTo(read.get("last_modified").asText());

            // a second save based on what the first returned is based on the log's seq it wrote
            live.edit(h -> new Delta.EditSource(h, "m1", TextOperation.builder().retain(14).insert("!").build()));
            live.awaitQuiet(WAIT);
            ObjectNode reread = get("other-cell.ipynb");
            assertThat(reread.get("last_modified")).isEqualTo(saved.get("last_modified"));
            put("other-cell.ipynb", saveOf(reread, "c1", "x = 3"));
            live.awaitSeq(4, WAIT);
            assertThat(source(live.document(), "c1")).isEqualTo("x = 3");
            assertThat(source(live.document(), "m1")).isEqualTo("# Title (live)!");
        }
    }

    @Test
    void staleSave_editingTheSameCell_keepsBothTexts() throws Exception {
        write("same-cell.ipynb");
        ObjectNode read = get("same-cell.ipynb");
        try (CollabSession live = open("same-cell.ipynb")) {
            live.edit(h -> new Delta.EditSource(h, "c1", TextOperation.builder().insert("# live\n").retain(5)
                    .build()));
            live.awaitQuiet(WAIT);

            put("same-cell.ipynb", saveOf(read, "c1", "x = 1 + 1"));

            live.awaitSeq(2, WAIT);
            assertThat(source(live.document(), "c1")).isEqualTo("# live\nx = 1 + 1");
            assertThat(source(Notebook.parse(onDisk("same-cell.ipynb")), "c1")).isEqualTo("# live\nx = 1 + 1");
        }
    }

    @Test
    void saveWithoutLastModified_doesNotDeleteCellsTheWriterNeverSaw() throws Exception {
        write("unseen.ipynb");
        ObjectNode read = get("unseen.ipynb");
        try (CollabSession live = open("unseen.ipynb")) {
            live.edit(h -> new Delta.InsertCell(h, 2, io.quire.notebook.CodeCell.of(java.util.Optional.of("new"),
                    "y = 2")));
            live.awaitQuiet(WAIT);
            ObjectNode model = saveOf(read, "c1", "x = 5");
            model.remove("last_modified");

            put("unseen.ipynb", model);

            live.awaitSeq(2, WAIT);
            assertThat(live.document().cells()).extracting(c -> c.id().orElseThrow())
                    .containsExactly("c1", "m1", "new");
            assertThat(source(live.document(), "c1")).isEqualTo("x = 5");
        }
    }

    @Test
    void fileWithoutLiveLog_isSavedAsBefore() throws Exception {
        write("plain.ipynb");
        ObjectNode read = get("plain.ipynb");

        put("plain.ipynb", saveOf(read, "c1", "z"));

        assertThat(source(Notebook.parse(onDisk("plain.ipynb")), "c1")).isEqualTo("z");
    }

    @Test
    void v1FilesSave_ofALiveNotebook_becomesDeltas() throws Exception {
        write("v1.ipynb");
        try (CollabSession live = open("v1.ipynb")) {
            live.edit(h -> new Delta.EditSource(h, "m1", TextOperation.builder().retain(7).insert(" (live)").build()));
            live.awaitQuiet(WAIT);
            URI content = URI.create("http://127.0.0.1:" + server.port() + "/api/v1/files/" + FileIds.of("v1.ipynb")
                    + "/content");
            ObjectNode notebook = (ObjectNode) JSON.readTree(http.send(HttpRequest.newBuilder(content)
                    .header("Authorization", "token " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString())
                    .body());
            ((ObjectNode) notebook.get("cells").get(0)).put("source", "x = 42");

            HttpResponse<String> response = http.send(HttpRequest.newBuilder(content)
                    .header("Authorization", "token " + TOKEN).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(notebook))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            live.awaitSeq(2, WAIT);
            assertThat(source(live.document(), "c1")).isEqualTo("x = 42");
            assertThat(source(live.document(), "m1")).isEqualTo("# Title (live)");
            assertThat(Notebook.parse(onDisk("v1.ipynb")).toJson()).isEqualTo(live.document().toJson());
        }
    }
}
