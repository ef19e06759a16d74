package io.quire.notebook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * An {@code error} output: an exception raised by the cell.
 *
 * @param ename     the exception's name, such as {@code NameError}
 * @param evalue    the exception's message
 * @param traceback the traceback lines, usually with ANSI colour codes
 * @param extra     fields nbformat does not define
 */
public record ErrorOutput(String ename, String evalue, List<String> traceback, ObjectNode extra) implements Output {

    /** Validates and copies the fields. */
    public ErrorOutput {
        Objects.requireNonNull(ename, "ename");
        Objects.requireNonNull(evalue, "evalue");
        traceback = List.copyOf(traceback);
        extra = Json.copy(extra);
    }

    /**
     * An error output with no extra fields.
     *
     * @param ename     the exception's name
     * @param evalue    the exception's message
     * @param traceback the traceback lines
     * @return the output
     */
    public static ErrorOutput of(String ename, String evalue, List<String> traceback) {
        return new ErrorOutput(ename, evalue, traceback, Json.object());
    }

    @Override
    public String outputType() {
        return "error";
    }

    @Override
    public ObjectNode extra() {
        return extra.deepCopy();
    }
}
