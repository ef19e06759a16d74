package io.quire.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.execution.parameters.ParameterValue;
import io.quire.notebook.Cell;
import io.quire.notebook.CodeCell;
import io.quire.notebook.MarkdownCell;
import io.quire.notebook.MultilineText;
import io.quire.notebook.Notebook;
import io.quire.notebook.Output;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The working copy of a notebook during a papermill-style run, and the bookkeeping papermill does on it.
 *
 * <p>Design: the run mutates this copy cell by cell (outputs arrive one message at a time), and {@link #snapshot()}
 * turns it into an immutable {@link Notebook} whenever it is saved. Outputs live in one mutable list per cell so an
 * output costs an append, not a copy of the cell. The metadata written follows papermill 2.x: {@code metadata.papermill}
 * on the notebook (parameters, paths, start/end time, duration, exception) and on every cell (status {@code pending}
 * → {@code running} → {@code completed} or {@code failed}, times, duration), and {@code metadata.execution} timings on
 * executed code cells as nbclient records them.
 */
final class NotebookRun implements CellExecutor.Outputs {
    static final String PARAMETERS_TAG = "parameters";
    static final String INJECTED_TAG = "injected-parameters";
    static final String ERROR_TAG = "papermill-error-cell-tag";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String ERROR_STYLE =
            "color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;";

    private final Notebook original;
    private final ObjectNode metadata;
    private final List<Cell> cells;
    private final List<List<Output>> outputs;
    private final Supplier<String> ids;

    private NotebookRun(Notebook notebook, Supplier<String> ids) {
        this.original = notebook;
        this.ids = ids;
        this.metadata = notebook.metadata();
        this.cells = new ArrayList<>();
        this.outputs = new ArrayList<>();
        boolean addIds = !notebook.hasCellIds();
        for (Cell cell : notebook.cells()) {
            add(cells.size(), addIds ? cell.withId(Optional.of(ids.get())) : cell);
        }
    }

    /**
     * Prepares a notebook as papermill does before running it: cell ids (upgrading to nbformat 4.5), papermill
     * metadata, injected parameters, paths, and old error cells removed.
     *
     * @return the prepared run and whether a {@code parameters} cell was found (when parameters were given)
     */
    static NotebookRun prepare(Notebook notebook, Map<String, ParameterValue> parameters, Optional<String> injectedSource,
            String inputPath, String outputPath, String version, Supplier<String> ids) {
        NotebookRun run = new NotebookRun(notebook, ids);
        ObjectNode papermill = run.metadata.get("papermill") instanceof ObjectNode existing ? existing
                : run.metadata.putObject("papermill");
        if (!papermill.has("default_parameters")) {
            papermill.putObject("default_parameters");
            papermill.putObject("parameters");
            papermill.putObject("environment_variables");
            papermill.put("version", version);
        }
        for (int i = 0; i < run.cells.size(); i++) {
            ObjectNode cellMetadata = run.cells.get(i).metadata();
            if (!cellMetadata.has("tags")) {
                cellMetadata.putArray("tags");
            }
            if (!cellMetadata.has("papermill")) {
                cellMetadata.putObject("papermill");
            }
            run.cells.set(i, run.cells.get(i).withMetadata(cellMetadata));
        }
        injectedSource.ifPresent(source -> {
            run.inject(source);
            ObjectNode values = papermill.putObject("parameters");
            parameters.forEach((name, value) -> values.set(name, toJson(value)));
        });
        papermill.put("input_path", inputPath);
        papermill.put("output_path", outputPath);
        for (int i = run.cells.size() - 1; i >= 0; i--) {
            if (run.cells.get(i).hasTag(ERROR_TAG)) {
                run.cells.remove(i);
                run.outputs.remove(i);
            }
        }
        return run;
    }

    /** Whether the notebook has a cell tagged {@code parameters}. */
    boolean hasParametersCell() {
        return firstTagged(PARAMETERS_TAG) >= 0;
    }

    private void inject(String source) {
        ObjectNode cellMetadata = JSON.objectNode();
        cellMetadata.putArray("tags").add(INJECTED_TAG);
        CodeCell injected = new CodeCell(Optional.of(ids.get()), MultilineText.of(source), cellMetadata,
                Optional.empty(), List.of(), JSON.objectNode());
        int existing = firstTagged(INJECTED_TAG);
        if (existing >= 0) {
            cells.remove(existing);
            outputs.remove(existing);
            add(existing, injected);
        } else {
            add(firstTagged(PARAMETERS_TAG) + 1, injected);
        }
    }

    private int firstTagged(String tag) {
        for (int i = 0; i < cells.size(); i++) {
            if (cells.get(i).hasTag(tag)) {
                return i;
            }
        }
        return -1;
    }

    private void add(int index, Cell cell) {
        cells.add(index, cell);
        outputs.add(index, cell instanceof CodeCell code ? new ArrayList<>(code.outputs()) : new ArrayList<>());
    }

    int size() {
        return cells.size();
    }

    Cell cell(int index) {
        return cells.get(index);
    }

    @Override
    public List<Output> outputs(int cellIndex) {
        return outputs.get(cellIndex);
    }

    /** papermill's notebook_start: times reset, code cells cleared, every cell pending. */
    void start(Instant now) {
        ObjectNode papermill = papermill();
        papermill.put("start_time", Timestamps.papermill(now));
        papermill.putNull("end_time");
        papermill.putNull("duration");
        papermill.putNull("exception");
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            if (cell instanceof CodeCell code) {
                cell = code.withExecutionCount(Optional.empty());
                outputs.get(i).clear();
            }
            ObjectNode cellMetadata = cell.metadata();
            ObjectNode cellPapermill = cellMetadata.putObject("papermill");
            cellPapermill.putNull("exception");
            cellPapermill.putNull("start_time");
            cellPapermill.putNull("end_time");
            cellPapermill.putNull("duration");
            cellPapermill.put("status", "pending");
            cells.set(i, cell.withMetadata(cellMetadata));
        }
    }

    void cellStarted(int index, Instant now) {
        editCellPapermill(index, papermill -> {
            papermill.put("start_time", Timestamps.papermill(now));
            papermill.put("status", "running");
            papermill.put("exception", false);
        });
    }

    void cellFailed(int index) {
        editCellPapermill(index, papermill -> {
            papermill.put("exception", true);
            papermill.put("status", "failed");
        });
        papermill().put("exception", true);
    }

    void cellCompleted(int index, Instant now) {
        editCellPapermill(index, papermill -> {
            papermill.put("end_time", Timestamps.papermill(now));
            Instant start = Instant.parse(papermill.path("start_time").asText(Timestamps.papermill(now)));
            papermill.put("duration", Timestamps.seconds(start, now));
            if (!"failed".equals(papermill.path("status").asText())) {
                papermill.put("status", "completed");
            }
        });
    }

    /** Resets {@code metadata.execution} before a code cell is sent to the kernel. */
    void executionReset(int index) {
        ObjectNode cellMetadata = cells.get(index).metadata();
        cellMetadata.putObject("execution");
        cells.set(index, cells.get(index).withMetadata(cellMetadata));
    }

    /** Records one of nbclient's timing keys ({@code iopub.status.busy}, ...) on a code cell. */
    void executionTiming(int index, String key, Instant when) {
        ObjectNode cellMetadata = cells.get(index).metadata();
        ObjectNode execution = cellMetadata.get("execution") instanceof ObjectNode e ? e : cellMetadata.putObject("execution");
        execution.put(key, Timestamps.nbclient(when));
        cells.set(index, cells.get(index).withMetadata(cellMetadata));
    }

    void executionCount(int index, int count) {
        if (cells.get(index) instanceof CodeCell code) {
            cells.set(index, code.withExecutionCount(Optional.of(count)));
        }
    }

    /** papermill's notebook_complete: end time, duration, and pending cells before the first failure completed. */
    void complete(Instant now) {
        ObjectNode papermill = papermill();
        papermill.put("end_time", Timestamps.papermill(now));
        Instant start = Instant.parse(papermill.path("start_time").asText(Timestamps.papermill(now)));
        papermill.put("duration", Timestamps.seconds(start, now));
        for (int i = 0; i < cells.size(); i++) {
            String status = cells.get(i).metadata().path("papermill").path("status").asText("");
            if (status.equals("failed")) {
                break;
            }
            if (status.equals("pending")) {
                editCellPapermill(i, cellPapermill -> cellPapermill.put("status", "completed"));
            }
        }
    }

    void languageInfo(JsonNode languageInfo) {
        metadata.set("language_info", languageInfo.deepCopy());
    }

    /** papermill's error markers: a message cell at the top and an anchor cell right before the failing cell. */
    void addErrorCells(int failedIndex) {
        String count = cells.get(failedIndex) instanceof CodeCell code && code.executionCount().isPresent()
                ? String.valueOf(code.executionCount().get()) : "None";
        add(failedIndex, errorCell("<span id=\"papermill-error-cell\" style=\"" + ERROR_STYLE
                + "\">Execution using papermill encountered an exception here and stopped:</span>"));
        add(0, errorCell("<span style=\"" + ERROR_STYLE + "\">An Exception was encountered at '"
                + "<a href=\"#papermill-error-cell\">In [" + count + "]</a>'.</span>"));
    }

    private MarkdownCell errorCell(String source) {
        ObjectNode cellMetadata = JSON.objectNode();
        cellMetadata.putArray("tags").add(ERROR_TAG);
        return new MarkdownCell(Optional.of(ids.get()), MultilineText.of(source), cellMetadata, Optional.empty(),
                JSON.objectNode());
    }

    /** The run's notebook as it stands now. */
    Notebook snapshot() {
        List<Cell> current = new ArrayList<>(cells.size());
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            current.add(cell instanceof CodeCell code ? code.withOutputs(outputs.get(i)) : cell);
        }
        return new Notebook(4, Math.max(Notebook.CURRENT_MINOR, original.nbformatMinor()), metadata, current,
                original.extra());
    }

    private ObjectNode papermill() {
        return metadata.get("papermill") instanceof ObjectNode papermill ? papermill : metadata.putObject("papermill");
    }

    private void editCellPapermill(int index, java.util.function.Consumer<ObjectNode> edit) {
        ObjectNode cellMetadata = cells.get(index).metadata();
        ObjectNode papermill = cellMetadata.get("papermill") instanceof ObjectNode p ? p : cellMetadata.putObject("papermill");
        edit.accept(papermill);
        cells.set(index, cells.get(index).withMetadata(cellMetadata));
    }

    static JsonNode toJson(ParameterValue value) {
        return switch (value) {
            case ParameterValue.None ignored -> JSON.nullNode();
            case ParameterValue.Text text -> JSON.textNode(text.value());
            case ParameterValue.Bool bool -> JSON.booleanNode(bool.value());
            case ParameterValue.Int integer -> JSON.numberNode(integer.value());
            case ParameterValue.Float number -> JSON.numberNode(number.value());
            case ParameterValue.ListValue list -> {
                ArrayNode array = JSON.arrayNode();
                list.values().forEach(element -> array.add(toJson(element)));
                yield array;
            }
            case ParameterValue.MapValue map -> {
                ObjectNode object = JSON.objectNode();
                map.entries().forEach((key, element) -> object.set(
                        key instanceof ParameterValue.Text text ? text.value() : String.valueOf(key.toPlain()),
                        toJson(element)));
                yield object;
            }
            case ParameterValue.Other other -> JSON.textNode(other.text());
        };
    }
}
