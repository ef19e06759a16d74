package io.quire.desktop.notebook;

import io.quire.client.FileInfo;
import io.quire.client.FileType;
import io.quire.client.QuireClient;
import io.quire.client.rtu.CollabSession;
import io.quire.client.rtu.RtuClient;
import io.quire.collab.rtu.RtuEvent;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A notebook opened from its live session alone (decision 0030): the file resource, and the server's document as the
 * real-time channel's subscription sent it, without reading the file through the contents API first. The notebook is
 * then read (and sent, and parsed) once instead of twice, and the editor starts from the document it will edit live.
 *
 * <p>The session is open from {@link #open} on; its events are handled on the given UI executor from then on, but
 * reach no view model until {@link NotebookViewModel#goLive(LiveDocument)} attaches one. The view model compares the
 * session's seq with {@link #seq()} then: deltas applied in between (someone else's edits while the notebook was
 * being opened) bring the cells in line with the session's document, so nothing is lost. Closed by the view model it
 * is attached to; {@link #close()} it if none is built.
 */
public final class LiveDocument implements AutoCloseable {
    private final NotebookDocument document;
    private final CollabSession session;
    private final long seq;
    private final Relay relay;

    private LiveDocument(NotebookDocument document, CollabSession session, long seq, Relay relay) {
        this.document = document;
        this.session = session;
        this.seq = seq;
        this.relay = relay;
    }

    /**
     * Finds a notebook, subscribes to it on the real-time channel and takes the session's document. Blocking: call it
     * on a background thread, never on the UI executor's (the subscription is handled there).
     *
     * @param client  the server's client
     * @param rtu     the server's real-time client
     * @param path    the notebook's path relative to the server's root
     * @param timeout how long to wait for the subscription
     * @param ui      where the session's events are handled (the editor's UI executor)
     * @return the opened document
     * @throws IllegalArgumentException          when the file is not a notebook
     * @throws io.quire.client.QuireApiException 404 when there is no such file
     * @throws io.quire.client.rtu.RtuException   when the server has no real-time channel, refuses the file, or
     *                                           does not answer in time (the caller may read the file instead)
     */
    public static LiveDocument open(QuireClient client, RtuClient rtu, String path, Duration timeout, Executor ui) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(rtu, "rtu");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(ui, "ui");
        return open(rtu, client.fileByPath(path), timeout, ui);
    }

    /**
     * Subscribes to a notebook found before on the real-time channel and takes the session's document. Blocking:
     * call it on a background thread, never on the UI executor's.
     *
     * @param rtu     the server's real-time client
     * @param file    the notebook's file resource
     * @param timeout how long to wait for the subscription
     * @param ui      where the session's events are handled (the editor's UI executor)
     * @return the opened document
     * @throws IllegalArgumentException         when the file is not a notebook
     * @throws io.quire.client.rtu.RtuException when the server has no real-time channel, refuses the file, or does
     *                                          not answer in time
     */
    public static LiveDocument open(RtuClient rtu, FileInfo file, Duration timeout, Executor ui) {
        Objects.requireNonNull(rtu, "rtu");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(ui, "ui");
        if (file.type() != FileType.NOTEBOOK) {
            throw new IllegalArgumentException(file.path() + " is not a notebook (it is a " + file.type() + ")");
        }
        Relay relay = new Relay();
        CollabSession session = rtu.open(file.id(), timeout, relay, ui);
        try {
            CollabSession.JsonCopy copy = session.jsonCopy();
            return new LiveDocument(new NotebookDocument(file, copy.notebook()), session, copy.seq(), relay);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** @return the file and the session's document as nbformat JSON, to build the view model from */
    public NotebookDocument document() {
        return document;
    }

    /** @return the session's seq when {@link #document()} was taken */
    public long seq() {
        return seq;
    }

    /** @return the live session */
    CollabSession session() {
        return session;
    }

    /**
     * Sends the session's events to a listener from now on (those handled before went to nobody).
     *
     * @param listener the listener, called on the UI executor
     */
    void listen(Consumer<RtuEvent.Server> listener) {
        relay.target = Objects.requireNonNull(listener, "listener");
    }

    /** Closes the session (when no view model took it over). */
    @Override
    public void close() {
        session.close();
    }

    /** Forwards events to the view model once there is one; set and read on the UI executor. */
    private static final class Relay implements Consumer<RtuEvent.Server> {
        private volatile Consumer<RtuEvent.Server> target = event -> { };

        @Override
        public void accept(RtuEvent.Server event) {
            target.accept(event);
        }
    }
}
