package io.quire.collab.rtu;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.collab.Delta;
import io.quire.collab.SequencedDelta;
import io.quire.notebook.Notebook;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The events of the real-time channel {@code /api/v1/rtu}: one JSON object per WebSocket text frame, told apart by
 * its {@code type} ({@link RtuCodec} reads and writes them). {@link Client} events go from a client to the server,
 * {@link Server} events the other way. Files are named by their v1 file id ({@code file_id}); the deltas of a file
 * carry its log id (a UUID, given in {@link Subscribed}) in their header.
 */
public sealed interface RtuEvent permits RtuEvent.Client, RtuEvent.Server {

    /** @return the event's {@code type} on the wire */
    default String type() {
        return RtuCodec.typeOf(this);
    }

    // ------------------------------------------------------------------------------------------- client → server

    /** What a client sends. */
    sealed interface Client extends RtuEvent permits Subscribe, Unsubscribe, SendDelta, SetPresence, Ping,
            KernelControl {
    }

    /**
     * Asks for an action on a subscribed file's shared kernel (executors and above). The server applies it on the node
     * that runs the kernel, wherever the client is connected, and tells every subscriber with {@link KernelControlled}.
     */
    sealed interface KernelControl extends Client permits Interrupt, Restart, ShutdownKernel {
        /** @return the v1 file id */
        String fileId();

        /** @return {@code interrupt}, {@code restart} or {@code shutdown_kernel} (the event's type) */
        default String action() {
            return type();
        }
    }

    /**
     * Interrupts the running cell and cancels the queued ones.
     *
     * @param fileId the v1 file id
     */
    record Interrupt(String fileId) implements KernelControl {
        /** Validates the fields. */
        public Interrupt {
            requireText(fileId, "file_id");
        }
    }

    /**
     * Restarts the file's kernel (queued cells are cancelled, the running one interrupted).
     *
     * @param fileId the v1 file id
     */
    record Restart(String fileId) implements KernelControl {
        /** Validates the fields. */
        public Restart {
            requireText(fileId, "file_id");
        }
    }

    /**
     * Shuts the file's kernel down; the next execute request starts a new one.
     *
     * @param fileId the v1 file id
     */
    record ShutdownKernel(String fileId) implements KernelControl {
        /** Validates the fields. */
        public ShutdownKernel {
            requireText(fileId, "file_id");
        }
    }

    /**
     * Starts receiving a file's deltas and presence.
     *
     * @param fileId  the v1 file id
     * @param fromSeq the last seq the client has applied: the server sends the deltas after it, or a snapshot when it
     *                is absent or too far behind
     */
    record Subscribe(String fileId, OptionalLong fromSeq) implements Client {
        /** Validates the fields. */
        public Subscribe {
            requireText(fileId, "file_id");
            Objects.requireNonNull(fromSeq, "fromSeq");
            if (fromSeq.isPresent() && fromSeq.getAsLong() < 0) {
                throw new IllegalArgumentException("from_seq must not be negative, got " + fromSeq.getAsLong());
            }
        }
    }

    /**
     * Stops receiving a file's events.
     *
     * @param fileId the v1 file id
     */
    record Unsubscribe(String fileId) implements Client {
        /** Validates the fields. */
        public Unsubscribe {
            requireText(fileId, "file_id");
        }
    }

    /**
     * Submits a delta to a subscribed file's log.
     *
     * @param fileId the v1 file id
     * @param delta  the delta; its header names the file's log id, the caller as author and a client-chosen id
     */
    record SendDelta(String fileId, Delta delta) implements Client {
        /** Validates the fields. */
        public SendDelta {
            requireText(fileId, "file_id");
            Objects.requireNonNull(delta, "delta");
        }
    }

    /**
     * Where the client is in a subscribed file.
     *
     * @param fileId the v1 file id
     * @param cellId the selected cell, if any
     * @param cursor the cursor or selection in that cell's source, if any
     */
    record SetPresence(String fileId, Optional<String> cellId, Optional<Selection> cursor) implements Client {
        /** Validates the fields. */
        public SetPresence {
            requireText(fileId, "file_id");
            Objects.requireNonNull(cellId, "cellId");
            Objects.requireNonNull(cursor, "cursor");
        }
    }

    /** Asks for a {@link Pong} (a keep-alive at the application level). */
    record Ping() implements Client {
    }

    // ------------------------------------------------------------------------------------------- server → client

    /** What the server sends. */
    sealed interface Server extends RtuEvent permits Subscribed, DeltaEvent, Ack, Rejected, Presence, PresenceLeft,
            Resync, Error, Pong, Execution {
    }

