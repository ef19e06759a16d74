package io.quire.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A typed IOPub message. Every IOPub message maps to exactly one event; types not modelled here become
 * {@link Unknown}, so nothing a kernel publishes is lost. MIME bundles and metadata stay JSON trees.
 */
public sealed interface IopubEvent {

    /** The execution state published in a {@code status} message. */
    enum ExecutionState {
        /** The kernel is starting. */
        STARTING,
        /** The kernel is handling a request. */
        BUSY,
        /** The kernel finished handling a request. */
        IDLE
    }

    /**
     * {@code status}.
     *
     * @param state the execution state
     */
    record Status(ExecutionState state) implements IopubEvent {
        /** Rejects null. */
        public Status {
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * {@code execute_input}: the code being run.
     *
     * @param code           the code
     * @param executionCount the execution count
     */
    record ExecuteInput(String code, int executionCount) implements IopubEvent {
        /** Rejects null. */
        public ExecuteInput {
            Objects.requireNonNull(code, "code");
        }
    }

    /**
     * {@code stream}.
     *
     * @param name {@code stdout} or {@code stderr}
     * @param text the text
     */
    record Stream(String name, String text) implements IopubEvent {
        /** Rejects nulls. */
        public Stream {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * {@code display_data}.
     *
     * @param data          the MIME bundle
     * @param metadata      the metadata
     * @param transientData the {@code transient} object (holds {@code display_id})
     */
    record DisplayData(ObjectNode data, ObjectNode metadata, ObjectNode transientData) implements IopubEvent {
        /** Rejects nulls. */
        public DisplayData {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(metadata, "metadata");
            Objects.requireNonNull(transientData, "transientData");
        }

        /** @return the display id from the transient data, when present */
        public Optional<String> displayId() {
            return Json.optionalText(transientData, "display_id");
        }
    }

    /**
     * {@code update_display_data}: replaces earlier outputs with the same display id.
     *
     * @param data          the MIME bundle
     * @param metadata      the metadata
     * @param transientData the {@code transient} object (holds {@code display_id})
     */
    record UpdateDisplayData(ObjectNode data, ObjectNode metadata, ObjectNode transientData) implements IopubEvent {
        /** Rejects nulls. */
        public UpdateDisplayData {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(metadata, "metadata");
            Objects.requireNonNull(transientData, "transientData");
        }

        /** @return the display id from the transient data, when present */
        public Optional<String> displayId() {
            return Json.optionalText(transientData, "display_id");
        }
    }

    /**
     * {@code execute_result}.
     *
     * @param executionCount the execution count
     * @param data           the MIME bundle
     * @param metadata       the metadata
     */
    record ExecuteResult(int executionCount, ObjectNode data, ObjectNode metadata) implements IopubEvent {
        /** Rejects nulls. */
        public ExecuteResult {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(metadata, "metadata");
        }
    }

    /**
     * {@code error}.
     *
     * @param ename     exception name
     * @param evalue    exception value
     * @param traceback traceback lines (may contain ANSI escapes)
     */
    record Error(String ename, String evalue, List<String> traceback) implements IopubEvent {
        /** Rejects nulls and copies the traceback. */
        public Error {
            Objects.requireNonNull(ename, "ename");
            Objects.requireNonNull(evalue, "evalue");
            traceback = List.copyOf(traceback);
        }
    }

    /**
     * {@code clear_output}.
     *
     * @param waitForNext whether to wait for the next output before clearing ({@code wait} on the wire)
     */
    record ClearOutput(boolean waitForNext) implements IopubEvent {
    }

    /**
     * {@code comm_open} published by the kernel.
     *
     * @param commId     the comm id
     * @param targetName the target name
     * @param data       the data
     * @param buffers    binary buffers
     */
    record CommOpen(String commId, String targetName, ObjectNode data, List<byte[]> buffers) implements IopubEvent {
        /** Rejects nulls and copies the buffers. */
        public CommOpen {
            Objects.requireNonNull(commId, "commId");
            Objects.requireNonNull(targetName, "targetName");
            Objects.requireNonNull(data, "data");
            buffers = List.copyOf(buffers);
        }
    }

    /**
     * {@code comm_msg} published by the kernel.
     *
     * @param commId  the comm id
     * @param data    the data
     * @param buffers binary buffers
     */
    record CommMsg(String commId, ObjectNode data, List<byte[]> buffers) implements IopubEvent {
        /** Rejects nulls and copies the buffers. */
        public CommMsg {
            Objects.requireNonNull(commId, "commId");
            Objects.requireNonNull(data, "data");
            buffers = List.copyOf(buffers);
        }
    }

    /**
     * {@code comm_close} published by the kernel.
     *
     * @param commId the comm id
     * @param data   the data
     */
    record CommClose(String commId, ObjectNode data) implements IopubEvent {
        /** Rejects nulls. */
        public CommClose {
            Objects.requireNonNull(commId, "commId");
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * Any other IOPub message, e.g. {@code iopub_welcome}, {@code debug_event}, or a status value not in
     * the spec.
     *
     * @param msgType the message type
     * @param content the content
     */
    record Unknown(String msgType, ObjectNode content) implements IopubEvent {
        /** Rejects nulls. */
        public Unknown {
            Objects.requireNonNull(msgType, "msgType");
            Objects.requireNonNull(content, "content");
        }
    }

    /**
     * Maps an IOPub message to its event.
     *
     * @param message a message received on IOPub
     * @return the event
     */
    static IopubEvent of(Message message) {
        ObjectNode c = message.content();
        return switch (message.msgType()) {
            case "status" -> switch (Json.text(c, "execution_state")) {
                case "busy" -> new Status(ExecutionState.BUSY);
                case "idle" -> new Status(ExecutionState.IDLE);
                case "starting" -> new Status(ExecutionState.STARTING);
                default -> new Unknown(message.msgType(), c);
            };
            case "execute_input" -> new ExecuteInput(Json.text(c, "code"), c.path("execution_count").asInt(0));
            case "stream" -> new Stream(Json.text(c, "name"), Json.text(c, "text"));
            case "display_data" -> new DisplayData(Json.objectOrEmpty(c, "data"), Json.objectOrEmpty(c, "metadata"),
                    Json.objectOrEmpty(c, "transient"));
            case "update_display_data" -> new UpdateDisplayData(Json.objectOrEmpty(c, "data"),
                    Json.objectOrEmpty(c, "metadata"), Json.objectOrEmpty(c, "transient"));
            case "execute_result" -> new ExecuteResult(c.path("execution_count").asInt(0),
                    Json.objectOrEmpty(c, "data"), Json.objectOrEmpty(c, "metadata"));
            case "error" -> new Error(Json.text(c, "ename"), Json.text(c, "evalue"), Json.strings(c, "traceback"));
            case "clear_output" -> new ClearOutput(c.path("wait").asBoolean(false));
            case "comm_open" -> new CommOpen(Json.text(c, "comm_id"), Json.text(c, "target_name"),
                    Json.objectOrEmpty(c, "data"), message.buffers());
            case "comm_msg" -> new CommMsg(Json.text(c, "comm_id"), Json.objectOrEmpty(c, "data"), message.buffers());
            case "comm_close" -> new CommClose(Json.text(c, "comm_id"), Json.objectOrEmpty(c, "data"));
            default -> new Unknown(message.msgType(), c);
        };
    }
}
