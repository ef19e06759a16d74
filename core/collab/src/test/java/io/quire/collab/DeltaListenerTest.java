package io.quire.collab;

import static io.quire.collab.Fixtures.FILE;
import static io.quire.collab.Fixtures.header;
import static io.quire.collab.Fixtures.notebook;
import static org.assertj.core.api.Assertions.assertThat;

import io.quire.collab.spi.DeltaStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class DeltaListenerTest {
    private final DeltaStore store = DeltaStores.inMemory();
    private final DeltaLog log = DeltaLog.open(FILE, store, notebook(), DeltaLog.Config.defaults());

    @Test
    void listener_isToldOfEachSequencedDelta_inOrder_whileTheStateIsTheDocumentAfterIt() {
        List<Long> seen = new CopyOnWriteArrayList<>();
        List<Long> stateSeqs = new CopyOnWriteArrayList<>();
        log.addListener(delta -> {
            seen.add(delta.seq());
            stateSeqs.add(log.state().seq());
        });

        log.submit(new Delta.DeleteCell(header("ann", 0), "b"));
        log.submit(new Delta.ClearOutputs(header("bob", 0), "a"));

        assertThat(seen).containsExactly(1L, 2L);
        assertThat(stateSeqs).containsExactly(1L, 2L);
    }

    @Test
    void listener_isToldOfDeltasAnotherWriterAppended_whenTheLogCatchesUp() {
        DeltaLog other = DeltaLog.open(FILE, store, notebook(), DeltaLog.Config.defaults());
        List<SequencedDelta> seen = new CopyOnWriteArrayList<>();
        log.addListener(seen::add);
        Delta delete = new Delta.DeleteCell(header("ann", 0), "b");

        other.submit(delete);
        assertThat(seen).isEmpty();
        log.refresh();

        assertThat(seen).extracting(SequencedDelta::deltaId).containsExactly(delete.deltaId());
    }

    @Test
    void closedSubscription_isToldNothingMore_andAFailingListenerDoesNotStopTheOthers() {
        List<Long> seen = new CopyOnWriteArrayList<>();
        DeltaLog.Subscription failing = log.addListener(delta -> {
            throw new IllegalStateException("listener bug (scripted)");
        });
        DeltaLog.Subscription counting = log.addListener(delta -> seen.add(delta.seq()));

        log.submit(new Delta.DeleteCell(header("ann", 0), "b"));
        counting.close();
        failing.close();
        log.submit(new Delta.DeleteCell(header("ann", 1), "c"));

        assertThat(seen).containsExactly(1L);
        assertThat(log.head()).isEqualTo(2);
    }
}
