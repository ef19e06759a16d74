package io.quire.server;

import static io.quire.server.FakeKernelServer.assertJsonError;
import static io.quire.server.FakeKernelServer.assertJsonErrorShape;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /api/contents} over HTTP against a temporary root: path tricks never reach outside the root (checked on the
 * filesystem), bad input is a 4xx JSON error that leaves files as they were, and Jupyter's round trips work.
 */
class ContentsApiTest {
    private static final long BODY_LIMIT = 64 * 1024;
    private static final String SECRET = "TOP SECRET outside the root";
    private static final String HIDDEN = "hidden secret inside the root";

    @TempDir
    static Path dir;
    static FakeKernelServer server;
    static Path root;
    static Path outside;

    @BeforeAll
    static void start() throws Exception {
        server = FakeKernelServer.start(dir, BODY_LIMIT);
        root = server.root;
        outside = Files.createDirectories(dir.resolve("outside")).toRealPath();
        Files.writeString(outside.resolve("secret.txt"), SECRET);
        Files.writeString(root.resolve(".secret"), HIDDEN);
        Files.writeString(root.resolve("inside.txt"), "inside");
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("leak.txt"), outside.resolve("secret.txt"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String notebook(String source) {
        return """
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                 "cells": [{"id": "c1", "cell_type": "code", "source": "%s", "metadata": {}, "outputs": [],
                            "execution_count": null}]}
                """.formatted(source);
    }

    private static String saveNotebook(String source) {
        return "{\"type\": \"notebook\", \"content\": " + notebook(source) + "}";
    }

    private static String saveText(String text) {
        return "{\"type\": \"file\", \"format\": \"text\", \"content\": \"" + text + "\"}";
    }

    /** A refusal of a path trick: some 4xx in the JSON error shape, and none of the secrets in the body. */
    private static void assertRefused(HttpResponse<String> response) throws Exception {
        assertJsonErrorShape(response);
        assertThat(response.statusCode()).isIn(400, 403, 404);
        assertThat(response.body()).doesNotContain(SECRET).doesNotContain(HIDDEN).doesNotContain("root:x:0:0");
    }

    private static List<String> rootListing() throws Exception {
        HttpResponse<String> response = server.get("/api/contents");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        ServerFixture.json(response).path("content").forEach(entry -> names.add(entry.path("name").asText()));
        return names;
    }

    private static List<Path> filesNamed(Path start, String name) throws Exception {
        try (Stream<Path> walk = Files.walk(start)) {
            return walk.filter(path -> path.getFileName().toString().contains(name)).toList();
        }
    }

    // ------------------------------------------------------------------ path tricks

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "/api/contents/..%2F..%2Fetc%2Fpasswd",
        "/api/contents/..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/contents/..%2Foutside%2Fsecret.txt",
        "/api/contents/%2E%2E/outside/secret.txt",
        "/api/contents/a/../../outside/secret.txt",
        "/api/contents/%2Fetc%2Fpasswd",
        "/api/contents/..%5Coutside%5Csecret.txt",
    })
    void get_pathOutsideTheRoot_isRefusedAndReadsNothing(String path) throws Exception {
        assertRefused(server.get(path));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "/api/contents/..%2Fplanted.txt",
        "/api/contents/..%2F..%2Fplanted.txt",
        "/api/contents/%2E%2E/planted.txt",
        "/api/contents/a/../../planted.txt",
        "/api/contents/%2Ftmp%2Fplanted.txt",
    })
    void put_pathOutsideTheRoot_isRefusedAndWritesNothing(String path) throws Exception {
        HttpResponse<String> response = server.put(path, saveText("planted"));

        assertRefused(response);
        assertThat(filesNamed(dir, "planted")).isEmpty();
        assertThat(dir.getParent().resolve("planted.txt")).doesNotExist();
        assertThat(Path.of("/tmp/planted.txt")).doesNotExist();
    }

    @Test
    void delete_pathOutsideTheRoot_isRefusedAndDeletesNothing() throws Exception {
        assertRefused(server.delete("/api/contents/..%2Foutside%2Fsecret.txt"));

        assertThat(outside.resolve("secret.txt")).hasContent(SECRET);
    }

    @Test
    void encodedNul_isRefusedAndCreatesNothing() throws Exception {
        assertRefused(server.get("/api/contents/inside.txt%00.ipynb"));
        assertRefused(server.put("/api/contents/nul%00.txt", saveText("nul")));

        assertThat(filesNamed(dir, "nul")).isEmpty();
    }

    @Test
    void hiddenFile_cannotBeRead() throws Exception {
        assertRefused(server.get("/api/contents/.secret"));
        assertRefused(server.get("/api/contents/%2Esecret"));
    }

    @Test
    void hiddenFile_cannotBeOverwrittenOrDeleted() throws Exception {
        assertRefused(server.put("/api/contents/.secret", saveText("overwritten")));
        assertRefused(server.delete("/api/contents/.secret"));

        assertThat(root.resolve(".secret")).hasContent(HIDDEN);
    }

    @Test
    void hiddenFile_isNotListed() throws Exception {
        assertThat(rootListing()).contains("inside.txt").doesNotContain(".secret");
    }

    @Test
    void symlinkOutsideTheRoot_cannotBeRead() throws Exception {
        assertRefused(server.get("/api/contents/leak.txt"));
        assertRefused(server.get("/api/contents/escape/secret.txt"));
        assertRefused(server.get("/api/contents/escape"));
    }

    @Test
    void symlinkOutsideTheRoot_cannotBeWrittenThrough() throws Exception {
        assertRefused(server.put("/api/contents/escape/planted-through-link.txt", saveText("planted")));
        assertRefused(server.put("/api/contents/leak.txt", saveText("overwritten")));

        assertThat(outside.resolve("planted-through-link.txt")).doesNotExist();
        assertThat(outside.resolve("secret.txt")).hasContent(SECRET);
    }

    @Test
    void symlinkOutsideTheRoot_isNotListed() throws Exception {
        assertThat(rootListing()).contains("inside.txt").doesNotContain("escape", "leak.txt");
    }

    // ------------------------------------------------------------------ bad saves

    @Test
    void put_malformedNotebook_is400NamingTheJsonPathAndLeavesTheFileUnchanged() throws Exception {
        assertThat(server.put("/api/contents/kept.ipynb", saveNotebook("x = 1")).statusCode()).isEqualTo(201);
        byte[] before = Files.readAllBytes(root.resolve("kept.ipynb"));
        String malformed = """
                {"type": "notebook", "content": {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                 "cells": [{"id": "c1", "cell_type": "code", "source": 42, "metadata": {}, "outputs": [],
                            "execution_count": null}]}}
                """;

        JsonNode error = assertJsonError(server.put("/api/contents/kept.ipynb", malformed), 400);

        assertThat(error.path("code").asText()).isNotEqualTo("internal_error");
        assertThat(error.path("message").asText()).contains("$.cells[0]").contains("kept.ipynb");
        assertThat(Files.readAllBytes(root.resolve("kept.ipynb"))).isEqualTo(before);
    }

    @Test
    void put_notebookThatIsNotJson_is400AndLeavesTheFileUnchanged() throws Exception {
        assertThat(server.put("/api/contents/kept2.ipynb", saveNotebook("x = 2")).statusCode()).isEqualTo(201);
        byte[] before = Files.readAllBytes(root.resolve("kept2.ipynb"));

        JsonNode error = assertJsonError(server.put("/api/contents/kept2.ipynb", "{\"type\": \"notebook\", \"content\": {"), 400);

        assertThat(error.path("code").asText()).isEqualTo("bad_request");
        assertThat(Files.readAllBytes(root.resolve("kept2.ipynb"))).isEqualTo(before);
    }

    @Test
    void put_overTheBodyLimit_is413AndLeavesTheFileUnchanged() throws Exception {
        assertThat(server.put("/api/contents/big.ipynb", saveNotebook("small")).statusCode()).isEqualTo(201);
        byte[] before = Files.readAllBytes(root.resolve("big.ipynb"));

        // with Expect: 100-continue, as HTTP advises for large bodies: the server answers 413 before the body is sent.
        // (A client that sends the whole body at once may see the connection reset instead of the 413: the server
        // closes after refusing without reading the body, and unread bytes make the kernel reset the connection.)
        HttpResponse<String> response = server.fixture.send(server.fixture.request("/api/contents/big.ipynb")
                .expectContinue(true).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(saveNotebook("x".repeat((int) BODY_LIMIT * 2))))
                .build());

        JsonNode error = assertJsonError(response, 413);
        assertThat(error.path("code").asText()).isEqualTo("payload_too_large");
        assertThat(Files.readAllBytes(root.resolve("big.ipynb"))).isEqualTo(before);
    }

    @Test
    void put_chunkedBodyOverTheLimit_is413AndLeavesTheFileUnchanged() throws Exception {
        assertThat(server.put("/api/contents/chunked.ipynb", saveNotebook("small")).statusCode()).isEqualTo(201);
        byte[] before = Files.readAllBytes(root.resolve("chunked.ipynb"));
        byte[] body = saveNotebook("x".repeat((int) BODY_LIMIT * 2)).getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = server.fixture.send(server.fixture.request("/api/contents/chunked.ipynb")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());

        JsonNode error = assertJsonError(response, 413);
        assertThat(error.path("code").asText()).isEqualTo("payload_too_large");
        assertThat(Files.readAllBytes(root.resolve("chunked.ipynb"))).isEqualTo(before);
    }

    // ------------------------------------------------------------------ bad queries and methods

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"type=spreadsheet", "format=xml", "content=x", "hash=maybe", "type=file&format=json"})
    void get_withBadQuery_is400(String query) throws Exception {
        JsonNode error = assertJsonError(server.get("/api/contents/inside.txt?" + query), 400);

        assertThat(error.path("code").asText()).endsWith("bad_request");
    }

    @Test
    void unsupportedMethodOnAFile_is405Json() throws Exception {
        HttpResponse<String> response = server.send("TRACE", "/api/contents/inside.txt", "");

        assertThat(assertJsonError(response, 405).path("code").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void unsupportedMethodOnCheckpoints_is405Json() throws Exception {
        HttpResponse<String> response = server.put("/api/contents/inside.txt/checkpoints", "{}");

        assertThat(assertJsonError(response, 405).path("code").asText()).isEqualTo("method_not_allowed");
    }

    // ------------------------------------------------------------------ round trips

    @Test
    void checkpoints_createListRestoreDelete_roundTrip() throws Exception {
        assertThat(server.put("/api/contents/cp.ipynb", saveNotebook("version one")).statusCode()).isEqualTo(201);

        HttpResponse<String> created = server.post("/api/contents/cp.ipynb/checkpoints", "");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = ServerFixture.json(created).path("id").asText();
        assertThat(id).isNotEmpty();
        assertThat(ServerFixture.json(created).path("last_modified").asText()).isNotEmpty();
        assertThat(created.headers().firstValue("Location")).contains("/api/contents/cp.ipynb/checkpoints/" + id);

        assertThat(server.put("/api/contents/cp.ipynb", saveNotebook("version two")).statusCode()).isEqualTo(200);
        HttpResponse<String> listed = server.get("/api/contents/cp.ipynb/checkpoints");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(ServerFixture.json(listed)).hasSize(1);
        assertThat(ServerFixture.json(listed).get(0).path("id").asText()).isEqualTo(id);

        assertThat(server.post("/api/contents/cp.ipynb/checkpoints/" + id, "").statusCode()).isEqualTo(204);
        JsonNode restored = ServerFixture.json(server.get("/api/contents/cp.ipynb"));
        assertThat(restored.path("content").path("cells").get(0).path("source").asText()).isEqualTo("version one");

        assertThat(server.delete("/api/contents/cp.ipynb/checkpoints/" + id).statusCode()).isEqualTo(204);
        assertThat(ServerFixture.json(server.get("/api/contents/cp.ipynb/checkpoints"))).isEmpty();
    }

    @Test
    void encodedNameWithSpacesAndUnicode_roundTrips() throws Exception {
        String encoded = "My%20Notebook%20%E2%9C%93.ipynb";
        String name = "My Notebook \u2713.ipynb";

        HttpResponse<String> saved = server.put("/api/contents/" + encoded, saveNotebook("unicode"));

        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(201);
        assertThat(ServerFixture.json(saved).path("name").asText()).isEqualTo(name);
        assertThat(ServerFixture.json(saved).path("path").asText()).isEqualTo(name);
        assertThat(root.resolve(name)).isRegularFile();
        HttpResponse<String> read = server.get("/api/contents/" + encoded);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(ServerFixture.json(read).path("path").asText()).isEqualTo(name);
        assertThat(ServerFixture.json(read).path("content").path("cells").get(0).path("source").asText())
                .isEqualTo("unicode");
        assertThat(rootListing()).contains(name);
    }

    @Test
    void created_locationHeaderIsAUriThatLeadsBackToTheFile() throws Exception {
        String name = "Located Notebook \u2713.ipynb";

        HttpResponse<String> saved = server.put("/api/contents/Located%20Notebook%20%E2%9C%93.ipynb",
                saveNotebook("located"));

        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(201);
        String location = saved.headers().firstValue("Location").orElseThrow();
        assertThat(location).as("a Location header is a URI reference: percent-encoded, printable ASCII only")
                .matches("[\\x21-\\x7e]+");
        URI uri = URI.create(location);
        assertThat(URLDecoder.decode(uri.getRawPath(), StandardCharsets.UTF_8)).isEqualTo("/api/contents/" + name);
        HttpResponse<String> read = server.fixture.send(server.fixture.request(uri.getRawPath()).GET().build());
        assertThat(read.statusCode()).isEqualTo(200);
    }

    @Test
    void fileInAFolderNamedCheckpoints_canBeSavedAndRead() throws Exception {
        // model training libraries write "checkpoints/" folders; Jupyter Server serves the files in them
        Files.createDirectories(root.resolve("checkpoints"));

        HttpResponse<String> saved = server.put("/api/contents/checkpoints/epoch-1.txt", saveText("weights"));
        HttpResponse<String> read = server.get("/api/contents/checkpoints/epoch-1.txt");

        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(201);
        assertThat(root.resolve("checkpoints/epoch-1.txt")).hasContent("weights");
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(ServerFixture.json(read).path("content").asText()).isEqualTo("weights");
    }

    @Test
    void renameWithPatch_movesTheFileOnDisk() throws Exception {
        assertThat(server.put("/api/contents/old%20name.txt", saveText("moving")).statusCode()).isEqualTo(201);

        HttpResponse<String> renamed = server.patch("/api/contents/old%20name.txt", "{\"path\": \"new name.txt\"}");

        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
        assertThat(root.resolve("old name.txt")).doesNotExist();
        assertThat(root.resolve("new name.txt")).hasContent("moving");
    }

    @Test
    void renameWithPatch_outsideTheRoot_isRefusedAndMovesNothing() throws Exception {
        assertThat(server.put("/api/contents/stay.txt", saveText("stay")).statusCode()).isEqualTo(201);

        assertRefused(server.patch("/api/contents/stay.txt", "{\"path\": \"../moved-out.txt\"}"));

        assertThat(root.resolve("stay.txt")).hasContent("stay");
        assertThat(dir.resolve("moved-out.txt")).doesNotExist();
    }

    @Test
    void copyFromOutsideTheRoot_isRefused() throws Exception {
        assertRefused(server.post("/api/contents", "{\"copy_from\": \"../outside/secret.txt\"}"));
        assertRefused(server.post("/api/contents", "{\"copy_from\": \"escape/secret.txt\"}"));

        assertThat(filesNamed(root, "secret")).allSatisfy(path -> assertThat(path).isEqualTo(root.resolve(".secret")));
    }
}
