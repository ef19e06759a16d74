package io.quire.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.notebook.DisplayData;
import io.quire.notebook.ErrorOutput;
import io.quire.notebook.ExecuteResult;
import io.quire.notebook.MimeBundle;
import io.quire.notebook.Output;
import io.quire.notebook.StreamOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a kernel's IOPub outputs into notebook outputs with the semantics of Jupyter's reference executor
 * (nbclient), so a notebook run by Quire has the outputs it would have in Jupyter:
 *
 * <ul>
 *   <li>each stream message is its own output, kept verbatim (no merging, no {@code \r} processing);</li>
 *   <li>{@code clear_output} clears at once, or with {@code wait=true} just before the next output arrives;</li>
 *   <li>a display or result with a {@code display_id} is appended and remembered; {@code update_display_data}
 *       replaces the data and metadata of every remembered output with that id, in any cell, and appends nothing.</li>
 * </ul>
 *
 * <p>Not thread-safe: one executor thread feeds it.
 */
final class OutputCollector {
    private record Place(int cell, int output) {
    }

    private final CellExecutor.Outputs cells;
    private final Map<String, List<Place>> displays = new HashMap<>();
    private int current = -1;
    private boolean clearPending;

    OutputCollector(CellExecutor.Outputs cells) {
        this.cells = cells;
    }

    /** Starts collecting for a cell: its outputs are cleared. */
    void begin(int cellIndex) {
        current = cellIndex;
        clearPending = false;
        clearNow();
    }

    void stream(String name, String text) {
        append(StreamOutput.of(name, text), Optional.empty());
    }

    void display(ObjectNode data, ObjectNode metadata, Optional<String> displayId) {
        DisplayData output = new DisplayData(MimeBundle.of(data), metadata, emptyObject(metadata));
        displayId.ifPresent(id -> updateDisplays(id, data, metadata));
        append(output, displayId);
    }

    void result(Optional<Integer> executionCount, ObjectNode data, ObjectNode metadata, Optional<String> displayId) {
        ExecuteResult output = new ExecuteResult(executionCount, MimeBundle.of(data), metadata, emptyObject(metadata));
        displayId.ifPresent(id -> updateDisplays(id, data, metadata));
        append(output, displayId);
    }

    void update(String displayId, ObjectNode data, ObjectNode metadata) {
        updateDisplays(displayId, data, metadata);
    }

    void error(String ename, String evalue, List<String> traceback) {
        append(ErrorOutput.of(ename, evalue, traceback), Optional.empty());
    }

    void clear(boolean wait) {
        if (wait) {
            clearPending = true;
        } else {
            clearNow();
        }
    }

    private void append(Output output, Optional<String> displayId) {
        if (clearPending) {
            clearPending = false;
            clearNow();
        }
        List<Output> outputs = cells.outputs(current);
        outputs.add(output);
        displayId.ifPresent(id -> displays.computeIfAbsent(id, key -> new ArrayList<>())
                .add(new Place(current, outputs.size() - 1)));
    }

    private void clearNow() {
        cells.outputs(current).clear();
        for (Iterator<List<Place>> it = displays.values().iterator(); it.hasNext(); ) {
            List<Place> places = it.next();
            places.removeIf(place -> place.cell() == current);
            if (places.isEmpty()) {
                it.remove();
            }
        }
    }

    private void updateDisplays(String displayId, ObjectNode data, ObjectNode metadata) {
        for (Place place : displays.getOrDefault(displayId, List.of())) {
            List<Output> outputs = cells.outputs(place.cell());
            Output old = outputs.get(place.output());
            Output updated = switch (old) {
                case DisplayData display -> new DisplayData(MimeBundle.of(data), metadata, display.extra());
                case ExecuteResult result -> new ExecuteResult(result.executionCount(), MimeBundle.of(data), metadata,
                        result.extra());
                default -> old;
            };
            outputs.set(place.output(), updated);
        }
    }

    private static ObjectNode emptyObject(ObjectNode like) {
        return like.objectNode();
    }
}