    /**
     * A subscription started. Without a snapshot the server follows with the {@link DeltaEvent}s from the
     * requested {@code from_seq} + 1 to {@code head_seq}; with one the client replaces its document by it.
     *
     * @param fileId   the v1 file id
     * @param logId    the id of the file's delta log, to put in every delta's header
     * @param headSeq  the seq the client is at once it applied the snapshot or the catch-up deltas
     * @param user     the author the server expects in the caller's deltas
     * @param clientId this connection's id in presence events
     * @param role     the caller's role on the file ({@code viewer}, {@code commenter}, {@code executor},
     *                 {@code editor}, {@code owner})
     * @param snapshot the document at {@code head_seq}, when the client starts over
     */
    record Subscribed(String fileId, UUID logId, long headSeq, String user, String clientId, String role,
            Optional<Notebook> snapshot) implements Server {
        /** Validates the fields. */
        public Subscribed {
            requireText(fileId, "file_id");
            Objects.requireNonNull(logId, "logId");
            requireText(user, "user");
            requireText(clientId, "client_id");
            requireText(role, "role");
            Objects.requireNonNull(snapshot, "snapshot");
        }
    }

    /**
     * A delta of a file's log, to every subscriber (its author included), in seq order without gaps.
     *
     * @param fileId the v1 file id
     * @param delta  the logged delta (transformed: it applies to the document at {@code seq - 1})
     */
    record DeltaEvent(String fileId, SequencedDelta delta) implements Server {
        /** Validates the fields. */
        public DeltaEvent {
            requireText(fileId, "file_id");
            Objects.requireNonNull(delta, "delta");
        }
    }

    /**
     * The caller's delta is persisted at a seq.
     *
     * @param fileId  the v1 file id
     * @param deltaId the delta's id
     * @param seq     its seq
     */
    record Ack(String fileId, UUID deltaId, long seq) implements Server {
        /** Validates the fields. */
        public Ack {
            requireText(fileId, "file_id");
            Objects.requireNonNull(deltaId, "deltaId");
        }
    }

