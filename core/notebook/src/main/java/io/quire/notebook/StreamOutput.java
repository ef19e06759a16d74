package io.quire.notebook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A {@code stream} output: text written to stdout or stderr.
 *
 * @param name  {@code stdout} or {@code stderr}
 * @param text  the text as stored
 * @param extra fields nbformat does not define
 */
public record StreamOutput(String name, MultilineText text, ObjectNode extra) implements Output {

    /** Validates and copies the fields. */
    public StreamOutput {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
        extra = Json.copy(extra);
    }

    /**
     * A stream output created from text.
     *
     * @param name {@code stdout} or {@code stderr}
     * @param text the text
     * @return the output
     */
    public static StreamOutput of(String name, String text) {
        return new StreamOutput(name, MultilineText.of(text), Json.object());
    }

    @Override
    public String outputType() {
        return "stream";
    }

    @Override
    public ObjectNode extra() {
        return extra.deepCopy();
    }
}
