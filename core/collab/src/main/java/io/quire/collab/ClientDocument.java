package io.quire.collab;

import io.quire.notebook.Notebook;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A client's copy of a collaborative document: the document as the server's log has it (the <em>confirmed</em>
 * document at {@link #seq()}) plus the client's own changes the server has not sequenced yet, applied on top (the
 * <em>local</em> document the user sees).
 *
 * <p>Design (client-side OT, as ot.js): at most one own delta is <em>in flight</em> (sent, based on the confirmed seq
 * at the time it was sent); later local changes wait in a buffer, each expressed against the document after the ones
 * before it. A delta of another author arrives with the next seq: it applies to the confirmed document as it is, and
 * the client's outstanding deltas are transformed against it one after the other with the rules the sequencer uses
 * ({@link Transforms#against}, ties by {@link Delta#precedes}), so the in-flight delta becomes what the server will
 * log and the buffered ones stay expressed against the document after it. A change the transformation shows cannot
 * survive (its cell was deleted, its text no longer fits) is dropped locally; the server refuses it too. When the
 * client's own delta comes back from the log, it leaves the outstanding list and the next buffered delta can be sent,
 * based on the new seq. The local document is always recomputed as the confirmed document plus the outstanding
 * deltas, so it never holds a change that does not apply; once nothing is outstanding it equals the log's document.
 *
 * <p>Not thread-safe: one owner (such as the SDK's session) calls it under its own lock.
 */
public final class ClientDocument {

    /** A delta not yet in the log, as it now applies (transformed against the log deltas received since). */
    private record Pending(Delta delta, boolean inFlight) {
    }

    private final UUID logId;
    private final String author;
    private long seq;
    private Notebook confirmed;
    private Notebook local;
    private Delta inFlight; // as sent: what is sent again after a reconnect
    private Delta lastLocalEffect; // what the last serverDelta did to the local document, if known
    private final List<Pending> outstanding = new ArrayList<>();

    /**
     * Starts from a document the server sent.
     *
     * @param logId    the file's log id (delta headers name it)
     * @param author   who this client edits as
     * @param seq      the seq the document is at
     * @param document the document
     */
    public ClientDocument(UUID logId, String author, long seq, Notebook document) {
        this.logId = Objects.requireNonNull(logId, "logId");
        this.author = Objects.requireNonNull(author, "author");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative, got " + seq);
        }
        this.seq = seq;
        this.confirmed = Objects.requireNonNull(document, "document");
        this.local = document;
    }

    /** @return the file's log id */
    public UUID logId() {
        return logId;
    }

    /** @return the author of this client's deltas */
    public String author() {
        return author;
    }

    /** @return the seq of the last log delta applied */
    public long seq() {
        return seq;
    }

    /** @return the document as the log has it at {@link #seq()} */
    public Notebook confirmed() {
        return confirmed;
    }

    /** @return the document with this client's outstanding changes: what the user sees */
    public Notebook document() {
        return local;
    }

    /**
     * A header for a new local delta: a fresh id, this file and author, the current seq (the base is set again when
     * the delta is sent).
     *
     * @return the header
     */
    public DeltaHeader newHeader() {
        return new DeltaHeader(UUID.randomUUID(), logId, author, seq);
    }

    /** @return whether any own delta is in flight or buffered */
    public boolean hasOutstanding() {
        return inFlight != null || !outstanding.isEmpty();
    }

    /** @return the delta in flight, as it was sent (to send again after a reconnect: ids make it idempotent) */
    public Optional<Delta> inFlight() {
        return Optional.ofNullable(inFlight);
    }

    /**
     * Applies a local change to the local document and buffers it for sending.
     *
     * @param delta the change, against the current {@link #document()}; its header must name this log and author
     * @throws IllegalArgumentException if the header names another log or author, or the id is already outstanding
     * @throws DeltaRejectedException   if the change does not fit the local document (nothing changes)
     */
    public void edit(Delta delta) {
        Objects.requireNonNull(delta, "delta");
        if (!delta.header().fileId().equals(logId) || !delta.header().author().equals(author)) {
            throw new IllegalArgumentException("delta " + delta.deltaId() + " must name log " + logId + " and author "
                    + author);
        }
        if (outstanding.stream().anyMatch(p -> p.delta().deltaId().equals(delta.deltaId()))
                || inFlight != null && inFlight.deltaId().equals(delta.deltaId())) {
            throw new IllegalArgumentException("delta id " + delta.deltaId() + " is already outstanding");
        }
        Documents.Applied applied = Documents.apply(local, delta);
        outstanding.add(new Pending(delta, false));
        local = applied.notebook();
    }

    /**
     * The next delta to send, if none is in flight: the first buffered one, based on the current seq. It is in flight
     * from now on.
     *
     * @return the delta to send, or empty
     */
    public Optional<Delta> takeNext() {
        if (inFlight != null || outstanding.isEmpty()) {
            return Optional.empty();
        }
        Pending first = outstanding.getFirst();
        Delta sent = withBase(first.delta(), seq);
        outstanding.set(0, new Pending(sent, true));
        inFlight = sent;
        return Optional.of(sent);
    }

    /**
     * Applies the next delta of the log.
     *
     * @param logged the delta; its seq must be {@link #seq()} + 1
     * @throws IllegalStateException if it is not the next one, or does not apply to the confirmed document (the
     *                               client missed something and must start over from a snapshot)
     */
    public void serverDelta(SequencedDelta logged) {
        Objects.requireNonNull(logged, "logged");
        if (logged.seq() != seq + 1) {
            throw new IllegalStateException("expected the delta with seq " + (seq + 1) + ", got " + logged.seq());
        }
        Notebook before = confirmed;
        int outstandingBefore = outstanding.size();
        Notebook after;
        try {
            after = Documents.apply(before, logged.delta()).notebook();
        } catch (DeltaRejectedException e) {
            throw new IllegalStateException("log delta " + logged.seq() + " does not apply to this copy: "
                    + e.getMessage(), e);
        }
        confirmed = after;
        seq = logged.seq();
        Delta effect = null;
        if (inFlight != null && inFlight.deltaId().equals(logged.deltaId())) {
            inFlight = null;
            outstanding.removeIf(p -> p.inFlight());
            outstandingBefore--;
        } else {
            effect = transformOutstanding(before, logged.delta());
        }
        rebuild();
        // exact only when every outstanding delta survived: a dropped one changes the local document as well
        lastLocalEffect = outstanding.size() == outstandingBefore ? effect : null;
    }

    /**
     * What the last {@link #serverDelta} did to the local document: the log delta transformed against this client's
     * outstanding deltas (as an editor applies a remote operation, keeping the user's unsent typing and caret in
     * place). Empty when that delta was this client's own (the local document did not change), or when an outstanding
     * delta no longer applied and was dropped, so that one delta does not describe the change: compare the documents
     * then.
     *
     * @return the change to {@link #document()}, applying to the local document as it was before
     */
    public Optional<Delta> lastLocalEffect() {
        return Optional.ofNullable(lastLocalEffect);
    }

    /**
     * The server acknowledged a delta. Only needed where the client did not see the delta come back in the log
     * (a retry of a delta that was already in a snapshot it started over from).
     *
     * @param deltaId the delta
     * @param ackSeq  its seq
     */
    public void acknowledged(UUID deltaId, long ackSeq) {
        if (inFlight != null && inFlight.deltaId().equals(deltaId) && ackSeq <= seq) {
            inFlight = null;
            outstanding.removeIf(Pending::inFlight);
            rebuild();
        }
    }

    /**
     * The server refused a delta: it leaves the outstanding list and the local document.
     *
     * @param deltaId the delta
     */
    public void rejected(UUID deltaId) {
        if (inFlight != null && inFlight.deltaId().equals(deltaId)) {
            inFlight = null;
        }
        outstanding.removeIf(p -> p.delta().deltaId().equals(deltaId));
        rebuild();
    }

    /**
     * Starts over from a snapshot (after the client fell too far behind). Outstanding deltas are kept where they still
     * apply to the new document; the one in flight stays in flight (sending it again is idempotent).
     *
     * @param newSeq   the snapshot's seq
     * @param document the snapshot
     */
    public void reset(long newSeq, Notebook document) {
        if (newSeq < 0) {
            throw new IllegalArgumentException("seq must not be negative, got " + newSeq);
        }
        seq = newSeq;
        confirmed = Objects.requireNonNull(document, "document");
        rebuild();
    }

    // ------------------------------------------------------------------------------------------------ internals

    /** @return the logged delta transformed against every outstanding one (null if it could not be) */
    private Delta transformOutstanding(Notebook before, Delta logged) {
        if (outstanding.isEmpty()) {
            return logged;
        }
        Notebook doc = before;
        Delta other = logged;
        List<Pending> transformed = new ArrayList<>();
        for (Pending pending : outstanding) {
            Documents.Applied own = tryApply(doc, pending.delta());
            if (own == null) {
                continue; // no longer fits what came before it; the server refuses it too
            }
            Delta mine = pending.delta();
            if (other != null) {
                Documents.Applied theirs = tryApply(doc, other);
                if (theirs == null) {
                    other = null;
                } else {
                    Delta otherNow = other;
                    mine = tryTransform(pending.delta(), otherNow, theirs.effect());
                    other = tryTransform(otherNow, pending.delta(), own.effect());
                }
            }
            if (mine != null) {
                transformed.add(new Pending(mine, pending.inFlight()));
            }
            doc = own.notebook();
        }
        outstanding.clear();
        outstanding.addAll(transformed);
        return other;
    }

    /** Local = confirmed + outstanding; a delta that no longer applies is dropped (kept only if in flight). */
    private void rebuild() {
        if (outstanding.isEmpty()) {
            local = confirmed; // the common case of a reader: nothing to replay
            return;
        }
        Notebook doc = confirmed;
        List<Pending> kept = new ArrayList<>();
        for (Pending pending : outstanding) {
            Delta delta = Transforms.clamp(pending.delta(), doc);
            Documents.Applied applied = tryApply(doc, delta);
            if (applied != null) {
                kept.add(new Pending(delta, pending.inFlight()));
                doc = applied.notebook();
            }
        }
        outstanding.clear();
        outstanding.addAll(kept);
        local = doc;
    }

    private static Documents.Applied tryApply(Notebook doc, Delta delta) {
        try {
            return Documents.apply(doc, delta);
        } catch (CollabException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Delta tryTransform(Delta delta, Delta earlier, Documents.IndexEffect effect) {
        try {
            return Transforms.against(delta, earlier, effect);
        } catch (CollabException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A delta with another base.
     *
     * @param delta the delta
     * @param base  the base seq
     * @return the same delta based on {@code base}
     */
    public static Delta withBase(Delta delta, long base) {
        DeltaHeader h = delta.header().withBaseSeq(base);
        return switch (delta) {
            case Delta.InsertCell d -> new Delta.InsertCell(h, d.index(), d.cell());
            case Delta.DeleteCell d -> new Delta.DeleteCell(h, d.cellId());
            case Delta.MoveCell d -> new Delta.MoveCell(h, d.cellId(), d.newIndex());
            case Delta.EditSource d -> new Delta.EditSource(h, d.cellId(), d.operation());
            case Delta.SetCellType d -> new Delta.SetCellType(h, d.cellId(), d.cellType());
            case Delta.SetCellMetadata d -> new Delta.SetCellMetadata(h, d.cellId(), d.path(), d.value());
            case Delta.SetNotebookMetadata d -> new Delta.SetNotebookMetadata(h, d.path(), d.value());
            case Delta.AppendOutputs d -> new Delta.AppendOutputs(h, d.cellId(), d.outputs());
            case Delta.ReplaceOutputs d -> new Delta.ReplaceOutputs(h, d.cellId(), d.outputs(), d.executionCount());
            case Delta.ClearOutputs d -> new Delta.ClearOutputs(h, d.cellId());
            case Delta.ExecuteRequest d -> new Delta.ExecuteRequest(h, d.target());
        };
    }
}
