package io.quire.collab;

import static io.quire.collab.Fixtures.FILE;
import static io.quire.collab.Fixtures.insertAt;
import static io.quire.collab.Fixtures.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.quire.notebook.Cell;
import io.quire.notebook.CodeCell;
import io.quire.notebook.Notebook;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Client-side OT: local changes show at once, and clients converge on the sequencer's document. */
class ClientDocumentTest {

    private static DeltaLog server() {
        return server(Fixtures.notebook());
    }

    private static DeltaLog server(Notebook initial) {
        return DeltaLog.open(FILE, DeltaStores.inMemory(), initial, DeltaLog.Config.defaults());
    }

    private static Delta edit(ClientDocument doc, String cellId, int at, String text) {
        String source = source(doc.document(), cellId);
        return new Delta.EditSource(doc.newHeader(), cellId, insertAt(source, at, text));
    }

    @Test
    void twoClientsTypingInOneCell_bothKeepTheirText_andConverge() {
        DeltaLog log = server();
        ClientDocument ann = new ClientDocument(FILE, "ann", 0, log.document());
        ClientDocument bob = new ClientDocument(FILE, "bob", 0, log.document());
        ann.edit(edit(ann, "a", 0, "A"));
        bob.edit(edit(bob, "a", 5, "B"));
        assertThat(source(ann.document(), "a")).isEqualTo("Ax = 1\n");
        assertThat(source(bob.document(), "a")).isEqualTo("x = 1B\n");

        Delta fromAnn = ann.takeNext().orElseThrow();
        Delta fromBob = bob.takeNext().orElseThrow();
        log.submit(fromAnn);
        log.submit(fromBob);
        for (SequencedDelta logged : log.deltasAfter(0)) {
            ann.serverDelta(logged);
            bob.serverDelta(logged);
        }
        assertThat(source(log.document(), "a")).isEqualTo("Ax = 1B\n");
        assertThat(ann.document()).isEqualTo(log.document());
        assertThat(bob.document()).isEqualTo(log.document());
        assertThat(ann.hasOutstanding()).isFalse();
        assertThat(bob.hasOutstanding()).isFalse();
    }

    @Test
    void lastLocalEffect_isTheRemoteEditShiftedPastUnsentTyping_andEmptyForOwnDeltas() {
        DeltaLog log = server();
        ClientDocument ann = new ClientDocument(FILE, "ann", 0, log.document());
        ClientDocument bob = new ClientDocument(FILE, "bob", 0, log.document());
        ann.edit(edit(ann, "a", 0, "AA")); // unsent: "AAx = 1\n"
        bob.edit(edit(bob, "a", 5, "B"));
        log.submit(bob.takeNext().orElseThrow());
        Notebook before = ann.document();

        ann.serverDelta(log.deltasAfter(0).getFirst());

        Delta effect = ann.lastLocalEffect().orElseThrow();
        assertThat(effect).isInstanceOf(Delta.EditSource.class);
        TextOperation op = ((Delta.EditSource) effect).operation();
        assertThat(op.apply(source(before, "a"))).isEqualTo(source(ann.document(), "a")).isEqualTo("AAx = 1B\n");
        assertThat(op).isEqualTo(insertAt("AAx = 1\n", 7, "B"));

        log.submit(ann.takeNext().orElseThrow());
        ann.serverDelta(log.deltasAfter(1).getFirst());
        assertThat(ann.lastLocalEffect()).isEmpty();
    }

    @Test
    void lastLocalEffect_isEmptyWhenAnUnsentChangeWasDropped() {
        DeltaLog log = server();
        ClientDocument ann = new ClientDocument(FILE, "ann", 0, log.document());
        ClientDocument bob = new ClientDocument(FILE, "bob", 0, log.document());
        ann.edit(edit(ann, "c", 0, "#")); // its cell is about to go
        bob.edit(new Delta.DeleteCell(bob.newHeader(), "c"));
        log.submit(bob.takeNext().orElseThrow());

        ann.serverDelta(log.deltasAfter(0).getFirst());

        assertThat(ann.hasOutstanding()).isFalse();
        assertThat(ann.lastLocalEffect()).isEmpty();
        assertThat(ann.document()).isEqualTo(log.document());
    }

