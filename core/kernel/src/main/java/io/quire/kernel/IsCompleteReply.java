package io.quire.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;
import java.util.Optional;

/**
 * An {@code is_complete_reply}.
 *
 * @param status whether the code is ready to run
 * @param indent the indentation for the next line, for status INCOMPLETE
 */
public record IsCompleteReply(Status status, Optional<String> indent) {

    /** Whether a piece of code is complete. */
    public enum Status {
        /** Ready to run. */
        COMPLETE,
        /** Needs more lines. */
        INCOMPLETE,
        /** Cannot become valid by adding lines. */
        INVALID,
        /** The kernel cannot tell. */
        UNKNOWN
    }

    /** Rejects nulls. */
    public IsCompleteReply {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(indent, "indent");
    }

    static IsCompleteReply fromJson(ObjectNode c) {
        Status status = switch (Json.text(c, "status")) {
            case "complete" -> Status.COMPLETE;
            case "incomplete" -> Status.INCOMPLETE;
            case "invalid" -> Status.INVALID;
            default -> Status.UNKNOWN;
        };
        return new IsCompleteReply(status, Json.optionalText(c, "indent"));
    }
}
