package io.quire.server.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.quire.client.QuireClient;
import io.quire.contents.fs.FileContentsManager;
import io.quire.kernel.KernelClientOptions;
import io.quire.kernel.KernelLauncher;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.kernel.spi.KernelProvisioner;
import io.quire.kernels.KernelManager;
import io.quire.server.QuireServer;
import io.quire.server.http.ErrorResponses;
import io.quire.server.http.TokenAuth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal Helidon server with only the v1 API, the token filter and the server's error mapping (QuireServer's
 * wiring is not ours to edit), over a contents root and a kernel provisioner; plus notebook builders for tests.
 */
final class V1TestServer implements AutoCloseable {
    static final String TOKEN = "v1-test-token";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger CELL_IDS = new AtomicInteger();

    final Path root;
    final KernelManager kernels;
    final V1Api api;
    final WebServer server;

    private V1TestServer(Path root, KernelManager kernels, V1Api api, WebServer server) {
        this.root = root;
        this.kernels = kernels;
        this.api = api;
        this.server = server;
    }

    static V1TestServer start(Path dir, KernelProvisioner provisioner, KernelSpecRegistry specs, String defaultKernel) {
        try {
            Path root = Files.createDirectories(dir.resolve("root")).toRealPath();
            KernelLauncher launcher = KernelLauncher.create(provisioner, specs, KernelClientOptions.defaults());
            KernelManager kernels = KernelManager.builder(launcher).defaultKernelName(defaultKernel)
                    .startTimeout(Duration.ofSeconds(60)).build();
            V1Api api = V1Api.builder(FileContentsManager.create(root), kernels, specs).root(root).version("test")
                    .build();
            HttpRouting.Builder routing = HttpRouting.builder().addFilter(TokenAuth.create(TOKEN, List.of()));
            api.register(routing);
            ErrorResponses.register(routing, QuireServer::toApiError);
            WebServer server = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false).routing(routing)
                    .build().start();
            return new V1TestServer(root, kernels, api, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.port() + "/");
    }

    QuireClient client() {
        return QuireClient.builder().baseUrl(url()).token(TOKEN).pollIntervals(Duration.ofMillis(10),
                Duration.ofMillis(200)).build();
    }

    /** Writes a notebook of code cells under the root and returns its path. */
    String writeNotebook(String name, String kernel, String... sources) {
        ObjectNode[] cells = new ObjectNode[sources.length];
        for (int i = 0; i < sources.length; i++) {
            cells[i] = code(sources[i]);
        }
        return writeNotebook(name, notebook(kernel, cells));
    }

    String writeNotebook(String name, ObjectNode notebook) {
        try {
            Path file = root.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(notebook));
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The notebook on disk, or null while it cannot be read (e.g. mid-write on a platform without atomic rename). */
    JsonNode readNotebook(String name) {
        try {
            return JSON.readTree(root.resolve(name).toFile());
        } catch (IOException e) {
            return null;
        }
    }

    static ObjectNode code(String source, String... tags) {
        ObjectNode cell = JSON.createObjectNode();
        cell.put("cell_type", "code");
        cell.put("id", "cell-" + CELL_IDS.incrementAndGet());
        ObjectNode metadata = cell.putObject("metadata");
        if (tags.length > 0) {
            ArrayNode array = metadata.putArray("tags");
            for (String tag : tags) {
                array.add(tag);
            }
        }
        cell.put("source", source);
        cell.putNull("execution_count");
        cell.putArray("outputs");
        return cell;
    }

    static ObjectNode notebook(String kernel, ObjectNode... cells) {
        ObjectNode nb = JSON.createObjectNode();
        nb.put("nbformat", 4);
        nb.put("nbformat_minor", 5);
        ObjectNode metadata = nb.putObject("metadata");
        ObjectNode kernelspec = metadata.putObject("kernelspec");
        kernelspec.put("name", kernel);
        kernelspec.put("display_name", kernel);
        kernelspec.put("language", "python");
        metadata.putObject("language_info").put("name", "python");
        ArrayNode array = nb.putArray("cells");
        for (ObjectNode cell : cells) {
            array.add(cell);
        }
        return nb;
    }

    /** All stdout text of a notebook's outputs, in cell order. */
    static String stdout(JsonNode notebook) {
        StringBuilder text = new StringBuilder();
        notebook.path("cells").forEach(cell -> cell.path("outputs").forEach(output -> {
            if ("stream".equals(output.path("output_type").asText())) {
                JsonNode part = output.path("text");
                if (part.isArray()) {
                    part.forEach(line -> text.append(line.asText()));
                } else {
                    text.append(part.asText());
                }
            }
        }));
        return text.toString();
    }

    @Override
    public void close() {
        try {
            api.close();
            server.stop();
        } finally {
            kernels.shutdownAll();
        }
    }
}