    /**
     * The caller's delta was refused; nothing of it was applied.
     *
     * @param fileId  the v1 file id
     * @param deltaId the delta's id
     * @param code    why: a {@link io.quire.collab.RejectReason} code, {@code forbidden}, {@code wrong_author},
     *                {@code not_subscribed} or {@code unavailable}
     * @param message a sentence for people
     */
    record Rejected(String fileId, UUID deltaId, String code, String message) implements Server {
        /** Validates the fields. */
        public Rejected {
            requireText(fileId, "file_id");
            Objects.requireNonNull(deltaId, "deltaId");
            requireText(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Another client's place in a file (presence is kept per server node).
     *
     * @param fileId   the v1 file id
     * @param user     who
     * @param clientId which of their connections
     * @param cellId   the selected cell, if any
     * @param cursor   the cursor or selection, if any
     */
    record Presence(String fileId, String user, String clientId, Optional<String> cellId, Optional<Selection> cursor)
            implements Server {
        /** Validates the fields. */
        public Presence {
            requireText(fileId, "file_id");
            requireText(user, "user");
            requireText(clientId, "client_id");
            Objects.requireNonNull(cellId, "cellId");
            Objects.requireNonNull(cursor, "cursor");
        }
    }

    /**
     * Another client left a file.
     *
     * @param fileId   the v1 file id
     * @param user     who
     * @param clientId which connection
     */
    record PresenceLeft(String fileId, String user, String clientId) implements Server {
        /** Validates the fields. */
        public PresenceLeft {
            requireText(fileId, "file_id");
            requireText(user, "user");
            requireText(clientId, "client_id");
        }
    }

    /**
     * The client fell too far behind: its subscription to the file ended and events were dropped; it subscribes
     * again from the last seq it applied.
     *
     * @param fileId the v1 file id
     * @param reason a sentence for people
     */
    record Resync(String fileId, String reason) implements Server {
        /** Validates the fields. */
        public Resync {
            requireText(fileId, "file_id");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Something the client sent could not be handled; the connection stays open.
     *
     * @param code    {@code bad_event}, {@code not_found}, {@code not_subscribed}, {@code unavailable}
     * @param message what was wrong, naming the field or value
     * @param fileId  the file concerned, when known
     */
    record Error(String code, String message, Optional<String> fileId) implements Server {
        /** Validates the fields. */
        public Error {
            requireText(code, "code");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(fileId, "fileId");
        }
    }

    /** The answer to a {@link Ping}. */
    record Pong() implements Server {
    }

    /**
     * What shared execution publishes (kernel status, cell execution state, output chunks, kernel control requests),
     * through {@code RtuHub.publish}. They are the live view of the node that runs the file's kernel; the persisted
     * truth stays the delta log (outputs arrive there as {@code quire:kernel} deltas too).
     */
    sealed interface Execution extends Server permits KernelStatus, CellState, OutputChunk, KernelControlled {
        /** @return the v1 file id */
        String fileId();
    }

    /**
     * The state of a file's kernel.
     *
     * @param fileId the v1 file id
     * @param state  {@code starting}, {@code idle}, {@code busy}, {@code restarting} or {@code dead}
     * @param reason why, when it is not the ordinary course (a death, a restart and by whom, a lost lease)
     */
    record KernelStatus(String fileId, String state, Optional<String> reason) implements Execution {
        /** Validates the fields. */
        public KernelStatus {
            requireText(fileId, "file_id");
            requireText(state, "state");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The execution state of one cell of an execute request.
     *
     * @param fileId         the v1 file id
     * @param executeSeq     the seq of the execute delta the cell runs for
     * @param cellId         the cell
     * @param state          {@code queued}, {@code running}, {@code done}, {@code error}, {@code interrupted},
     *                       {@code cancelled} or {@code skipped}
     * @param reason         why, for the states that are not the ordinary course
     * @param executionCount the execution count, once known
     */
    record CellState(String fileId, long executeSeq, String cellId, String state, Optional<String> reason,
                     OptionalLong executionCount) implements Execution {
        /** Validates the fields. */
        public CellState {
            requireText(fileId, "file_id");
            requireSeq(executeSeq, "execute_seq");
            requireText(cellId, "cell_id");
            requireText(state, "state");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(executionCount, "executionCount");
        }
    }

    /**
     * Outputs of a running cell, sent with the output delta that persists them.
     *
     * @param fileId     the v1 file id
     * @param executeSeq the seq of the execute delta the cell runs for
     * @param cellId     the cell
     * @param outputs    nbformat outputs (open JSON by spec)
     * @param replace    true: {@code outputs} is the cell's whole output list; false: append them
     */
    record OutputChunk(String fileId, long executeSeq, String cellId, List<JsonNode> outputs, boolean replace)
            implements Execution {
        /** Validates and copies the fields. */
        public OutputChunk {
            requireText(fileId, "file_id");
            requireSeq(executeSeq, "execute_seq");
            requireText(cellId, "cell_id");
            Objects.requireNonNull(outputs, "outputs");
            outputs = outputs.stream().map(output -> {
                if (output == null || !output.isObject()) {
                    throw new IllegalArgumentException("outputs must be JSON objects, got " + output);
                }
                return (JsonNode) output.deepCopy();
            }).toList();
        }
    }

    /**
     * Someone asked for an action on a file's kernel ({@link KernelControl}); sent to every subscriber of the file on
     * the node that received the request.
     *
     * @param fileId the v1 file id
     * @param action {@code interrupt}, {@code restart} or {@code shutdown_kernel}
     * @param by     who asked (an author, as in deltas)
     * @param result {@code applied} (done by this node's kernel), {@code forwarded} (recorded for the node that runs
     *               the kernel, which applies it within a poll interval) or {@code no_kernel} (nothing was running)
     */
    record KernelControlled(String fileId, String action, String by, String result) implements Execution {
        /** Validates the fields. */
        public KernelControlled {
            requireText(fileId, "file_id");
            requireText(action, "action");
            requireText(by, "by");
            requireText(result, "result");
        }
    }

    /**
     * A cursor or selection in a cell's source, in UTF-16 code units (as text operations).
     *
     * @param anchor where the selection starts
     * @param head   where it ends (equal to the anchor for a plain cursor)
     */
    record Selection(int anchor, int head) {
        /** Validates the fields. */
        public Selection {
            if (anchor < 0 || head < 0) {
                throw new IllegalArgumentException("cursor positions must not be negative, got " + anchor + ", "
                        + head);
            }
        }
    }

    /** Every event type on the wire. */
    List<String> TYPES = List.of("subscribe", "unsubscribe", "delta", "presence", "ping", "interrupt", "restart",
            "shutdown_kernel", "subscribed", "ack", "rejected", "presence_left", "resync", "error", "pong",
            "kernel_status", "cell_state", "output", "kernel_control");

    private static void requireSeq(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, got " + value);
        }
    }

    private static void requireText(String value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
    }
}
