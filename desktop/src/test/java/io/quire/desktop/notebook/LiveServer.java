package io.quire.desktop.notebook;

import io.quire.client.QuireClient;
import io.quire.client.rtu.CollabSession;
import io.quire.client.rtu.RtuClient;
import io.quire.desktop.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What the live view-model tests share: an embedded server on a folder holding one notebook, {@code live.ipynb}; its
 * SDK and real-time clients; and a single "UI" thread for the view model.
 */
final class LiveServer {
    final Path file;
    final EmbeddedServer server;
    final QuireClient client;
    final RtuClient rtu;
    private final ExecutorService uiThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-ui"));

    /**
     * @param dir      a fresh folder
     * @param notebook the notebook's JSON
     */
    LiveServer(Path dir, String notebook) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        file = root.resolve("live.ipynb");
        Files.writeString(file, notebook);
        server = EmbeddedServer.start(root);
        client = server.connection().client();
        rtu = RtuClient.create(server.connection().baseUrl(), server.connection().token());
    }

    /** @return the UI thread, for the view model's builder */
    ExecutorService ui() {
        return uiThread;
    }

    /** Runs on the UI thread (directly when already there). */
    <T> T onUi(Callable<T> action) throws Exception {
        if (Thread.currentThread().getName().equals("test-ui")) {
            return action.call();
        }
        return uiThread.submit(action).get(30, TimeUnit.SECONDS);
    }

    /** Closes the other session and the view model (if any), then the UI thread and the server. */
    void close(NotebookViewModel notebook, CollabSession other) throws Exception {
        if (other != null) {
            other.close();
        }
        if (notebook != null) {
            onUi(() -> {
                notebook.close();
                return null;
            });
        }
        uiThread.shutdownNow();
        server.close();
    }
}
