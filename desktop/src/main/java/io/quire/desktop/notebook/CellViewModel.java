package io.quire.desktop.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * One cell of an open notebook: its type, source, outputs (nbformat 4 JSON, as the server stored them), execution
 * count and run state. Edits through {@link #sourceProperty()} and {@link #typeProperty()} mark the notebook dirty;
 * outputs and counts that come from the server do not (the server saved them already).
 *
 * <p>The cell keeps the JSON it was read from, so metadata, attachments and fields this editor does not know are
 * written back unchanged. Owned by the UI thread.
 */
public final class CellViewModel {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String id;
    private final ObjectNode original;
    private final ObjectProperty<CellType> type;
    private final StringProperty source;
    private final ObservableList<ObjectNode> outputs = FXCollections.observableArrayList();
    private final ObservableList<ObjectNode> readOnlyOutputs = FXCollections.unmodifiableObservableList(outputs);
    private final ObjectProperty<Optional<Integer>> executionCount = new SimpleObjectProperty<>(Optional.empty());
    private final ObjectProperty<CellState> state = new SimpleObjectProperty<>(CellState.IDLE);
    private final ObjectProperty<Optional<Duration>> elapsed = new SimpleObjectProperty<>(Optional.empty());
    private final BooleanProperty rendered;
    private final ObjectProperty<Optional<InputPrompt>> input = new SimpleObjectProperty<>(Optional.empty());
    private final BooleanProperty outputsCollapsed;
    private final BooleanProperty outputsScrolled;
    private final IntegerProperty caret = new SimpleIntegerProperty(0);
    private final IntegerProperty anchor = new SimpleIntegerProperty(0);
    private final ObjectProperty<List<Collaborator>> collaborators = new SimpleObjectProperty<>(List.of());

    CellViewModel(String id, CellType type, String source, List<ObjectNode> outputs, Optional<Integer> executionCount,
            ObjectNode original) {
        this.id = Objects.requireNonNull(id, "id");
        this.original = Objects.requireNonNull(original, "original");
        this.type = new SimpleObjectProperty<>(Objects.requireNonNull(type, "type"));
        this.source = new SimpleStringProperty(Objects.requireNonNull(source, "source"));
        this.outputs.setAll(outputs);
        this.executionCount.set(executionCount);
        this.rendered = new SimpleBooleanProperty(type == CellType.MARKDOWN);
        JsonNode metadata = original.path("metadata");
        this.outputsCollapsed = new SimpleBooleanProperty(metadata.path("collapsed").asBoolean(false)
                || metadata.path("jupyter").path("outputs_hidden").asBoolean(false));
        this.outputsScrolled = new SimpleBooleanProperty(metadata.path("scrolled").asBoolean(false));
    }

    /**
     * A new empty cell.
     *
     * @param id   its nbformat id
     * @param type its type
     * @return the cell
     */
    static CellViewModel empty(String id, CellType type) {
        return new CellViewModel(id, type, "", List.of(), Optional.empty(), NODES.objectNode());
    }

    /**
     * Reads a cell of an nbformat 4 notebook.
     *
     * @param json the cell JSON
     * @param id   the id to use (the cell's own, or a new one when it had none)
     * @return the cell, or empty for a cell type nbformat does not define
     */
    static Optional<CellViewModel> read(ObjectNode json, String id) {
        return CellType.fromWire(json.path("cell_type").asText()).map(type -> {
            List<ObjectNode> outputs = new java.util.ArrayList<>();
            json.path("outputs").forEach(output -> {
                if (output instanceof ObjectNode object) {
                    outputs.add(object);
                }
            });
            JsonNode count = json.path("execution_count");
            return new CellViewModel(id, type, text(json.path("source")), outputs,
                    count.isInt() ? Optional.of(count.intValue()) : Optional.empty(), json);
        });
    }

    /**
     * Joins nbformat multiline text (a string or a list of strings).
     *
     * @param node the text node
     * @return the text; empty for a missing node
     */
    static String text(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue();
        }
        StringBuilder text = new StringBuilder();
        node.forEach(part -> text.append(part.asText()));
        return text.toString();
    }

    /**
     * The cell as nbformat 4.5 JSON: the JSON it was read from with its id, type, source, and (for code cells) its
     * outputs and execution count replaced.
     *
     * @return a new JSON object
     */
    ObjectNode toJson() {
        ObjectNode json = NODES.objectNode();
        json.put("id", id);
        json.put("cell_type", type.get().wireName());
        json.set("metadata", original.path("metadata") instanceof ObjectNode metadata ? metadata : NODES.objectNode());
        original.properties().forEach(field -> {
            if (!json.has(field.getKey())) {
                json.set(field.getKey(), field.getValue());
            }
        });
        json.put("source", source.get());
        json.remove(List.of("outputs", "execution_count"));
        if (type.get() == CellType.CODE) {
            ArrayNode array = json.putArray("outputs");
            outputs.forEach(array::add);
            executionCount.get().ifPresentOrElse(count -> json.put("execution_count", count),
                    () -> json.putNull("execution_count"));
        } else if (type.get() == CellType.RAW) {
            json.remove("attachments");
        }
        return json;
    }

    /**
     * A copy of this cell under a new id, without run state (for paste).
     *
     * @param newId the copy's id
     * @return the copy
     */
    CellViewModel copy(String newId) {
        return new CellViewModel(newId, type.get(), source.get(), List.copyOf(outputs), executionCount.get(),
                original);
    }

    /**
     * The cell's nbformat id.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * The cell's type; setting it changes the cell (a cell that stops being code loses its outputs).
     *
     * @return the property
     */
    public ObjectProperty<CellType> typeProperty() {
        return type;
    }

    /**
     * The cell's source text; editors bind to it.
     *
     * @return the property
     */
    public StringProperty sourceProperty() {
        return source;
    }

    /**
     * The cell's outputs, nbformat 4 JSON, as stored on the server.
     *
     * @return a read-only live list
     */
    public ObservableList<ObjectNode> outputs() {
        return readOnlyOutputs;
    }

    /**
     * The kernel's execution count for the cell's last run.
     *
     * @return the property
     */
    public ReadOnlyObjectProperty<Optional<Integer>> executionCountProperty() {
        return executionCount;
    }

    /**
     * Where the cell is in its run.
     *
     * @return the property
     */
    public ReadOnlyObjectProperty<CellState> stateProperty() {
        return state;
    }

    /**
     * How long the last finished run took, measured by this editor.
     *
     * @return the property
     */
    public ReadOnlyObjectProperty<Optional<Duration>> elapsedProperty() {
        return elapsed;
    }

    /**
     * Whether a markdown cell shows its rendering (true) or its source (false).
     *
     * @return the property
     */
    public BooleanProperty renderedProperty() {
        return rendered;
    }

    /**
     * Whether the cell's outputs are collapsed; starts from the nbformat metadata {@code collapsed} (or
     * {@code jupyter.outputs_hidden}). A view state: not written back on save.
     *
     * @return the property
     */
    public BooleanProperty outputsCollapsedProperty() {
        return outputsCollapsed;
    }

    /**
     * Whether the cell's outputs scroll in a box of limited height; starts from the nbformat metadata
     * {@code scrolled}. A view state: not written back on save.
     *
     * @return the property
     */
    public BooleanProperty outputsScrolledProperty() {
        return outputsScrolled;
    }

    /**
     * The prompt Jupyter shows left of a code cell: {@code [3]:}, {@code [*]:} while queued or running,
     * {@code [ ]:} before any run.
     *
     * @return the prompt text
     */
    public String prompt() {
        return switch (state.get()) {
            case QUEUED, RUNNING -> "[*]:";
            case IDLE, DONE, ERROR -> executionCount.get().map(count -> "[" + count + "]:").orElse("[ ]:");
        };
    }

    /**
     * The {@code input()} prompt the running cell waits on, shown under it until answered.
     *
     * @return the property
     */
    public ReadOnlyObjectProperty<Optional<InputPrompt>> inputProperty() {
        return input;
    }

    /**
     * The caret in the cell's source (UTF-16 index), as the editor reports it. In a live notebook it is sent as
     * presence, and a remote edit before it moves it (the editor follows).
     *
     * @return the property
     */
    public IntegerProperty caretProperty() {
        return caret;
    }

    /**
     * The other end of the selection in the cell's source (equal to the caret when nothing is selected).
     *
     * @return the property
     */
    public IntegerProperty anchorProperty() {
        return anchor;
    }

    /**
     * The other people in a live notebook who have this cell selected; empty otherwise.
     *
     * @return the property
     */
    public ReadOnlyObjectProperty<List<Collaborator>> collaboratorsProperty() {
        return collaborators;
    }

    void setCollaborators(List<Collaborator> here) {
        if (!collaborators.get().equals(here)) {
            collaborators.set(List.copyOf(here));
        }
    }

    void setInput(Optional<InputPrompt> prompt) {
        input.set(prompt);
    }

    void setOutputs(List<ObjectNode> newOutputs) {
        if (!outputs.equals(newOutputs)) {
            outputs.setAll(newOutputs);
        }
    }

    void setExecutionCount(Optional<Integer> count) {
        executionCount.set(count);
    }

    void setState(CellState newState) {
        state.set(newState);
    }

    void setElapsed(Optional<Duration> value) {
        elapsed.set(value);
    }

    void clearOutputs() {
        outputs.clear();
        executionCount.set(Optional.empty());
    }

    @Override
    public String toString() {
        return "Cell[" + id + ", " + type.get().wireName() + "]";
    }
}
