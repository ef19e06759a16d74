package io.quire.desktop.notebook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.client.CellStatus;
import io.quire.client.Execution;
import io.quire.client.ExecutionCell;
import io.quire.client.FileInfo;
import io.quire.client.KernelSession;
import io.quire.client.QuireClient;
import io.quire.client.rtu.CollabSession;
import io.quire.client.rtu.RtuClient;
import io.quire.collab.Delta;
import io.quire.collab.DeltaHeader;
import io.quire.collab.TextOperation;
import io.quire.collab.rtu.RtuEvent;
import io.quire.desktop.kernel.KernelViewModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
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
 *
 * <p><b>Live mode</b> (decision 0026). After {@link #goLive(RtuClient)} the notebook is a copy of the server's
 * document on the real-time channel ({@link CollabSession}, whose events are handled on the {@code ui} executor, so
 * remote changes arrive only between the user's edits): every local change leaves as a delta at once (source edits as
 * insert/delete operations from {@link LiveText#diff}, cell insert, delete, move, type change, outputs of runs), and
 * every remote delta is applied to the cells as the session's {@link CollabSession#lastLocalEffect() local effect}
 * (the remote edit transformed past this client's unsent ones), which also carries each cell's caret; where one delta
 * does not describe the change (a snapshot, a refusal, a dropped edit) the cells are brought in line with the
 * session's document. Presence goes out on selection and caret moves and comes in as {@link #collaborators()}.
 * The server owns the document: dirty means "the file does not have every change yet" (anyone's), and a save
 * ({@code Ctrl+S}, autosave) has the server write the file from its log ({@link QuireClient#writeLiveNotebook}).
 */
public final class NotebookViewModel implements AutoCloseable {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final java.util.regex.Pattern ANSI = java.util.regex.Pattern.compile("\u001b\\[[0-9;?]*[ -/]*[@-~]");
    private static final Duration KERNEL_REPLY = Duration.ofSeconds(30);
    private static final Duration LIVE_TIMEOUT = Duration.ofSeconds(10);
    /** The longest wait between two tries to reconnect a live session. */
    private static final Duration RECONNECT_MAX_WAIT = Duration.ofSeconds(5);

    private final QuireClient client;
    private FileInfo file;
    private ObjectNode notebook;
    private Instant known;
    private final Runs runs;
    private final SimpleObjectProperty<Optional<Conflict>> conflict = new SimpleObjectProperty<>(Optional.empty());
    private final Map<String, ChannelRun> channelRuns = new HashMap<>();
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
    /** The other end of the selected range of cells; equal to {@link #selected} when one cell is selected. */
    private final SimpleIntegerProperty anchor = new SimpleIntegerProperty(0);
    private final SimpleBooleanProperty shortcutsShown = new SimpleBooleanProperty(false);
    private final SimpleObjectProperty<Mode> mode = new SimpleObjectProperty<>(Mode.COMMAND);
    private final SimpleBooleanProperty dirty = new SimpleBooleanProperty(false);
    private final SimpleStringProperty message = new SimpleStringProperty("");
    private final SimpleIntegerProperty fileChanged = new SimpleIntegerProperty(0);
    /** Deleted cells, a batch per deletion (several when a range was selected), for Z. */
    private final Deque<List<Deleted>> deleted = new ArrayDeque<>();
    private final Map<String, Instant> started = new HashMap<>();
    /** When each cell was queued: the elapsed time of a cell that finished before a poll saw it running. */
    private final Map<String, Instant> queuedAt = new java.util.concurrent.ConcurrentHashMap<>();
    private List<ObjectNode> clipboard = List.of();
    private long modifications;
    private boolean idsAdded;
    /** The live session, or null while the notebook is edited as a file. */
    private CollabSession live;
    /** Set while a remote change is applied to the cells: the watchers then send nothing. */
    private boolean remote;
    /** Ids of own deltas not yet back from the log. */
    private final Set<UUID> sent = new HashSet<>();
    private final ObservableList<Collaborator> collaborators = FXCollections.observableArrayList();
    private final ObservableList<Collaborator> readOnlyCollaborators =
            FXCollections.unmodifiableObservableList(collaborators);
    private final SimpleBooleanProperty liveMode = new SimpleBooleanProperty(false);
    /** True while the view model holds only the notebook's first cells (decision 0035); nothing can be changed then. */
    private final SimpleBooleanProperty opening = new SimpleBooleanProperty(false);
    /** How many cells the whole notebook has while {@link #opening}. */
    private int totalCells;

    private record Deleted(int index, CellViewModel cell) {
    }

    private NotebookViewModel(Builder builder, NotebookDocument document) {
        this.client = builder.client;
        this.file = document.file();
        this.notebook = document.notebook();
        this.known = document.file().lastModified();
        this.runs = builder.runs;
        this.background = builder.background;
        this.ui = builder.ui;
        this.clock = builder.clock;
        this.pollInterval = builder.pollInterval;
        this.ids = builder.ids;
        this.kernel = new KernelViewModel(client, file.id(), background, ui);
        readCells();
        builder.totalCells.ifPresent(total -> {
            if (total > cells.size()) {
                totalCells = total;
                opening.set(true);
                dirty.set(false);
                message.set(String.format("Opening: %,d of %,d cells", cells.size(), total));
            }
        });
    }

    /**
     * Whether the notebook is still opening: it was built from its first cells ({@link Builder#head}) and the rest
     * has not arrived ({@link #goLive(LiveDocument)} or {@link #completeFrom}). Nothing can be changed meanwhile:
     * editors are read-only, commands that change cells, runs and saves are refused with a message.
     *
     * @return the property
     */
    public ReadOnlyBooleanProperty openingProperty() {
        return opening;
    }

    /**
     * How many cells the notebook has: while it is {@link #openingProperty() opening}, the whole notebook's count,
     * of which {@link #cells()} holds the first ones.
     *
     * @return the number of cells
     */
    public int totalCells() {
        return opening.get() ? totalCells : cells.size();
    }

    /**
     * Completes a notebook that is still opening from the whole document read as a file (when the real-time channel
     * refused it): the cells shown stay (brought in line with the document), the rest are added after them.
     *
     * @param whole the whole notebook, read from the same file
     * @throws IllegalArgumentException when the document is another file's
     */
    public void completeFrom(NotebookDocument whole) {
        Objects.requireNonNull(whole, "whole");
        if (!whole.file().id().equals(file.id())) {
            throw new IllegalArgumentException("the document is " + whole.file().path() + ", this notebook "
                    + file.path());
        }
        if (opening.get()) {
            complete(whole.notebook());
            dirty.set(idsAdded);
            opening.set(false);
        }
    }

    /**
     * Brings the first cells in line with the whole notebook and adds the others in one change (the list's rows on
     * screen stay where they are); the caller then ends {@link #opening}. When the cells shown are not the document's
     * first (no ids in the file, or the file changed in between), every cell is read again.
     */
    private void complete(ObjectNode whole) {
        JsonNode all = whole.path("cells");
        boolean sameHead = all.size() >= cells.size();
        for (int i = 0; sameHead && i < cells.size(); i++) {
            sameHead = cells.get(i).id().equals(all.get(i).path("id").asText(""));
        }
        boolean was = remote;
        remote = true;
        try {
            notebook = whole;
            if (sameHead) {
                for (int i = 0; i < cells.size(); i++) {
                    if (all.get(i) instanceof ObjectNode json) {
                        refreshContent(cells.get(i), json);
                    }
                }
                List<CellViewModel> rest = new ArrayList<>();
                for (int i = cells.size(); i < all.size(); i++) {
                    if (all.get(i) instanceof ObjectNode json) {
                        String id = json.path("id").asText("");
                        if (id.isEmpty()) {
                            id = ids.get();
                            idsAdded = true;
                        }
                        CellViewModel.read(json, id).ifPresent(rest::add);
                    }
                }
                rest.forEach(this::watch);
                cells.addAll(rest);
            } else {
                readCells();
            }
        } finally {
            remote = was;
        }
        totalCells = 0;
        message.set("");
    }

    /** Whether a change must be refused because the notebook is still opening (the message says so). */
    private boolean stillOpening() {
        if (opening.get()) {
            message.set(String.format("Still opening (%,d of %,d cells): wait a moment", cells.size(), totalCells));
            return true;
        }
        return false;
    }

    private void readCells() {
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
        select(Math.min(selected.get(), cells.size() - 1));
        dirty.set(idsAdded);
        this.idsAdded = idsAdded;
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
        cell.sourceProperty().addListener((observable, before, after) -> {
            changed();
            if (sending()) {
                send(header -> new Delta.EditSource(header, cell.id(), LiveText.diff(before, after)));
            }
        });
        cell.typeProperty().addListener((observable, before, after) -> {
            changed();
            if (sending()) {
                send(header -> new Delta.SetCellType(header, cell.id(), after.wireName()));
            }
        });
        javafx.beans.InvalidationListener caretMoved = observable -> {
            if (live != null && !remote && !cells.isEmpty() && selectedCell() == cell) {
                sendPresence();
            }
        };
        cell.caretProperty().addListener(caretMoved);
        cell.anchorProperty().addListener(caretMoved);
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
        int before = selected.get();
        selected.set(Math.max(0, Math.min(index, cells.size() - 1)));
        anchor.set(selected.get());
        if (live != null && before != selected.get()) {
            sendPresence();
        }
    }

    /**
     * Extends the selection to a cell (Shift+click, Shift+Up/Down): the cells from the selection's anchor to it are
     * selected, and it becomes the active one.
     *
     * @param index the cell's index; out-of-range values are clamped
     */
    public void extendSelection(int index) {
        int before = selected.get();
        selected.set(Math.max(0, Math.min(index, cells.size() - 1)));
        if (live != null && before != selected.get()) {
            sendPresence();
        }
    }

    /**
     * The other end of the selected range (the active cell is {@link #selectedIndexProperty()}); equal to it when one
     * cell is selected.
     *
     * @return the property
     */
    public ReadOnlyIntegerProperty selectionAnchorProperty() {
        return anchor;
    }

    /**
     * Whether a cell is in the selected range.
     *
     * @param index the cell's index
     * @return true for the selected cells
     */
    public boolean isSelected(int index) {
        return index >= first() && index <= last();
    }

    /** @return the index of the first selected cell */
    private int first() {
        return Math.max(0, Math.min(Math.min(anchor.get(), selected.get()), cells.size() - 1));
    }

    /** @return the index of the last selected cell */
    private int last() {
        return Math.max(0, Math.min(Math.max(anchor.get(), selected.get()), cells.size() - 1));
    }

    /** @return the selected cells, in order */
    private List<CellViewModel> selection() {
        return cells.isEmpty() ? List.of() : List.copyOf(cells.subList(first(), last() + 1));
    }

    /**
     * Whether the keyboard shortcuts should be shown (H in command mode); the view shows them and calls
     * {@link #hideShortcuts()} when they are closed.
     *
     * @return the property
     */
    public ReadOnlyBooleanProperty shortcutsShownProperty() {
        return shortcutsShown;
    }

    /** The shortcuts were closed. */
    public void hideShortcuts() {
        shortcutsShown.set(false);
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
        boolean readOnly = switch (command) {
            case EDIT, LEAVE_EDIT, COPY, SELECT_PREVIOUS, SELECT_NEXT, EXTEND_SELECTION_UP, EXTEND_SELECTION_DOWN,
                    SELECT_ALL, SHOW_SHORTCUTS -> true;
            default -> false;
        };
        if (!readOnly && stillOpening()) {
            return;
        }
        int first = first();
        int last = last();
        switch (command) {
            case RUN_AND_ADVANCE -> {
                runCells(selection());
                if (last == cells.size() - 1) {
                    insert(last + 1, CellViewModel.empty(ids.get(), CellType.CODE));
                    mode.set(Mode.EDIT);
                } else {
                    select(last + 1);
                    mode.set(Mode.COMMAND);
                }
            }
            case RUN -> {
                runCells(selection());
                mode.set(Mode.COMMAND);
            }
            case RUN_AND_INSERT_BELOW -> {
                runCells(selection());
                insert(last + 1, CellViewModel.empty(ids.get(), CellType.CODE));
                mode.set(Mode.EDIT);
            }
            case EDIT -> {
                select(index);
                selectedCell().renderedProperty().set(false);
                mode.set(Mode.EDIT);
            }
            case LEAVE_EDIT -> mode.set(Mode.COMMAND);
            case INSERT_ABOVE -> insert(first, CellViewModel.empty(ids.get(), CellType.CODE));
            case INSERT_BELOW -> insert(last + 1, CellViewModel.empty(ids.get(), CellType.CODE));
            case DELETE -> delete(first, last);
            case TO_CODE -> selection().forEach(cell -> changeType(cell, CellType.CODE));
            case TO_MARKDOWN -> selection().forEach(cell -> changeType(cell, CellType.MARKDOWN));
            case TO_RAW -> selection().forEach(cell -> changeType(cell, CellType.RAW));
            case COPY -> clipboard = selection().stream().map(CellViewModel::toJson).toList();
            case CUT -> {
                clipboard = selection().stream().map(CellViewModel::toJson).toList();
                delete(first, last);
            }
            case PASTE_BELOW -> {
                int at = last + 1;
                for (ObjectNode json : clipboard) {
                    Optional<CellViewModel> cell = CellViewModel.read(json, ids.get());
                    if (cell.isPresent()) {
                        insert(at++, cell.get());
                    }
                }
                if (at > last + 1) {
                    anchor.set(last + 1); // the pasted cells stay selected
                }
            }
            case UNDO_DELETE -> {
                if (!deleted.isEmpty()) {
                    List<Deleted> batch = deleted.pop();
                    for (Deleted cell : batch) {
                        insert(Math.min(cell.index(), cells.size()), cell.cell());
                    }
                    anchor.set(Math.min(batch.get(0).index(), cells.size() - 1));
                }
            }
            case SELECT_PREVIOUS -> select(index - 1);
            case SELECT_NEXT -> select(index + 1);
            case EXTEND_SELECTION_UP -> extendSelection(index - 1);
            case EXTEND_SELECTION_DOWN -> extendSelection(index + 1);
            case SELECT_ALL -> {
                anchor.set(0);
                extendSelection(cells.size() - 1);
            }
            case MOVE_UP -> moveSelection(-1);
            case MOVE_DOWN -> moveSelection(1);
            case SHOW_SHORTCUTS -> shortcutsShown.set(true);
            case SAVE -> save();
        }
    }

    /** Moves the selected cells one up ({@code -1}) or down ({@code 1}) as a block; they stay selected. */
    private void moveSelection(int step) {
        int first = first();
        int last = last();
        if (step < 0 ? first == 0 : last == cells.size() - 1) {
            return;
        }
        boolean forward = anchor.get() <= selected.get();
        // the neighbour crosses the block: one move, whatever the block's size
        if (step < 0) {
            move(first - 1, last);
        } else {
            move(last + 1, first);
        }
        anchor.set(forward ? first + step : last + step);
        extendSelection(forward ? last + step : first + step);
    }

    /** Runs the cells in order: markdown is rendered, code runs on the kernel one cell after the other. */
    private CompletableFuture<Void> runCells(List<CellViewModel> targets) {
        if (targets.size() == 1) {
            return run(targets.get(0));
        }
        targets.stream().filter(cell -> cell.typeProperty().get() == CellType.MARKDOWN)
                .forEach(cell -> cell.renderedProperty().set(true));
        List<CellViewModel> code = targets.stream().filter(cell -> cell.typeProperty().get() == CellType.CODE)
                .toList();
        if (code.isEmpty() || stillOpening()) {
            return CompletableFuture.completedFuture(null);
        }
        if (runs == Runs.KERNEL_CHANNELS) {
            return overChannels(code);
        }
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (CellViewModel cell : code) {
            chain = chain.thenCompose(done -> CompletableFuture.supplyAsync(() -> run(cell), ui)
                    .thenCompose(run -> run));
        }
        return chain;
    }

    /**
     * Moves a cell to another position and keeps it selected.
     *
     * @param from the cell's index
     * @param to   its new index; out-of-range values do nothing
     */
    public void move(int from, int to) {
        if (stillOpening()) {
            return;
        }
        if (from < 0 || from >= cells.size() || to < 0 || to >= cells.size() || from == to) {
            return;
        }
        CellViewModel cell = cells.remove(from);
        cells.add(to, cell);
        select(to);
        changed();
        if (sending()) {
            send(header -> new Delta.MoveCell(header, cell.id(), to));
        }
    }

    private void insert(int index, CellViewModel cell) {
        watch(cell);
        cells.add(index, cell);
        select(index);
        changed();
        if (sending()) {
            sendInsert(index, cell);
        }
    }

    /** Deletes the cells from {@code first} to {@code last}; Z brings them back together. */
    private void delete(int first, int last) {
        List<Deleted> batch = new ArrayList<>();
        for (int index = first; index <= last; index++) {
            batch.add(new Deleted(index, cells.get(index)));
        }
        for (int index = last; index >= first; index--) {
            CellViewModel removed = cells.remove(index);
            if (sending()) {
                send(header -> new Delta.DeleteCell(header, removed.id()));
            }
        }
        deleted.push(batch);
        if (cells.isEmpty()) {
            CellViewModel fresh = CellViewModel.empty(ids.get(), CellType.CODE);
            watch(fresh);
            cells.add(fresh);
            if (sending()) {
                sendInsert(0, fresh);
            }
        }
        select(Math.min(first, cells.size() - 1));
        changed();
    }

    // ------------------------------------------------------------------------------------------------ live mode

    /**
     * Connects the notebook to the server's real-time channel and edits it live from then on (decision 0026): the
     * cells are brought in line with the server's document (which may be ahead of the file), local changes leave as
     * deltas and others' arrive. A server without the channel, a refused subscription, or a notebook whose cells had
     * no ids (they got ids on open and must be saved first) leave it in file mode (the message says why).
     *
     * @param rtu the real-time client of the notebook's server
     * @return completes on the UI executor with whether the notebook is live
     */
    public CompletableFuture<Boolean> goLive(RtuClient rtu) {
        Objects.requireNonNull(rtu, "rtu");
        if (live != null) {
            return CompletableFuture.completedFuture(true);
        }
        if (idsAdded) {
            message.set("Not live: save the notebook once so that its cells have ids");
            return CompletableFuture.completedFuture(false);
        }
        String id = file.id();
        return CompletableFuture.supplyAsync(() -> rtu.open(id, LIVE_TIMEOUT, this::onLive, ui), background)
                .handleAsync((session, failure) -> {
                    if (failure != null) {
                        message.set("Not live: " + cause(failure).getMessage());
                        return false;
                    }
                    live = session;
                    keepLive(session);
                    liveMode.set(true);
                    long at = modifications;
                    boolean wasDirty = dirty.get();
                    remotely(this::resync);
                    if (modifications != at && !wasDirty) {
                        message.set("The live document has changes the file does not have yet");
                    }
                    sendPresence();
                    return true;
                }, ui);
    }

    /**
     * Edits the notebook live on a session opened before the view model (decision 0030): the view model was built
     * from {@code opened.document()}, which is the session's document at {@link LiveDocument#seq()}, so the cells
     * are already in line with it and are compared with the session's document only when log deltas were applied in
     * between (someone edited while the notebook was being opened) or own deltas are pending. Call it on the UI
     * executor, the one the session's events are handled on.
     *
     * @param opened the document this view model was built from, with its session
     * @return whether the notebook is live (false when it is live already on another session, which is closed)
     * @throws IllegalArgumentException when the view model was not built from this document's file
     */
    public boolean goLive(LiveDocument opened) {
        Objects.requireNonNull(opened, "opened");
        if (!opened.document().file().id().equals(file.id())) {
            throw new IllegalArgumentException("the live document is " + opened.document().file().path()
                    + ", this notebook " + file.path());
        }
        if (live != null) {
            opened.close();
            return false;
        }
        boolean wasOpening = opening.get();
        if (wasOpening) {
            complete(opened.document().notebook());
            dirty.set(false);
        }
        CollabSession session = opened.session();
        live = session;
        keepLive(session);
        opened.listen(this::onLive);
        liveMode.set(true);
        if (session.seq() != opened.seq() || session.hasOutstanding() || idsAdded) {
            remotely(this::resync);
        }
        opening.set(false); // last: who waits for the whole notebook finds it live
        sendPresence();
        return true;
    }

    /**
     * Shows why the notebook could not be opened live (it is edited as a file).
     *
     * @param reason what the server or the connection said
     */
    public void notLive(String reason) {
        message.set("Not live: " + Objects.requireNonNull(reason, "reason"));
    }

    /**
     * Whether the notebook is edited live on the server's real-time channel.
     *
     * @return the property
     */
    public ReadOnlyBooleanProperty liveProperty() {
        return liveMode;
    }

    /**
     * The other people in the live notebook, ordered by client id; empty in file mode.
     *
     * @return a read-only live list
     */
    public ObservableList<Collaborator> collaborators() {
        return readOnlyCollaborators;
    }

    private boolean sending() {
        return live != null && !remote;
    }

    private void send(Function<DeltaHeader, Delta> change) {
        try {
            sent.add(live.edit(change).deltaId());
        } catch (RuntimeException e) {
            message.set("Live edit not sent (" + e.getMessage() + "); showing the server's document");
            remotely(this::resync);
        }
    }

    private void sendInsert(int index, CellViewModel cell) {
        try {
            sent.add(live.insertCell(index, cell.toJson()).deltaId());
        } catch (RuntimeException e) {
            message.set("Live insert not sent (" + e.getMessage() + "); showing the server's document");
            remotely(this::resync);
        }
    }

    private void sendOutputs(CellViewModel cell, boolean clear) {
        if (!sending() || cell.typeProperty().get() != CellType.CODE) {
            return;
        }
        if (clear) {
            send(header -> new Delta.ClearOutputs(header, cell.id()));
        } else {
            try {
                sent.add(live.replaceOutputs(cell.id(), List.copyOf(cell.outputs()),
                        cell.executionCountProperty().get()).deltaId());
            } catch (RuntimeException e) {
                message.set("Outputs of " + cell.id() + " not sent: " + e.getMessage());
            }
        }
    }

    /**
     * Reconnects the live session by itself when its connection is lost (a network failure, a server restarting or
     * a node of a cluster going down behind its load balancer), and says so; edits made meanwhile stay in the session
     * and are sent once it is back, and what others did meanwhile arrives then.
     */
    private void keepLive(CollabSession session) {
        session.keepConnected(RECONNECT_MAX_WAIT, connected -> {
            if (live != session) {
                return; // left live mode meanwhile
            }
            if (connected) {
                message.set("Connected again: live");
                sendPresence();
            } else {
                collaborators.clear();
                cells.forEach(cell -> cell.setCollaborators(List.of()));
                message.set("Connection to the server lost: reconnecting. Edits are kept and sent once it is back.");
            }
        });
    }

    private void sendPresence() {
        if (live == null || cells.isEmpty()) {
            return;
        }
        CellViewModel cell = selectedCell();
        int length = cell.sourceProperty().get().length();
        live.presence(Optional.of(cell.id()), Optional.of(new RtuEvent.Selection(
                Math.min(Math.max(0, cell.anchorProperty().get()), length),
                Math.min(Math.max(0, cell.caretProperty().get()), length))));
    }

    /** Handles an event of the live session, on the UI executor, after the session applied it. */
    private void onLive(RtuEvent.Server event) {
        if (live == null) {
            return; // before goLive finished: it brings the cells in line itself
        }
        switch (event) {
            case RtuEvent.DeltaEvent delta -> {
                if (sent.remove(delta.delta().deltaId())) {
                    return; // own delta back from the log: the local document did not change
                }
                Optional<Delta> effect = live.lastLocalEffect();
                remotely(() -> effect.ifPresentOrElse(this::applyRemote, this::resync));
            }
            case RtuEvent.Rejected rejected -> {
                sent.remove(rejected.deltaId());
                message.set("The server refused a change: " + rejected.message());
                remotely(this::resync);
            }
            case RtuEvent.Subscribed subscribed -> remotely(this::resync);
            case RtuEvent.Presence presence -> presenceChanged();
            case RtuEvent.PresenceLeft left -> presenceChanged();
            default -> {
                // acks (the delta came back already), pongs, kernel and execution events
            }
        }
    }

    private void remotely(Runnable change) {
        boolean was = remote;
        remote = true;
        try {
            change.run();
        } finally {
            remote = was;
        }
    }

    private void applyRemote(Delta effect) {
        if (effect instanceof Delta.EditSource edit) {
            cellById(edit.cellId()).ifPresentOrElse(cell -> remoteText(cell, Optional.of(edit.operation())),
                    this::resync);
        } else if (effect instanceof Delta.InsertCell || effect instanceof Delta.DeleteCell
                || effect instanceof Delta.MoveCell) {
            syncStructure();
        } else if (effect instanceof Delta.CellDelta change) {
            cellById(change.cellId()).ifPresentOrElse(this::refreshContent, this::resync);
        }
        // notebook metadata and execute requests change nothing the cells show
    }

    private Optional<CellViewModel> cellById(String id) {
        return cells.stream().filter(cell -> cell.id().equals(id)).findFirst();
    }

    /** Brings every cell in line with the session's document. */
    private void resync() {
        syncStructure();
        cells.forEach(this::refreshContent);
    }

    /** Brings the cell list (ids and order) in line with the session's document, keeping the selected cell. */
    private void syncStructure() {
        List<String> target = live.cellIds();
        String selectedId = cells.isEmpty() ? null : selectedCell().id();
        int selectedAt = selected.get();
        Set<String> wanted = new HashSet<>(target);
        cells.removeIf(cell -> !wanted.contains(cell.id()));
        for (int i = 0; i < target.size(); i++) {
            String id = target.get(i);
            if (i < cells.size() && cells.get(i).id().equals(id)) {
                continue;
            }
            Optional<CellViewModel> existing = cellById(id);
            if (existing.isPresent()) {
                cells.remove(existing.get());
                cells.add(i, existing.get());
            } else {
                ObjectNode json = live.cellJson(id).orElseThrow();
                CellViewModel cell = CellViewModel.read(json, id)
                        .orElseGet(() -> CellViewModel.empty(id, CellType.RAW));
                watch(cell);
                cells.add(i, cell);
                changed();
            }
        }
        if (cells.isEmpty()) {
            CellViewModel fresh = CellViewModel.empty(ids.get(), CellType.CODE);
            watch(fresh);
            cells.add(fresh);
            sent.add(live.insertCell(0, fresh.toJson()).deltaId());
        }
        int index = selectedId == null ? -1 : cells.indexOf(cellById(selectedId).orElse(null));
        selected.set(index >= 0 ? index : Math.max(0, Math.min(selectedAt, cells.size() - 1)));
        if (target.size() != cells.size() || !target.equals(cells.stream().map(CellViewModel::id).toList())) {
            changed();
        }
        presenceChanged();
    }

    /** Brings one cell's type, source (with its caret), outputs and count in line with the session's document. */
    private void refreshContent(CellViewModel cell) {
        live.cellJson(cell.id()).ifPresent(json -> refreshContent(cell, json));
    }

    /** Brings one cell's type, source (with its caret), outputs and count in line with its JSON. */
    private void refreshContent(CellViewModel cell, ObjectNode json) {
        CellType.fromWire(json.path("cell_type").asText()).ifPresent(type -> {
            if (cell.typeProperty().get() != type) {
                cell.typeProperty().set(type);
            }
        });
        remoteText(cell, CellViewModel.text(json.path("source")), Optional.empty());
        List<ObjectNode> outputs = new ArrayList<>();
        json.path("outputs").forEach(output -> {
            if (output instanceof ObjectNode object) {
                outputs.add(object);
            }
        });
        cell.setOutputs(outputs);
        var count = json.path("execution_count");
        cell.setExecutionCount(count.isInt() ? Optional.of(count.intValue()) : Optional.empty());
    }

    private void remoteText(CellViewModel cell, Optional<TextOperation> op) {
        live.cellJson(cell.id()).ifPresentOrElse(
                json -> remoteText(cell, CellViewModel.text(json.path("source")), op), this::syncStructure);
    }

    /**
     * Shows a cell's new source, carrying the caret and selection through the change: through the remote
     * operation when it describes the change exactly, else through the difference of the texts.
     */
    private static void remoteText(CellViewModel cell, String now, Optional<TextOperation> op) {
        String before = cell.sourceProperty().get();
        if (before.equals(now)) {
            return;
        }
        TextOperation change = op.filter(candidate -> describes(candidate, before, now))
                .orElseGet(() -> LiveText.diff(before, now));
        int caret = LiveText.transformIndex(change, Math.min(cell.caretProperty().get(), before.length()));
        int anchor = LiveText.transformIndex(change, Math.min(cell.anchorProperty().get(), before.length()));
        cell.caretProperty().set(caret);
        cell.anchorProperty().set(anchor);
        cell.sourceProperty().set(now);
    }

    private static boolean describes(TextOperation op, String before, String after) {
        try {
            return op.baseLength() == before.length() && op.apply(before).equals(after);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void presenceChanged() {
        if (live == null) {
            return;
        }
        String self = live.clientId();
        List<Collaborator> others = live.presence().values().stream()
                .filter(presence -> !presence.clientId().equals(self))
                .sorted(Comparator.comparing(RtuEvent.Presence::clientId))
                .map(presence -> new Collaborator(presence.clientId(), presence.user(), presence.cellId(),
                        presence.cursor().map(RtuEvent.Selection::head), Collaborator.colourOf(presence.clientId())))
                .toList();
        if (!collaborators.equals(others)) {
            collaborators.setAll(others);
        }
        for (CellViewModel cell : cells) {
            cell.setCollaborators(others.stream()
                    .filter(other -> other.cellId().filter(cell.id()::equals).isPresent()).toList());
        }
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
        return save(false);
    }

    /**
     * Saves the notebook; unless forced, first checks that the file did not change on the server since this editor
     * read or last saved it (its {@code last_modified}), and if it did, saves nothing and sets
     * {@link #conflictProperty()} for the user to resolve ({@link #reload()}, {@link #keepMine()},
     * {@link #saveAs(String)}).
     *
     * @param force overwrite whatever the server has
     * @return completes when saved; fails with {@link ConflictException} on a conflict, or the server's error (also
     *         shown in {@link #messageProperty()})
     */
    public CompletableFuture<Void> save(boolean force) {
        if (stillOpening()) {
            return CompletableFuture.completedFuture(null);
        }
        if (live != null) {
            return saveLive();
        }
        ObjectNode snapshot = toJson();
        long at = modifications;
        Instant seen = known;
        String id = file.id();
        return CompletableFuture.supplyAsync(() -> {
            if (!force) {
                FileInfo current = client.file(id);
                if (current.lastModified().isAfter(seen)) {
                    throw new ConflictException(new Conflict(seen, current.lastModified()));
                }
            }
            return client.saveNotebook(id, snapshot);
        }, background).handleAsync((saved, failure) -> {
            if (failure != null) {
                if (cause(failure) instanceof ConflictException clash) {
                    conflict.set(Optional.of(clash.conflict()));
                    message.set(file.path() + " changed on the server since it was opened: not saved");
                } else {
                    message.set("Save failed: " + cause(failure).getMessage());
                }
                throw new CompletionException(cause(failure));
            }
            saved(saved, at, "Saved " + file.path());
            return null;
        }, ui);
    }

    /**
     * Saves a live notebook: waits until the server has every change of this editor, then has it write the file
     * from the document's log (so the file has everyone's changes up to then; nothing is merged twice).
     */
    private CompletableFuture<Void> saveLive() {
        long at = modifications;
        CollabSession session = live;
        String path = file.path();
        return CompletableFuture.supplyAsync(() -> {
            session.awaitQuiet(LIVE_TIMEOUT);
            return client.writeLiveNotebook(path);
        }, background).handleAsync((saved, failure) -> {
            if (failure != null) {
                message.set("Save failed: " + cause(failure).getMessage());
                throw new CompletionException(cause(failure));
            }
            saved(saved, at, "Saved " + path + " (the live document)");
            return null;
        }, ui);
    }

    /** After a save: the version now known, no conflict, clean unless edited since {@code at}; on the UI thread. */
    private void saved(FileInfo saved, long at, String text) {
        known = saved.lastModified();
        conflict.set(Optional.empty());
        if (modifications == at) {
            dirty.set(false);
        }
        message.set(text);
    }

    /**
     * Asks the server whether the file changed since this editor read or saved it (on window focus and on a timer);
     * a change sets {@link #conflictProperty()}. A live notebook has no such conflicts (the server owns its document,
     * and others' saves write it from the same log): always false.
     *
     * @return completes with whether the file changed
     */
    public CompletableFuture<Boolean> checkForChanges() {
        if (live != null || opening.get()) {
            return CompletableFuture.completedFuture(false);
        }
        Instant seen = known;
        String id = file.id();
        return CompletableFuture.supplyAsync(() -> client.file(id), background).handleAsync((current, failure) -> {
            if (failure != null) {
                message.set("Cannot check " + file.path() + ": " + cause(failure).getMessage());
                return false;
            }
            if (id.equals(file.id()) && seen.equals(known) && current.lastModified().isAfter(known)) {
                conflict.set(Optional.of(new Conflict(known, current.lastModified())));
                return true;
            }
            return false;
        }, ui);
    }

    /**
     * Whether the file changed on the server since this editor read or saved it, and how; empty when not.
     *
     * @return the property
     */
    public ReadOnlyObjectProperty<Optional<Conflict>> conflictProperty() {
        return conflict;
    }

    /**
     * Resolves a conflict by dropping this editor's changes and reading the file again.
     *
     * @return completes when the cells show the server's version
     */
    public CompletableFuture<Void> reload() {
        if (stillOpening()) {
            return CompletableFuture.completedFuture(null);
        }
        if (live != null) {
            remotely(this::resync); // the server's document is what there is to reload
            return CompletableFuture.completedFuture(null);
        }
        String path = file.path();
        return CompletableFuture.supplyAsync(() -> NotebookDocument.load(client, path), background)
                .handleAsync((document, failure) -> {
                    if (failure != null) {
                        message.set("Reload failed: " + cause(failure).getMessage());
                        throw new CompletionException(cause(failure));
                    }
                    file = document.file();
                    notebook = document.notebook();
                    known = document.file().lastModified();
                    deleted.clear();
                    readCells();
                    modifications++;
                    conflict.set(Optional.empty());
                    message.set("Reloaded " + path);
                    return null;
                }, ui);
    }

    /**
     * Resolves a conflict by overwriting the server's version with this editor's.
     *
     * @return completes when saved
     */
    public CompletableFuture<Void> keepMine() {
        return save(true);
    }

    /**
     * Saves the notebook under a new path (a file that does not exist yet) and goes on editing that file; the old
     * file is left as the server has it. The kernel session stays with the old file.
     *
     * @param path the new path relative to the server's root, ending in {@code .ipynb}
     * @return completes when saved
     */
    public CompletableFuture<Void> saveAs(String path) {
        if (stillOpening()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the notebook is still opening"));
        }
        ObjectNode snapshot = toJson();
        long at = modifications;
        return CompletableFuture.supplyAsync(() -> client.createNotebook(path, snapshot), background)
                .handleAsync((created, failure) -> {
                    if (failure != null) {
                        message.set("Save as " + path + " failed: " + cause(failure).getMessage());
                        throw new CompletionException(cause(failure));
                    }
                    file = created;
                    known = created.lastModified();
                    leaveLive();
                    conflict.set(Optional.empty());
                    if (modifications == at) {
                        dirty.set(false);
                    }
                    fileChanged.set(fileChanged.get() + 1);
                    message.set("Saved as " + created.path());
                    return null;
                }, ui);
    }

    /**
     * Counts the times the notebook moved to another file ({@link #saveAs}); tabs show {@link #file()} again when
     * it changes.
     *
     * @return the property
     */
    public ReadOnlyIntegerProperty fileChangedProperty() {
        return fileChanged;
    }

    /** A save refused because the file changed on the server. */
    public static final class ConflictException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** The conflict. */
        private final transient Conflict conflict;

        ConflictException(Conflict conflict) {
            super("the file changed on the server at " + conflict.current() + " (this editor saw " + conflict.known()
                    + ")");
            this.conflict = conflict;
        }

        /**
         * What changed.
         *
         * @return the conflict
         */
        public Conflict conflict() {
            return conflict;
        }
    }

    /**
     * Runs a cell: a code cell on the kernel, a markdown cell by rendering it; a raw cell does nothing.
     *
     * @param cell a cell of this notebook
     * @return completes when the run ended (with the cell's final state applied), or at once for other cells
     */
    public CompletableFuture<Void> run(CellViewModel cell) {
        Objects.requireNonNull(cell, "cell");
        if (stillOpening()) {
            return CompletableFuture.completedFuture(null);
        }
        return switch (cell.typeProperty().get()) {
            case MARKDOWN -> {
                cell.renderedProperty().set(true);
                yield CompletableFuture.completedFuture(null);
            }
            case RAW -> CompletableFuture.completedFuture(null);
            case CODE -> runs == Runs.KERNEL_CHANNELS ? overChannels(List.of(cell))
                    : execute(List.of(cell), session -> client.execute(session.id(), cell.id()));
        };
    }

    /**
     * Clears every code cell's outputs and execution count (live: one {@code clear_outputs} delta per cell that had
     * any).
     */
    public void clearAllOutputs() {
        if (stillOpening()) {
            return;
        }
        boolean cleared = false;
        for (CellViewModel cell : cells) {
            if (cell.typeProperty().get() == CellType.CODE
                    && (!cell.outputs().isEmpty() || cell.executionCountProperty().get().isPresent())) {
                cell.clearOutputs();
                cell.setElapsed(Optional.empty());
                sendOutputs(cell, true);
                cleared = true;
            }
        }
        if (cleared) {
            changed();
        }
    }

    /**
     * Restarts the kernel, then runs every code cell in order once it is back.
     *
     * @return completes when the run ended
     */
    public CompletableFuture<Void> restartAndRunAll() {
        if (stillOpening()) {
            return CompletableFuture.completedFuture(null);
        }
        return kernel.restart().thenComposeAsync(session -> runAll(), ui);
    }

    /**
     * Runs every code cell in order on the kernel (the first failing cell stops the rest).
     *
     * @return completes when the run ended
     */
    public CompletableFuture<Void> runAll() {
        if (stillOpening()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CellViewModel> code = cells.stream().filter(cell -> cell.typeProperty().get() == CellType.CODE).toList();
        cells.stream().filter(cell -> cell.typeProperty().get() == CellType.MARKDOWN)
                .forEach(cell -> cell.renderedProperty().set(true));
        if (code.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return runs == Runs.KERNEL_CHANNELS ? overChannels(code)
                : execute(code, session -> client.executeAll(session.id()));
    }

    private CompletableFuture<Void> execute(List<CellViewModel> targets,
            java.util.function.Function<KernelSession, Execution> start) {
        Optional<ObjectNode> snapshot = dirty.get() ? Optional.of(toJson()) : Optional.empty();
        CollabSession session = live;
        long at = modifications;
        for (CellViewModel cell : targets) {
            cell.clearOutputs();
            cell.setElapsed(Optional.empty());
            cell.setState(CellState.QUEUED);
            queuedAt.put(cell.id(), clock.instant());
        }
        return CompletableFuture.runAsync(() -> {
            if (snapshot.isPresent()) {
                if (session != null) {
                    session.awaitQuiet(LIVE_TIMEOUT);
                    client.writeLiveNotebook(file.path());
                } else {
                    client.saveNotebook(file.id(), snapshot.get());
                }
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
                    // the server saved the outputs into the file: that is not someone else's change
                    Instant written = client.file(file.id()).lastModified();
                    ui.execute(() -> {
                        if (written.isAfter(known)) {
                            known = written;
                        }
                    });
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

    /** One cell's run over the kernel channels; touched on the UI thread only. */
    private static final class ChannelRun {
        private final CellViewModel cell;
        private final ChannelOutputs outputs = new ChannelOutputs();
        private final CompletableFuture<Boolean> done = new CompletableFuture<>();
        private String msgId;
        private boolean replied;
        private boolean idle;
        private boolean ok;

        ChannelRun(CellViewModel cell) {
            this.cell = cell;
        }
    }

    private CompletableFuture<Void> overChannels(List<CellViewModel> targets) {
        Map<CellViewModel, String> sources = new java.util.LinkedHashMap<>();
        for (CellViewModel cell : targets) {
            sources.put(cell, cell.sourceProperty().get());
            cell.clearOutputs();
            cell.setElapsed(Optional.empty());
            cell.setInput(Optional.empty());
            cell.setState(CellState.QUEUED);
            queuedAt.put(cell.id(), clock.instant());
            sendOutputs(cell, true);
        }
        changed();
        CompletableFuture<Boolean> chain = CompletableFuture.completedFuture(true);
        for (var entry : sources.entrySet()) {
            CellViewModel cell = entry.getKey();
            chain = chain.thenComposeAsync(previousOk -> {
                if (!previousOk) {
                    cell.setState(CellState.IDLE);
                    queuedAt.remove(cell.id());
                    return CompletableFuture.completedFuture(false);
                }
                return runOverChannels(cell, entry.getValue());
            }, ui);
        }
        return chain.handleAsync((ok, failure) -> {
            if (failure != null) {
                for (CellViewModel cell : targets) {
                    if (cell.stateProperty().get() == CellState.QUEUED
                            || cell.stateProperty().get() == CellState.RUNNING) {
                        cell.setState(CellState.ERROR);
                    }
                    cell.setInput(Optional.empty());
                }
                message.set("Run failed: " + cause(failure).getMessage());
            }
            return null;
        }, ui);
    }

    private CompletableFuture<Boolean> runOverChannels(CellViewModel cell, String code) {
        ChannelRun run = new ChannelRun(cell);
        channelRuns.put(cell.id(), run);
        run.done.whenComplete((ok, failure) -> ui.execute(() -> channelRuns.remove(cell.id(), run)));
        ObjectNode content = NODES.objectNode();
        content.put("code", code);
        content.put("silent", false);
        content.put("store_history", true);
        content.putObject("user_expressions");
        content.put("allow_stdin", true);
        content.put("stop_on_error", true);
        CompletableFuture.runAsync(() -> {
            String msgId = kernel.send("shell", "execute_request", content, new KernelViewModel.Route(
                    reply -> ui.execute(() -> onRunMessage(run, reply)),
                    why -> ui.execute(() -> run.done.completeExceptionally(new IllegalStateException(why)))));
            ui.execute(() -> run.msgId = msgId);
        }, background).whenComplete((ok, failure) -> {
            if (failure != null) {
                run.done.completeExceptionally(cause(failure));
            }
        });
        return run.done;
    }

    private void onRunMessage(ChannelRun run, io.quire.client.KernelMessage reply) {
        CellViewModel cell = run.cell;
        ObjectNode content = reply.content();
        switch (reply.msgType()) {
            case "execute_input" -> {
                started.put(cell.id(), clock.instant());
                cell.setState(CellState.RUNNING);
                if (content.path("execution_count").isInt()) {
                    cell.setExecutionCount(Optional.of(content.path("execution_count").intValue()));
                }
            }
            case "execute_reply" -> {
                run.replied = true;
                run.ok = "ok".equals(content.path("status").asText());
                if (content.path("execution_count").isInt()) {
                    cell.setExecutionCount(Optional.of(content.path("execution_count").intValue()));
                }
            }
            case "status" -> run.idle = "idle".equals(content.path("execution_state").asText());
            case "input_request" -> cell.setInput(Optional.of(new InputPrompt(content.path("prompt").asText(""),
                    content.path("password").asBoolean(false))));
            default -> {
                if (run.outputs.apply(reply.msgType(), content)) {
                    cell.setOutputs(run.outputs.outputs());
                    changed();
                }
            }
        }
        if (run.replied && run.idle && !run.done.isDone()) {
            Instant running = started.remove(cell.id());
            Instant queued = queuedAt.remove(cell.id());
            Instant from = running != null ? running : queued;
            cell.setElapsed(Optional.ofNullable(from).map(begin -> Duration.between(begin, clock.instant())));
            cell.setInput(Optional.empty());
            cell.setState(run.ok ? CellState.DONE : CellState.ERROR);
            sendOutputs(cell, false);
            if (run.msgId != null) {
                kernel.release(run.msgId);
            }
            run.done.complete(run.ok);
        }
    }

    /**
     * Answers the {@code input()} a running cell waits on: sends the kernel an {@code input_reply}, hides the prompt
     * and echoes prompt and answer into the cell's output as Jupyter does (a password is not echoed).
     *
     * @param cell  the cell whose {@link CellViewModel#inputProperty()} is set
     * @param value the answer (without a newline)
     * @return completes when sent
     * @throws IllegalStateException when the cell waits for no input
     */
    public CompletableFuture<Void> answerInput(CellViewModel cell, String value) {
        Objects.requireNonNull(value, "value");
        InputPrompt prompt = cell.inputProperty().get().orElseThrow(
                () -> new IllegalStateException(cell.id() + " is not waiting for input"));
        cell.setInput(Optional.empty());
        ChannelRun run = channelRuns.get(cell.id());
        if (run != null) {
            run.outputs.appendStream("stdout", prompt.prompt() + (prompt.password() ? "" : value) + "\n");
            cell.setOutputs(run.outputs.outputs());
            changed();
        }
        ObjectNode content = NODES.objectNode();
        content.put("value", value);
        return CompletableFuture.runAsync(() -> kernel.tell("stdin", "input_reply", content), background)
                .whenCompleteAsync((ok, failure) -> {
                    if (failure != null) {
                        message.set("Cannot answer input(): " + cause(failure).getMessage());
                    }
                }, ui);
    }

    /**
     * Asks the kernel how to complete the code at the cursor ({@code complete_request}).
     *
     * @param cell   a code cell
     * @param cursor the caret's index in the cell's source
     * @return completes on the UI executor with the matches (none when the kernel has none or answered an error)
     * @throws IllegalArgumentException when the cursor lies outside the source
     */
    public CompletableFuture<Completion> complete(CellViewModel cell, int cursor) {
        String source = cell.sourceProperty().get();
        ObjectNode content = codeAt(source, cursor);
        return kernel.request("complete_request", content, KERNEL_REPLY).thenApplyAsync(reply -> {
            if (!"ok".equals(reply.path("status").asText("ok"))) {
                return new Completion(List.of(), cursor, cursor);
            }
            List<String> matches = new ArrayList<>();
            reply.path("matches").forEach(match -> matches.add(match.asText()));
            int points = source.codePointCount(0, source.length());
            int start = Math.min(Math.max(0, reply.path("cursor_start").asInt(cursor)), points);
            int end = Math.min(Math.max(start, reply.path("cursor_end").asInt(cursor)), points);
            return new Completion(matches, source.offsetByCodePoints(0, start), source.offsetByCodePoints(0, end));
        }, ui);
    }

    /**
     * Inserts a completion's match into the cell.
     *
     * @param cell       the cell the completion was asked for
     * @param completion the kernel's answer
     * @param match      the chosen match
     * @return the caret's new index (after the inserted match)
     */
    public int applyCompletion(CellViewModel cell, Completion completion, String match) {
        cell.sourceProperty().set(completion.apply(cell.sourceProperty().get(), match));
        return completion.start() + match.length();
    }

    /**
     * Asks the kernel about the name at the cursor ({@code inspect_request}, detail level 0), as Shift+Tab in Jupyter.
     *
     * @param cell   a code cell
     * @param cursor the caret's index in the cell's source
     * @return completes on the UI executor with the {@code text/plain} help without ANSI colours, or empty when the
     *         kernel found nothing
     */
    public CompletableFuture<Optional<String>> inspect(CellViewModel cell, int cursor) {
        ObjectNode content = codeAt(cell.sourceProperty().get(), cursor);
        content.put("detail_level", 0);
        return kernel.request("inspect_request", content, KERNEL_REPLY).thenApplyAsync(reply -> {
            if (!"ok".equals(reply.path("status").asText()) || !reply.path("found").asBoolean(false)) {
                return Optional.<String>empty();
            }
            String text = ANSI.matcher(reply.path("data").path("text/plain").asText("")).replaceAll("");
            return text.isBlank() ? Optional.<String>empty() : Optional.of(text);
        }, ui);
    }

    /**
     * Removes ANSI escape sequences (SGR colours and others) from kernel text.
     *
     * @param text the text
     * @return the text without escapes
     */
    static String stripAnsi(String text) {
        return ANSI.matcher(text).replaceAll("");
    }

    private static ObjectNode codeAt(String source, int cursor) {
        if (cursor < 0 || cursor > source.length()) {
            throw new IllegalArgumentException("cursor " + cursor + " outside the source of " + source.length()
                    + " characters");
        }
        ObjectNode content = NODES.objectNode();
        content.put("code", source);
        content.put("cursor_pos", source.codePointCount(0, cursor));
        return content;
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

    private void leaveLive() {
        if (live != null) {
            live.close();
            live = null;
            liveMode.set(false);
            collaborators.clear();
            cells.forEach(cell -> cell.setCollaborators(List.of()));
        }
    }

    /** Closes the live kernel connection and the live session; the kernel keeps running on the server. */
    @Override
    public void close() {
        kernel.close();
        leaveLive();
    }

    /**
     * Whether a run is going on in this editor.
     *
     * @return true while a cell is queued or running
     */
    public boolean running() {
        return cells.stream().anyMatch(cell -> cell.stateProperty().get() == CellState.QUEUED
                || cell.stateProperty().get() == CellState.RUNNING);
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
        private Runs runs = Runs.SERVER_EXECUTIONS;
        private Optional<Integer> totalCells = Optional.empty();

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
         * How code cells run (default {@link Runs#SERVER_EXECUTIONS}; the app uses {@link Runs#KERNEL_CHANNELS}).
         *
         * @param value the run path
         * @return this builder
         */
        public Builder runs(Runs value) {
            this.runs = Objects.requireNonNull(value, "runs");
            return this;
        }

        /**
         * Says the document holds only the notebook's first cells (a head read, decision 0035) of how many in all:
         * the view model is then {@link #openingProperty() opening} until the whole notebook arrives through
         * {@link #goLive(LiveDocument)} or {@link #completeFrom}.
         *
         * @param total how many cells the whole notebook has; no more than the document holds means it is whole
         * @return this builder
         */
        public Builder head(int total) {
            if (total < 0) {
                throw new IllegalArgumentException("a notebook cannot have " + total + " cells");
            }
            this.totalCells = Optional.of(total);
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
