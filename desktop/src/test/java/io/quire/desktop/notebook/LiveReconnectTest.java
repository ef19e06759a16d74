package io.quire.desktop.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.client.rtu.CollabSession;
import io.quire.client.rtu.RtuClient;
import io.quire.testing.Await;
import io.quire.testing.CuttableProxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live notebook whose real-time connection is lost (a proxy between the view model and the embedded server cuts
 * it, then refuses new connections for a while): the editor says so, keeps what is typed meanwhile, reconnects by
 * itself, and then both sides have both sides' edits.
 */
class LiveReconnectTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private LiveServer live;
    private CuttableProxy proxy;
    private NotebookViewModel notebook;
    private CollabSession other;

    @AfterEach
    void close() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (live != null) {
            live.close(notebook, other);
        }
    }

    private <T> T onUi(Callable<T> action) throws Exception {
        return live.onUi(action);
    }

    private String message() throws Exception {
        return onUi(() -> notebook.messageProperty().get());
    }

    private String source(String id) throws Exception {
        return onUi(() -> notebook.cells().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow()
                .sourceProperty().get());
    }

    private static String otherSource(CollabSession session, String id) {
        return session.cellJson(id).map(json -> CellViewModel.text(json.path("source"))).orElse("<none>");
    }

    private void awaitTrue(String what, Callable<Boolean> condition) {
        Await.until(WAIT, what, () -> {
            try {
                return condition.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aLostConnection_isSaidAndRestoredByItself_andEditsOfBothSidesMeanwhileArrive() throws Exception {
        live = new LiveServer(dir, """
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                 "cells": [
                  {"id": "c1", "cell_type": "code", "source": "hello", "metadata": {}, "execution_count": null,
                   "outputs": []},
                  {"id": "c2", "cell_type": "markdown", "source": "# two", "metadata": {}}
                 ]}
                """);
        proxy = new CuttableProxy(live.server.connection().baseUrl().getPort());
        RtuClient viaProxy = RtuClient.create(URI.create("http://127.0.0.1:" + proxy.port() + "/"),
                live.server.connection().token());
        NotebookDocument document = NotebookDocument.load(live.client, "live.ipynb");
        notebook = onUi(() -> NotebookViewModel.builder(live.client, document).ui(live.ui()).build());
        assertThat(notebook.goLive(viaProxy).get(30, TimeUnit.SECONDS)).isTrue();
        other = live.rtu.open(document.file().id(), WAIT, event -> { });

        proxy.refuse(true);
        proxy.cut();
        // the JDK client usually reports the cut at once; when it does not, the heartbeat (a ping every 10 s, lost
        // after 30 s of silence) finds it
        Await.until(Duration.ofSeconds(60), "the editor to say the connection is lost", () -> {
            try {
                return message().contains("reconnecting");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        onUi(() -> {
            notebook.cells().get(0).sourceProperty().set("hello, offline");
            return null;
        });
        other.edit(header -> new io.quire.collab.Delta.EditSource(header, "c2",
                io.quire.collab.TextOperation.builder().retain(5).insert(" (other)").build()));
        other.awaitQuiet(WAIT);
        awaitTrue("two tries, refused", () -> proxy.refused() >= 2);
        assertThat(message()).contains("reconnecting");
        assertThat(onUi(() -> notebook.liveProperty().get())).as("still live, just not connected").isTrue();

        proxy.refuse(false);
        awaitTrue("the editor to be connected again", () -> message().contains("Connected again"));
        awaitTrue("the other side to get what was typed offline",
                () -> otherSource(other, "c1").equals("hello, offline"));
        awaitTrue("the editor to get what the other side did", () -> source("c2").equals("# two (other)"));
        assertThat(source("c1")).isEqualTo("hello, offline");
    }
}
