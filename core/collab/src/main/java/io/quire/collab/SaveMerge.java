package io.quire.collab;

import io.quire.notebook.Cell;
import io.quire.notebook.Notebook;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns a whole-notebook save (a Jupyter contents {@code PUT}) into deltas of a file's log, so that edits others made
 * since the writer's version are transformed rather than overwritten.
 *
 * <p>Design: the writer's version is the log's document at its base seq; {@link NotebookDiff} gives the deltas from
 * it to what the writer saved, and they go through a {@link ClientDocument} exactly as a live client's edits do: it
 * is brought up to the head with the log's deltas after the base (transforming the save's deltas against them), then
 * sends its deltas one at a time, each based on the seq it has seen, applying the log's deltas (its own included)
 * after each acknowledgement. So a save behaves like a client that typed its changes at its base and was then
 * disconnected until now. A delta the log refuses (its cell was deleted meanwhile, ...) is dropped, as the SDK drops
 * it.
 *
 * <p>When the base is unknown the save is treated as based on the head, with one guard: a cell the writer cannot
 * have seen (in the head but not in the document at {@code knownSeq}, the last version the writer could have read)
 * is kept where it is rather than deleted.
 */
public final class SaveMerge {
    private SaveMerge() {
    }

    /**
     * The outcome of a merged save.
     *
     * @param seq      the last log delta the merge saw (the save's own deltas included)
     * @param document the log's document at that seq
     * @param deltas   how many deltas the save became
     * @param dropped  how many of them the log refused
     * @param base     the seq the save was treated as based on
     */
    public record Result(long seq, Notebook document, int deltas, int dropped, long base) {
        /** Validates the fields. */
        public Result {
            Objects.requireNonNull(document, "document");
        }
    }

    /**
     * The outcome of a restore ({@link #restore}).
     *
     * @param seq      the log's seq after the restore
     * @param document the log's document at that seq
     * @param deltas   how many deltas the restore submitted (0: the log's document was the restored one already)
     * @param rounds   how many rounds it took (each a merge based on the head of the moment)
     * @param exact    whether the document at {@code seq} equals the restored notebook in every cell and in the
     *                 notebook's metadata; false only when others kept editing through every round
     */
    public record Restore(long seq, Notebook document, int deltas, int rounds, boolean exact) {
        /** Validates the fields. */
        public Restore {
            Objects.requireNonNull(document, "document");
        }
    }

    /** How many merge rounds a restore makes at most before it gives up on others' concurrent edits. */
    static final int RESTORE_ROUNDS = 8;

    /** The fields of a cell that deltas can change; any other difference needs the cell replaced. */
    private static final Set<String> DELTA_FIELDS = Set.of("id", "cell_type", "source", "metadata", "outputs",
            "execution_count");

    /**
     * Makes a log's document equal to a notebook, as a restore asks ("make it like this"): unlike {@link #merge},
     * edits made since the version being restored are not kept. Each round merges the notebook as a save based on the
     * head of the moment, so the deltas are the difference from the head; an edit someone sequences meanwhile is
     * transformed through them and the next round takes it out again. A cell whose only differences are fields no
     * delta changes (attachments, fields nbformat does not define, a type deltas cannot set) is deleted and inserted
     * again as restored. Stops when nothing differs, or after {@value #RESTORE_ROUNDS} rounds.
     *
     * <p>The notebook's own top-level fields other than metadata ({@code nbformat}, {@code nbformat_minor}, fields
     * nbformat does not define) are not part of the log's deltas and stay as the log has them.
     *
     * @param log      the file's log
     * @param author   who restores (the deltas' author)
     * @param restored the notebook to restore; cells without an id get one
     * @return the outcome
     * @throws SequenceConflictException if other writers kept appending first
     */
    public static Restore restore(DeltaLog log, String author, Notebook restored) {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(author, "author");
        Notebook target = CellIds.ensure(Objects.requireNonNull(restored, "restored"));
        int submitted = 0;
        int rounds = 0;
        while (true) {
            log.refresh(); // on a shared store, other nodes' deltas first
            DeltaLog.State state = log.state();
            Set<String> replaced = cellsToReplace(state.notebook(), target);
            if (replaced.isEmpty() && NotebookDiff.diff(state.notebook(), target,
                    () -> new DeltaHeader(java.util.UUID.randomUUID(), log.fileId(), author, state.seq())).isEmpty()) {
                return new Restore(state.seq(), state.notebook(), submitted, rounds, true);
            }
            if (rounds == RESTORE_ROUNDS) {
                return new Restore(state.seq(), state.notebook(), submitted, rounds, false);
            }
            rounds++;
            if (!replaced.isEmpty()) {
                Notebook without = target.withCells(target.cells().stream()
                        .filter(cell -> !replaced.contains(cell.id().orElseThrow())).toList());
                submitted += merge(log, author, OptionalLong.of(state.seq()), state.seq(), without).deltas();
            }
            long head = log.head();
            submitted += merge(log, author, OptionalLong.of(head), head, target).deltas();
        }
    }

