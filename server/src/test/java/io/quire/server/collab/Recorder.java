package io.quire.server.collab;

import io.quire.server.collab.SharedExecutionEvent.CellState;
import io.quire.server.collab.SharedExecutionEvent.CellStateChanged;
import io.quire.server.collab.SharedExecutionEvent.KernelStatus;
import io.quire.server.collab.SharedExecutionEvent.KernelStatusChanged;
import io.quire.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the events of a shared execution and waits for them. */
final class Recorder implements SharedExecutionListener {
    static final Duration WAIT = Duration.ofSeconds(30);

    final List<SharedExecutionEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(SharedExecutionEvent event) {
        events.add(event);
    }

    List<CellStateChanged> cells() {
        return events.stream().filter(CellStateChanged.class::isInstance).map(CellStateChanged.class::cast).toList();
    }

    /** The cell state events of one cell of one request, in order. */
    List<CellState> states(long seq, String cellId) {
        return cells().stream().filter(e -> e.executeSeq() == seq && e.cellId().equals(cellId))
                .map(CellStateChanged::state).toList();
    }

    Optional<CellStateChanged> last(long seq, String cellId) {
        List<CellStateChanged> mine = cells().stream().filter(e -> e.executeSeq() == seq
                && e.cellId().equals(cellId)).toList();
        return mine.isEmpty() ? Optional.empty() : Optional.of(mine.getLast());
    }

    List<KernelStatus> statuses() {
        return events.stream().filter(KernelStatusChanged.class::isInstance).map(KernelStatusChanged.class::cast)
                .map(KernelStatusChanged::status).toList();
    }

    /** The cells in the order they started running. */
    List<String> started() {
        return cells().stream().filter(e -> e.state() == CellState.RUNNING)
                .map(e -> e.executeSeq() + ":" + e.cellId()).toList();
    }

    CellStateChanged awaitState(long seq, String cellId, CellState state) {
        Await.until(WAIT, "cell " + cellId + " of request " + seq + " " + state + "; events " + events,
                () -> states(seq, cellId).contains(state));
        return cells().stream().filter(e -> e.executeSeq() == seq && e.cellId().equals(cellId)
                && e.state() == state).findFirst().orElseThrow();
    }

    /** Waits until a cell reached one of the final states and returns that event. */
    CellStateChanged awaitEnd(long seq, String cellId) {
        Await.until(WAIT, "cell " + cellId + " of request " + seq + " ended; events " + events,
                () -> last(seq, cellId).map(e -> e.state() != CellState.QUEUED && e.state() != CellState.RUNNING)
                        .orElse(false));
        return last(seq, cellId).orElseThrow();
    }

    void awaitStatus(KernelStatus status) {
        Await.until(WAIT, "kernel status " + status + "; events " + events, () -> statuses().contains(status));
    }
}
