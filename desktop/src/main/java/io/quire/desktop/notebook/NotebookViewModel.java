package io.quire.desktop.notebook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.client.CellStatus;
import io.quire.client.Execution;
import io.quire.client.ExecutionCell;
import io.quire.client.FileInfo;
import io.quire.client.KernelSession;
import io.quire.client.QuireClient;
import io.quire.desktop.kernel.KernelViewModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * An open notebook: its cells, the selection, the keyboard mode, dirty tracking, save, and runs of cells on the
 * server.
 *
 * <p>Design. The model is owned by the UI thread (the {@code ui} executor); calls to the server run on the
 * {@code background} executor and hand their results back to {@code ui}. A run goes through Quire's v1 API: the
 * notebook is saved first when it has unsaved changes (the server runs the cell's <em>saved</em> source), the
 * notebook's session is created on the first run, then an execution of the cell(s) is started and polled
 * ({@link #pollInterval}) until it finishes; each poll replaces the cells' outputs, counts and states with the
 * server's, which also saved them into the file. Outputs therefore survive this window closing, and
 * {@code clear_output(wait=True)} and display updates are applied by the server exactly as for any other client.
 *
 * <p>Dirty tracking counts changes ({@link #modifications}); a save clears the dirty flag only when nothing changed
 * between its snapshot and its completion. Outputs from the server do not make the notebook dirty.
 */
public final class NotebookViewModel implements AutoCloseable {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final QuireClient client;
    private final FileInfo file;
    private final ObjectNode notebook;
    private final Executor background;
    private final Executor ui;
    private final Clock clock;
    private final Duration pollInterval;
    private final Supplier<String> ids;
    private final KernelViewModel kernel;
    private final KeyboardModel keyboard = new KeyboardModel();
    private final ObservableList<CellViewModel> cells = FXCollections.observableArrayList();
    private final ObservableList<CellViewModel> readOnlyCells = FXCollections.unmodifiableObservableList(cells);
    private final SimpleIntegerProperty selected = new SimpleIntegerProperty(0);
    private final SimpleObjectProperty<Mode> mode = new SimpleObjectProperty<>(Mode.COMMAND);
    private final SimpleBooleanProperty dirty = new SimpleBooleanProperty(false);
    private final SimpleStringProperty message = new SimpleStringProperty("");
    private final Deque<Deleted> deleted = new ArrayDeque<>();
    private final Map<String, Instant> started = new HashMap<>();
    /** When each cell was queued: the elapsed time of a cell that finished before a poll saw it running. */
    private final Map<String, Instant> queuedAt = new java.util.concurrent.ConcurrentHashMap<>();
    private Optional<ObjectNode> clipboard = Optional.empty();
    private long modifications;

    private record Deleted(int index, CellViewModel cell) {
    }

    private NotebookViewModel(Builder builder, NotebookDocument document) {
        this.client = builder.client;
        this.file = document.file();
        this.notebook = document.notebook();
        this.background = builder.background;
        this.ui = builder.ui;
        this.clock = builder.clock;
        this.pollInterval = builder.pollInterval;
        this.ids = builder.ids;
        this.kernel = new KernelViewModel(client, file.id(), background, ui);
        boolean idsAdded = false;
        List<CellViewModel> read = new ArrayList<>();
        for (var cell : notebook.path("cells")) {
            if (cell instanceof ObjectNode json) {
                String id = json.path("id").asText("");
                if (id.isEmpty()) {
                    id = ids.get();
                    idsAdded = true;
                }
                CellViewModel.read(json, id).ifPresent(read::add);
            }
        }
        if (read.isEmpty()) {
            read.add(CellViewModel.empty(ids.get(), CellType.CODE));
            idsAdded = true;
        }
        read.forEach(this::watch);
        cells.setAll(read);
        dirty.set(idsAdded);
    }

    /**
     * A builder for a document read with {@link NotebookDocument#load}.
     *
     * @param client   the client of the server the notebook lives on
     * @param document the notebook
     * @return the builder
     */
    public static Builder builder(QuireClient client, NotebookDocument document) {
        return new Builder(client, document);
    }

    private void watch(CellViewModel cell) {
        cell.sourceProperty().addListener((observable, before, after) -> changed());
        cell.typeProperty().addListener((observable, before, after) -> changed());
    }

    private void changed() {
        modifications++;
        dirty.set(true);
    }

    /**
     * The notebook's file.
     *
     * @return the file resource
     */
    public FileInfo file() {
        return file;
    }

    /**
     * The notebook's kernel.
     *
     * @return the kernel view model
     */
    public KernelViewModel kernel() {
        return kernel;
    }

    /**
     * The notebook's language, from {@code metadata.kernelspec.language} (or {@code language_info.name}).
     *
     * @return the language, {@code python} when the notebook does not say
     */
    public String language() {
        var metadata = notebook.path("metadata");
        String language = metadata.path("kernelspec").path("language").asText("");
        if (language.isEmpty()) {
            language = metadata.path("language_info").path("name").asText("");
        }
        return language.isEmpty() ? "python" : language;
    }

    /**
     * The cells, in order.
     *
     * @return a read-only live list
     */
    public ObservableList<CellViewModel> cells() {
        return readOnlyCells;
    }

    /**
     * The index of the selected cell.
     *
     * @return the property
     */
    public ReadOnlyIntegerProperty selectedIndexProperty() {
        return selected;
    }

    /**
     * The selected cell.
     *
     * @return the cell
     */
    public CellViewModel selectedCell() {
        return cells.get(selected.get());
    }

    /**
     * Selects a cell (a click).
     *
     * @param index the cell's index; out-of-range values are clamped
     */
    public void select(int index) {
        selected.set(Math.max(0, Math.min(index, cells.size() - 1)));
    }

    /**
     * The keyboard mode.
     *
     * @return the property
     */
    public ReadOnlyObjectProperty<Mode> modeProperty() {
        return mode;
    }

    /**
     * Whether there are changes not saved yet.
     *
     * @return the property
     */
    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty;
    }

    /**
     * The last message for the status bar: a save, or what went wrong.
     *
     * @return the property
     */
    public ReadOnlyStringProperty messageProperty() {
        return message;
    }

    /**
     * Interprets a key stroke in the current mode and performs the command it stands for.
     *
     * @param stroke the key stroke
     * @return true when the key was a notebook shortcut (the view consumes it), false to let it through
     */
    public boolean press(KeyStroke stroke) {
        Optional<NotebookCommand> command = keyboard.press(mode.get(), stroke);
        command.ifPresent(this::perform);
        return command.isPresent() || (mode.get() == Mode.COMMAND && keyboard.deleteArmed());
    }

    /**
     * Performs a command on the selected cell.
     *
     * @param command the command
     */
    public void perform(NotebookCommand command) {
        Objects.requireNonNull(command, "command");
        int index = selected.get();
        switch (command) {
            case RUN_AND_ADVANCE -> {
                run(selectedCell());
                if (index == cells.size() - 1) {
                    insert(index + 1, CellViewModel.empty(ids.get(), CellType.CODE));
                    mode.set(Mode.EDIT);
                } else {
                    select(index + 1);
                    mode.set(Mode.COMMAND);
                }
            }
            case RUN -> {
                run(selectedCell());
                mode.set(Mode.COMMAND);
            }
            case RUN_AND_INSERT_BELOW -> {
                run(selectedCell());
                insert(index + 1, CellViewModel.empty(ids.get(), CellType.CODE));
                mode.set(Mode.EDIT);
            }
            case EDIT -> {
                selectedCell().renderedProperty().set(false);
                mode.set(Mode.EDIT);
            }
            case LEAVE_EDIT -> mode.set(Mode.COMMAND);
            case INSERT_ABOVE -> insert(index, CellViewModel.empty(ids.get(), CellType.CODE));
            case INSERT_BELOW -> insert(index + 1, CellViewModel.empty(ids.get(), CellType.CODE));
            case DELETE -> delete(index);
            case TO_CODE -> changeType(selectedCell(), CellType.CODE);
            case TO_MARKDOWN -> changeType(selectedCell(), CellType.MARKDOWN);
            case TO_RAW -> changeType(selectedCell(), CellType.RAW);
            case COPY -> clipboard = Optional.of(selectedCell().toJson());
            case CUT -> {
                clipboard = Optional.of(selectedCell().toJson());
                delete(index);
            }
            case PASTE_BELOW -> clipboard.flatMap(json -> CellViewModel.read(json, ids.get()))
                    .ifPresent(cell -> insert(index + 1, cell));
            case UNDO_DELETE -> {
                if (!deleted.isEmpty()) {
                    Deleted last = deleted.pop();
                    insert(Math.min(last.index(), cells.size()), last.cell());
                }
            }
            case SELECT_PREVIOUS -> select(index - 1);
            case SELECT_NEXT -> select(index + 1);
            case SAVE -> save();
        }
    }

    private void insert(int index, CellViewModel cell) {
        watch(cell);
        cells.add(index, cell);
        select(index);
        changed();
    }

    private void delete(int index) {
        CellViewModel removed = cells.remove(index);
        deleted.push(new Deleted(index, removed));
        if (cells.isEmpty()) {
            CellViewModel fresh = CellViewModel.empty(ids.get(), CellType.CODE);
            watch(fresh);
            cells.add(fresh);
        }
        select(Math.min(index, cells.size() - 1));
        changed();
    }

    private static void changeType(CellViewModel cell, CellType type) {
        if (cell.typeProperty().get() == type) {
            return;
        }
        if (type != CellType.CODE) {
            cell.clearOutputs();
            cell.setState(CellState.IDLE);
            cell.setElapsed(Optional.empty());
        }
        cell.renderedProperty().set(false);
        cell.typeProperty().set(type);
    }

    /**
     * The notebook as nbformat 4.5 JSON, as it stands in the editor.
     *
     * @return a new JSON object (sharing unchanged subtrees with the document that was read)
     */
    public ObjectNode toJson() {
        ObjectNode json = NODES.objectNode();
        notebook.properties().forEach(field -> json.set(field.getKey(), field.getValue()));
        ArrayNode array = NODES.arrayNode(cells.size());
        cells.forEach(cell -> array.add(cell.toJson()));
        json.set("cells", array);
        json.put("nbformat", 4);
        if (json.path("nbformat_minor").asInt(0) < 5) {
            json.put("nbformat_minor", 5);
        }
        if (!json.path("metadata").isObject()) {
            json.putObject("metadata");
        }
        return json;
    }

    /**
     * Saves the notebook through the SDK.
     *
     * @return completes when saved; fails with the server's error (also shown in {@link #messageProperty()})
     */
    public CompletableFuture<Void> save() {
        ObjectNode snapshot = toJson();
        long at = modifications;
        return CompletableFuture.runAsync(() -> client.saveNotebook(file.id(), snapshot), background)
                .handleAsync((ok, failure) -> {
                    if (failure != null) {
                        message.set("Save failed: " + cause(failure).getMessage());
                        throw new CompletionException(cause(failure));
                    }
                    if (modifications == at) {
                        dirty.set(false);
                    }
                    message.set("Saved " + file.path());
                    return null;
                }, ui);
    }

    /**
     * Runs a cell: a code cell on the kernel, a markdown cell by rendering it; a raw cell does nothing.
     *
     * @param cell a cell of this notebook
     * @return completes when the run ended (with the cell's final state applied), or at once for other cells
     */
    public CompletableFuture<Void> run(CellViewModel cell) {
        Objects.requireNonNull(cell, "cell");
        return switch (cell.typeProperty().get()) {
            case MARKDOWN -> {
                cell.renderedProperty().set(true);
                yield CompletableFuture.completedFuture(null);
            }
            case RAW -> CompletableFuture.completedFuture(null);
            case CODE -> execute(List.of(cell), session -> client.execute(session.id(), cell.id()));
        };
    }

    /**
     * Runs every code cell in order on the kernel (the first failing cell stops the rest).
     *
     * @return completes when the run ended
     */
    public CompletableFuture<Void> runAll() {
        List<CellViewModel> code = cells.stream().filter(cell -> cell.typeProperty().get() == CellType.CODE).toList();
        cells.stream().filter(cell -> cell.typeProperty().get() == CellType.MARKDOWN)
                .forEach(cell -> cell.renderedProperty().set(true));
        if (code.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return execute(code, session -> client.executeAll(session.id()));
    }

    private CompletableFuture<Void> execute(List<CellViewModel> targets,
            java.util.function.Function<KernelSession, Execution> start) {
        Optional<ObjectNode> snapshot = dirty.get() ? Optional.of(toJson()) : Optional.empty();
        long at = modifications;
        for (CellViewModel cell : targets) {
            cell.clearOutputs();
            cell.setElapsed(Optional.empty());
            cell.setState(CellState.QUEUED);
            queuedAt.put(cell.id(), clock.instant());
        }
        return CompletableFuture.runAsync(() -> {
            if (snapshot.isPresent()) {
                client.saveNotebook(file.id(), snapshot.get());
                ui.execute(() -> {
                    if (modifications == at) {
                        dirty.set(false);
                    }
                });
            }
            Execution execution = start.apply(kernel.ensureSession());
            while (true) {
                Execution seen = execution;
                ui.execute(() -> apply(seen));
                if (execution.isFinished()) {
                    return;
                }
                try {
                    Thread.sleep(pollInterval);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CompletionException(e);
                }
                execution = client.execution(execution.id());
            }
        }, background).handleAsync((ok, failure) -> {
            if (failure != null) {
                for (CellViewModel cell : targets) {
                    if (cell.stateProperty().get() == CellState.QUEUED
                            || cell.stateProperty().get() == CellState.RUNNING) {
                        cell.setState(CellState.ERROR);
                    }
                }
                message.set("Run failed: " + cause(failure).getMessage());
            }
            return null;
        }, ui);
    }

    private void apply(Execution execution) {
        Map<String, CellViewModel> byId = new HashMap<>();
        cells.forEach(cell -> byId.put(cell.id(), cell));
        for (ExecutionCell result : execution.cells()) {
            CellViewModel cell = byId.get(result.cellId());
            if (cell == null) {
                continue;
            }
            CellState state = switch (result.status()) {
                case QUEUED, UNKNOWN -> CellState.QUEUED;
                case RUNNING -> CellState.RUNNING;
                case SUCCEEDED -> CellState.DONE;
                case FAILED, CANCELLED -> CellState.ERROR;
                case SKIPPED -> CellState.IDLE;
            };
            if (state == CellState.RUNNING) {
                started.putIfAbsent(cell.id(), clock.instant());
            }
            if (result.status() != CellStatus.QUEUED && result.status() != CellStatus.SKIPPED) {
                cell.setOutputs(result.outputs());
                cell.setExecutionCount(result.executionCount());
            }
            if ((state == CellState.DONE || state == CellState.ERROR) && cell.stateProperty().get() != state) {
                Instant running = started.remove(cell.id());
                Instant queued = queuedAt.remove(cell.id());
                // a cell that finished between two polls was never seen running: count from when it was queued
                Instant from = running != null ? running : queued;
                cell.setElapsed(Optional.ofNullable(from).map(begin -> Duration.between(begin, clock.instant())));
            }
            if (result.status() == CellStatus.SKIPPED || result.status() == CellStatus.CANCELLED) {
                result.error().ifPresent(problem -> message.set(cell.id() + ": " + problem.message()));
            }
            cell.setState(state);
        }
    }

    private static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Closes the live kernel connection; the kernel keeps running on the server. */
    @Override
    public void close() {
        kernel.close();
    }

    /** Settings of a {@link NotebookViewModel}. */
    public static final class Builder {
        private final QuireClient client;
        private final NotebookDocument document;
        private Executor background = command -> Thread.ofVirtual().name("quire-notebook").start(command);
        private Executor ui = Runnable::run;
        private Clock clock = Clock.systemUTC();
        private Duration pollInterval = Duration.ofMillis(100);
        private Supplier<String> ids = () -> UUID.randomUUID().toString().substring(0, 8);

        private Builder(QuireClient client, NotebookDocument document) {
            this.client = Objects.requireNonNull(client, "client");
            this.document = Objects.requireNonNull(document, "document");
        }

        /**
         * Where calls to the server run (default: a new virtual thread each).
         *
         * @param value the executor
         * @return this builder
         */
        public Builder background(Executor value) {
            this.background = Objects.requireNonNull(value, "background");
            return this;
        }

        /**
         * Where model changes run: the JavaFX application thread in the app ({@code Platform::runLater}).
         *
         * @param value the executor
         * @return this builder
         */
        public Builder ui(Executor value) {
            this.ui = Objects.requireNonNull(value, "ui");
            return this;
        }

        /**
         * The clock cells' elapsed times are measured with.
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * How often a running execution is polled (default 100 ms).
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder pollInterval(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("the poll interval must be positive, got " + value);
            }
            this.pollInterval = value;
            return this;
        }

        /**
         * Makes ids for new cells (default: 8 random hex digits, as JupyterLab).
         *
         * @param value the id supplier
         * @return this builder
         */
        public Builder ids(Supplier<String> value) {
            this.ids = Objects.requireNonNull(value, "ids");
            return this;
        }

        /**
         * Builds the view model; call it on the UI thread.
         *
         * @return the view model
         */
        public NotebookViewModel build() {
            return new NotebookViewModel(this, document);
        }
    }
}