    @Test
    void bufferedChanges_areTransformedAgainstIncomingDeltas_andSentOnTheNewBase() {
        DeltaLog log = server();
        ClientDocument ann = new ClientDocument(FILE, "ann", 0, log.document());
        ann.edit(edit(ann, "a", 0, "1"));
        Delta first = ann.takeNext().orElseThrow();
        ann.edit(edit(ann, "a", 1, "2")); // buffered behind the one in flight
        assertThat(ann.takeNext()).isEmpty();
        // someone else's insert at the front is sequenced first
        log.submit(new Delta.EditSource(Fixtures.header("zed", 0), "a", insertAt("x = 1\n", 0, "Z")));
        log.submit(first);
        List<SequencedDelta> logged = log.deltasAfter(0);
        ann.serverDelta(logged.get(0));
        assertThat(source(ann.document(), "a")).isEqualTo("12Zx = 1\n");
        ann.serverDelta(logged.get(1));
        Delta second = ann.takeNext().orElseThrow();
        assertThat(second.header().baseSeq()).isEqualTo(2);
        log.submit(second);
        ann.serverDelta(log.deltasAfter(2).getFirst());
        assertThat(ann.document()).isEqualTo(log.document());
        assertThat(source(log.document(), "a")).isEqualTo("12Zx = 1\n");
    }

    @Test
    void aRejectedDelta_leavesTheLocalDocument() {
        DeltaLog log = server();
        ClientDocument ann = new ClientDocument(FILE, "ann", 0, log.document());
        ann.edit(new Delta.DeleteCell(ann.newHeader(), "b"));
        Delta sent = ann.takeNext().orElseThrow();
        assertThat(ann.document().cells()).hasSize(2);
        ann.rejected(sent.deltaId());
        assertThat(ann.document()).isEqualTo(ann.confirmed());
        assertThat(ann.hasOutstanding()).isFalse();
    }

    @Test
    void aChangeToACellSomeoneDeleted_isDroppedLocally() {
        DeltaLog log = server();
        ClientDocument ann = new ClientDocument(FILE, "ann", 0, log.document());
        ann.edit(edit(ann, "c", 0, "#"));
        ann.takeNext().orElseThrow();
        log.submit(new Delta.DeleteCell(Fixtures.header("zed", 0), "c"));
        ann.serverDelta(log.deltasAfter(0).getFirst());
        assertThat(ann.document().indexOf("c")).isEmpty();
        assertThat(ann.inFlight()).isPresent(); // the server will refuse it; until then it stays in flight
    }

    /** Several clients, random local changes, random delivery order across clients (FIFO per client). */
    @Test
    void randomConcurrentChanges_converge() {
        for (long seed = 1; seed <= 40; seed++) {
            converge(new Random(seed), 4, 60, Fixtures.notebook(), 2);
        }
    }

