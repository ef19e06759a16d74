package io.quire.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code execute_reply}, delivered only after every IOPub output of the execution was delivered.
 *
 * @param status          ok, error or aborted
 * @param executionCount  the execution count, when the reply carries one
 * @param ename           error name (status error)
 * @param evalue          error value (status error)
 * @param traceback       traceback lines (status error), empty otherwise
 * @param payload         the deprecated {@code payload} list, an empty array when absent
 * @param userExpressions results of the user expressions, an empty object when absent
 */
public record ExecuteReply(Status status, Optional<Integer> executionCount, Optional<String> ename,
                           Optional<String> evalue, List<String> traceback, JsonNode payload,
                           ObjectNode userExpressions) {

    /** The status of an execution. */
    public enum Status {
        /** The code ran without error. */
        OK,
        /** The code raised an error. */
        ERROR,
        /** The request was aborted because an earlier one failed (or the kernel was interrupted). */
        ABORTED
    }

    /** Rejects nulls and copies the traceback. */
    public ExecuteReply {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(executionCount, "executionCount");
        Objects.requireNonNull(ename, "ename");
        Objects.requireNonNull(evalue, "evalue");
        traceback = List.copyOf(traceback);
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(userExpressions, "userExpressions");
    }

    /**
     * Reads the content of an {@code execute_reply}; unknown status values are read as ERROR.
     *
     * @param content the content
     * @return the reply
     */
    public static ExecuteReply fromJson(ObjectNode content) {
        Status status = switch (Json.text(content, "status")) {
            case "ok" -> Status.OK;
            case "aborted" -> Status.ABORTED;
            default -> Status.ERROR;
        };
        JsonNode count = content.path("execution_count");
        JsonNode payload = content.path("payload");
        return new ExecuteReply(status,
                count.isIntegralNumber() ? Optional.of(count.intValue()) : Optional.empty(),
                Json.optionalText(content, "ename"), Json.optionalText(content, "evalue"),
                Json.strings(content, "traceback"),
                payload.isArray() ? payload : Json.NODES.arrayNode(),
                Json.objectOrEmpty(content, "user_expressions"));
    }
}
