package io.quire.server;

import static io.quire.server.FakeKernelServer.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /api/kernels} and {@code /api/sessions} over fake kernels: Jupyter's shapes, statuses and JSON errors. */
class KernelsAndSessionsApiTest {
    private static final String UNKNOWN_ID = "00000000-0000-0000-0000-000000000000";

    @TempDir
    static Path dir;
    static FakeKernelServer server;

    @BeforeAll
    static void start() {
        server = FakeKernelServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ------------------------------------------------------------------ kernels

    @Test
    void postKernels_withoutName_startsTheDefaultSpecAndAnswers201WithLocationAndModel() throws Exception {
        HttpResponse<String> response = server.post("/api/kernels", "{}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode model = ServerFixture.json(response);
        String id = model.path("id").asText();
        assertThat(id).isNotEmpty();
        assertThat(response.headers().firstValue("Location")).contains("/api/kernels/" + id);
        assertThat(model.path("name").asText()).isEqualTo("fake");
        assertThat(Instant.parse(model.path("last_activity").asText())).isNotNull();
        assertThat(model.path("execution_state").asText()).isNotEmpty();
        assertThat(model.path("connections").isInt()).as("connections is a number in %s", model).isTrue();
        assertThat(model.path("connections").asInt()).isZero();
    }

    @Test
    void postKernels_withName_startsThatSpec() throws Exception {
        HttpResponse<String> response = server.post("/api/kernels", "{\"name\": \"fake\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(ServerFixture.json(response).path("name").asText()).isEqualTo("fake");
    }

    @Test
    void postKernels_withUnknownSpec_is404JsonError() throws Exception {
        JsonNode error = assertJsonError(server.post("/api/kernels", "{\"name\": \"no-such-spec\"}"), 404);

        assertThat(error.path("code").asText()).isEqualTo("not_found");
        assertThat(error.path("message").asText()).contains("no-such-spec");
    }

    @Test
    void getKernels_listsAStartedKernel() throws Exception {
        String id = server.startKernel().path("id").asText();

        HttpResponse<String> response = server.get("/api/kernels");

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        ServerFixture.json(response).forEach(kernel -> ids.add(kernel.path("id").asText()));
        assertThat(ids).contains(id);
    }

    @Test
    void getKernel_answersTheModel() throws Exception {
        String id = server.startKernel().path("id").asText();

        HttpResponse<String> response = server.get("/api/kernels/" + id);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode model = ServerFixture.json(response);
        assertThat(model.path("id").asText()).isEqualTo(id);
        assertThat(model.path("name").asText()).isEqualTo("fake");
        assertThat(model.has("last_activity")).isTrue();
        assertThat(model.has("execution_state")).isTrue();
        assertThat(model.has("connections")).isTrue();
    }

    @Test
    void interruptKernel_is204() throws Exception {
        String id = server.startKernel().path("id").asText();

        HttpResponse<String> response = server.post("/api/kernels/" + id + "/interrupt", "");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    @Test
    void restartKernel_is200WithTheModelOfTheSameKernel() throws Exception {
        String id = server.startKernel().path("id").asText();

        HttpResponse<String> response = server.post("/api/kernels/" + id + "/restart", "");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode model = ServerFixture.json(response);
        assertThat(model.path("id").asText()).isEqualTo(id);
        assertThat(model.path("name").asText()).isEqualTo("fake");
    }

    @Test
    void deleteKernel_is204AndTheKernelIsThen404() throws Exception {
        String id = server.startKernel().path("id").asText();

        assertThat(server.delete("/api/kernels/" + id).statusCode()).isEqualTo(204);

        JsonNode error = assertJsonError(server.get("/api/kernels/" + id), 404);
        assertThat(error.path("code").asText()).isEqualTo("not_found");
        assertThat(error.path("message").asText()).contains(id);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "GET, ''",
        "DELETE, ''",
        "POST, /interrupt",
        "POST, /restart",
    })
    void unknownKernelId_is404JsonError(String method, String suffix) throws Exception {
        HttpResponse<String> response = server.fixture.send(server.fixture.request("/api/kernels/" + UNKNOWN_ID + suffix)
                .method(method, java.net.http.HttpRequest.BodyPublishers.noBody()).build());

        JsonNode error = assertJsonError(response, 404);
        assertThat(error.path("code").asText()).isEqualTo("not_found");
    }

    // ------------------------------------------------------------------ sessions

    private static JsonNode createSession(String path) throws Exception {
        HttpResponse<String> response = server.post("/api/sessions",
                "{\"path\": \"" + path + "\", \"name\": \"n\", \"type\": \"notebook\", \"kernel\": {\"name\": \"fake\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return ServerFixture.json(response);
    }

    @Test
    void postSession_is201WithLocationAndASessionModelWithItsKernel() throws Exception {
        HttpResponse<String> response = server.post("/api/sessions",
                "{\"path\": \"create.ipynb\", \"name\": \"create.ipynb\", \"type\": \"notebook\", \"kernel\": {\"name\": \"fake\"}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode session = ServerFixture.json(response);
        String id = session.path("id").asText();
        assertThat(id).isNotEmpty();
        assertThat(response.headers().firstValue("Location")).contains("/api/sessions/" + id);
        assertThat(session.path("path").asText()).isEqualTo("create.ipynb");
        assertThat(session.path("type").asText()).isEqualTo("notebook");
        assertThat(session.path("kernel").path("name").asText()).isEqualTo("fake");
        String kernelId = session.path("kernel").path("id").asText();
        assertThat(server.get("/api/kernels/" + kernelId).statusCode()).isEqualTo(200);
    }

    @Test
    void postSession_forAPathThatHasOne_returnsTheSameSession() throws Exception {
        JsonNode first = createSession("same.ipynb");

        JsonNode second = createSession("same.ipynb");

        assertThat(second.path("id").asText()).isEqualTo(first.path("id").asText());
        assertThat(second.path("kernel").path("id").asText()).isEqualTo(first.path("kernel").path("id").asText());
    }

    @Test
    void getSessions_listsTheSessionAndGetOneAnswersIt() throws Exception {
        String id = createSession("listed.ipynb").path("id").asText();

        HttpResponse<String> list = server.get("/api/sessions");
        HttpResponse<String> one = server.get("/api/sessions/" + id);

        assertThat(list.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        ServerFixture.json(list).forEach(session -> ids.add(session.path("id").asText()));
        assertThat(ids).contains(id);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(ServerFixture.json(one).path("path").asText()).isEqualTo("listed.ipynb");
    }

    @Test
    void patchSession_path_renamesAndKeepsTheKernel() throws Exception {
        JsonNode session = createSession("before.ipynb");
        String id = session.path("id").asText();

        HttpResponse<String> response = server.patch("/api/sessions/" + id, "{\"path\": \"after.ipynb\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode patched = ServerFixture.json(response);
        assertThat(patched.path("path").asText()).isEqualTo("after.ipynb");
        assertThat(patched.path("kernel").path("id").asText()).isEqualTo(session.path("kernel").path("id").asText());
        assertThat(ServerFixture.json(server.get("/api/sessions/" + id)).path("path").asText()).isEqualTo("after.ipynb");
    }

    @Test
    void patchSession_kernelByName_startsANewKernelAndShutsTheOldOneDown() throws Exception {
        JsonNode session = createSession("switch.ipynb");
        String id = session.path("id").asText();
        String oldKernel = session.path("kernel").path("id").asText();

        HttpResponse<String> response = server.patch("/api/sessions/" + id, "{\"kernel\": {\"name\": \"fake\"}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String newKernel = ServerFixture.json(response).path("kernel").path("id").asText();
        assertThat(newKernel).isNotEmpty().isNotEqualTo(oldKernel);
        assertThat(server.get("/api/kernels/" + newKernel).statusCode()).isEqualTo(200);
        assertJsonError(server.get("/api/kernels/" + oldKernel), 404);
    }

    @Test
    void deleteSession_is204AndTheSessionAndItsKernelAreThen404() throws Exception {
        JsonNode session = createSession("deleted.ipynb");
        String id = session.path("id").asText();

        assertThat(server.delete("/api/sessions/" + id).statusCode()).isEqualTo(204);

        assertJsonError(server.get("/api/sessions/" + id), 404);
        assertJsonError(server.get("/api/kernels/" + session.path("kernel").path("id").asText()), 404);
    }

    @Test
    void unknownSessionId_is404JsonErrorForGetPatchAndDelete() throws Exception {
        assertJsonError(server.get("/api/sessions/" + UNKNOWN_ID), 404);
        assertJsonError(server.patch("/api/sessions/" + UNKNOWN_ID, "{\"path\": \"x.ipynb\"}"), 404);
        assertJsonError(server.delete("/api/sessions/" + UNKNOWN_ID), 404);
    }

    @Test
    void postSession_withKernelAsAString_is400() throws Exception {
        JsonNode error = assertJsonError(server.post("/api/sessions",
                "{\"path\": \"s.ipynb\", \"type\": \"notebook\", \"kernel\": \"fake\"}"), 400);

        assertThat(error.path("code").asText()).isEqualTo("bad_request");
        assertThat(error.path("message").asText()).contains("kernel");
    }

    @Test
    void postSession_withoutPath_is400() throws Exception {
        JsonNode error = assertJsonError(server.post("/api/sessions", "{\"type\": \"notebook\"}"), 400);

        assertThat(error.path("message").asText()).contains("path");
    }

    // ------------------------------------------------------------------ bad bodies

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "POST  | /api/kernels",
        "POST  | /api/sessions",
        "PATCH | /api/sessions/" + UNKNOWN_ID,
    })
    void malformedJsonBody_is400BadRequestNever500(String method, String path) throws Exception {
        HttpResponse<String> response = server.send(method, path, "{\"path\": \"x.ipynb\", ");

        JsonNode error = assertJsonError(response, 400);
        assertThat(error.path("code").asText()).isEqualTo("bad_request");
        assertThat(error.path("message").asText()).contains("JSON");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[]", "[{\"name\": \"fake\"}]", "\"fake\"", "42", "true"})
    void bodyOfTheWrongJsonType_is400ForKernels(String body) throws Exception {
        JsonNode error = assertJsonError(server.post("/api/kernels", body), 400);

        assertThat(error.path("code").asText()).isEqualTo("bad_request");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[]", "[{\"path\": \"a.ipynb\"}]", "\"a.ipynb\"", "42"})
    void bodyOfTheWrongJsonType_is400ForSessions(String body) throws Exception {
        JsonNode error = assertJsonError(server.post("/api/sessions", body), 400);

        assertThat(error.path("code").asText()).isEqualTo("bad_request");
    }

    @Test
    void fieldOfTheWrongType_is400() throws Exception {
        JsonNode error = assertJsonError(server.post("/api/kernels", "{\"name\": 7}"), 400);

        assertThat(error.path("message").asText()).contains("name");
    }
}