    /**
     * Issue 7: the same on a notebook long enough for cells to be found through the id table, changes anywhere in
     * it; every copy must find each cell where a scan of its cells does.
     */
    @Test
    void randomConcurrentChanges_onALongerNotebook_converge_andFindCellsAsAScan() {
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            cells.add(CodeCell.of(Optional.of("c" + i), "cell " + i + "\n"));
        }
        Notebook initial = Notebook.empty().withCells(cells);
        for (long seed = 1; seed <= 20; seed++) {
            List<ClientDocument> docs = converge(new Random(seed), 3, 80, initial, Integer.MAX_VALUE);
            for (ClientDocument doc : docs) {
                for (Notebook notebook : List.of(doc.document(), doc.confirmed())) {
                    List<String> ids = Fixtures.ids(notebook);
                    for (int round = 0; round < 2; round++) {
                        for (int i = 0; i < ids.size(); i++) {
                            assertThat(notebook.indexOf(ids.get(i))).contains(ids.indexOf(ids.get(i)));
                        }
                        assertThat(notebook.indexOf("c-missing")).isEmpty();
                    }
                }
            }
        }
    }

    private static List<ClientDocument> converge(Random random, int clients, int steps, Notebook initial,
            int pickFrom) {
        DeltaLog log = server(initial);
        List<ClientDocument> docs = new ArrayList<>();
        List<ArrayDeque<Object>> inboxes = new ArrayList<>(); // SequencedDelta or a rejected UUID, in order
        ArrayDeque<Object[]> network = new ArrayDeque<>(); // {client index, delta}
        for (int i = 0; i < clients; i++) {
            docs.add(new ClientDocument(FILE, "u" + i, 0, log.document()));
            inboxes.add(new ArrayDeque<>());
        }
        for (int step = 0; step < steps * clients || !quiet(docs, inboxes, network); step++) {
            int i = random.nextInt(clients);
            ClientDocument doc = docs.get(i);
            int action = random.nextInt(10);
            boolean stillWorking = step < steps * clients;
            if (action < 4 && stillWorking) {
                doc.edit(randomDelta(doc, random, pickFrom));
            } else if (action < 6) {
                doc.takeNext().ifPresent(delta -> network.add(new Object[] {i, delta}));
            } else if (action < 8 && !network.isEmpty()) {
                Object[] message = network.poll();
                int author = (int) message[0];
                try {
                    log.submit((Delta) message[1]);
                    SequencedDelta logged = log.deltasAfter(log.head() - 1).getFirst();
                    inboxes.forEach(inbox -> inbox.add(logged));
                } catch (DeltaRejectedException e) {
                    inboxes.get(author).add(((Delta) message[1]).deltaId());
                }
            } else if (!inboxes.get(i).isEmpty()) {
                Object next = inboxes.get(i).poll();
                if (next instanceof SequencedDelta logged) {
                    doc.serverDelta(logged);
                } else {
                    doc.rejected((UUID) next);
                }
            }
        }
        for (ClientDocument doc : docs) {
            assertThat(doc.seq()).isEqualTo(log.head());
            assertThat(doc.document()).isEqualTo(log.document());
        }
        return docs;
    }

    private static boolean quiet(List<ClientDocument> docs, List<ArrayDeque<Object>> inboxes,
            ArrayDeque<Object[]> network) {
        return network.isEmpty() && inboxes.stream().allMatch(ArrayDeque::isEmpty)
                && docs.stream().noneMatch(ClientDocument::hasOutstanding);
    }

    /** A random change of one of the first {@code pickFrom} cells, or a new cell. */
    private static Delta randomDelta(ClientDocument doc, Random random, int pickFrom) {
        Notebook notebook = doc.document();
        List<Cell> cells = notebook.cells();
        int n = cells.size();
        int kind = random.nextInt(10);
        if (n == 0 || kind == 0) {
            return new Delta.InsertCell(doc.newHeader(), random.nextInt(n + 1),
                    CodeCell.of(Optional.of("k" + UUID.randomUUID().toString().substring(0, 8)), "new"));
        }
        String cellId = cells.get(random.nextInt(Math.min(n, pickFrom))).id().orElseThrow();
        if (kind == 1 && n > 2) {
            return new Delta.DeleteCell(doc.newHeader(), cellId);
        }
        if (kind == 2 && n > 1) {
            return new Delta.MoveCell(doc.newHeader(), cellId, random.nextInt(n));
        }
        String source = source(notebook, cellId);
        int at = random.nextInt(source.length() + 1);
        int delete = random.nextInt(3) == 0 ? random.nextInt(source.length() - at + 1) : 0;
        TextOperation op = TextOperation.builder().retain(at).delete(delete).insert("" + (char) ('a'
                + random.nextInt(26))).retain(source.length() - at - delete).build();
        return new Delta.EditSource(doc.newHeader(), cellId, op);
    }
}