    /**
     * The ids of the cells in both documents that differ in a field deltas do not change, or whose type deltas
     * cannot set.
     */
    private static Set<String> cellsToReplace(Notebook current, Notebook target) {
        Set<String> replaced = new HashSet<>();
        for (Cell wanted : target.cells()) {
            String id = wanted.id().orElseThrow();
            Optional<Integer> index = current.indexOf(id);
            if (index.isEmpty()) {
                continue;
            }
            Cell cell = current.cell(index.get());
            boolean typeFixable = cell.cellType().equals(wanted.cellType())
                    || Delta.CELL_TYPES.contains(wanted.cellType()) && Delta.CELL_TYPES.contains(cell.cellType());
            if (!typeFixable || !otherFields(cell).equals(otherFields(wanted))) {
                replaced.add(id);
            }
        }
        return replaced;
    }

    /** A cell's JSON without the fields deltas change. */
    private static com.fasterxml.jackson.databind.JsonNode otherFields(Cell cell) {
        Notebook single = Notebook.empty().withCells(List.of(cell));
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode) single
                .toJson().get("cells").get(0);
        json.remove(DELTA_FIELDS);
        return json;
    }

    /**
     * Merges a saved document into a log.
     *
     * @param log      the file's log
     * @param author   who saved (the deltas' author)
     * @param baseSeq  the seq of the document the writer changed, if known (ignored when ahead of the log)
     * @param knownSeq when the base is unknown: the last seq whose document the writer may have read (0 if none)
     * @param saved    what the writer saved; cells without an id get one
     * @return the outcome
     * @throws SequenceConflictException if other writers kept appending first
     */
    public static Result merge(DeltaLog log, String author, OptionalLong baseSeq, long knownSeq, Notebook saved) {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(baseSeq, "baseSeq");
        Notebook target = CellIds.ensure(Objects.requireNonNull(saved, "saved"));
        DeltaLog.State state = log.state();
        long head = state.seq();
        boolean known = baseSeq.isPresent() && baseSeq.getAsLong() >= 0 && baseSeq.getAsLong() <= head;
        long base = known ? baseSeq.getAsLong() : head;
        Notebook baseDoc = base == head ? state.notebook() : log.asOf(base);
        if (!known) {
            target = keepUnseen(baseDoc, log.asOf(Math.max(0, Math.min(knownSeq, base))), target);
        }
        ClientDocument client = new ClientDocument(log.fileId(), author, base, baseDoc);
        List<Delta> deltas = NotebookDiff.diff(baseDoc, target, client::newHeader);
        for (Delta delta : deltas) {
            client.edit(delta);
        }
        catchUp(log, client);
        int dropped = 0;
        Set<java.util.UUID> sent = new HashSet<>();
        for (Optional<Delta> next = client.takeNext(); next.isPresent(); next = client.takeNext()) {
            Delta delta = next.get();
            sent.add(delta.deltaId());
            try {
                Ack ack = log.submit(delta);
                catchUp(log, client);
                client.acknowledged(delta.deltaId(), ack.seq());
            } catch (DeltaRejectedException e) {
                dropped++;
                client.rejected(delta.deltaId());
                catchUp(log, client);
            }
        }
        // deltas the client dropped itself (no longer applicable after others' changes) count as dropped too
        dropped += deltas.size() - sent.size();
        return new Result(client.seq(), client.confirmed(), deltas.size(), dropped, base);
    }

    private static void catchUp(DeltaLog log, ClientDocument client) {
        for (SequencedDelta logged : log.deltasAfter(client.seq())) {
            client.serverDelta(logged);
        }
    }

    /**
     * The saved document with the head's cells the writer never saw put back, each after the cell before it in the
     * head (or first), so that diffing against the head does not delete them.
     */
    private static Notebook keepUnseen(Notebook head, Notebook seen, Notebook target) {
        Set<String> seenIds = new HashSet<>();
        seen.cells().forEach(cell -> cell.id().ifPresent(seenIds::add));
        Set<String> targetIds = new HashSet<>();
        target.cells().forEach(cell -> cell.id().ifPresent(targetIds::add));
        List<Cell> cells = new ArrayList<>(target.cells());
        String previous = null;
        for (Cell cell : head.cells()) {
            String id = cell.id().orElseThrow();
            if (!seenIds.contains(id) && !targetIds.contains(id)) {
                int at = 0;
                if (previous != null) {
                    for (int i = 0; i < cells.size(); i++) {
                        if (previous.equals(cells.get(i).id().orElse(null))) {
                            at = i + 1;
                            break;
                        }
                    }
                }
                cells.add(at, cell);
                targetIds.add(id);
            }
            if (targetIds.contains(id)) {
                previous = id;
            }
        }
        return target.withCells(cells);
    }
}
