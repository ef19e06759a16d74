package io.quire.notebook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code execute_result} output: the value of the last expression of a cell.
 *
 * @param executionCount the execution count, or empty for {@code null}
 * @param data           the MIME bundle
 * @param metadata       per-MIME-type metadata (open JSON)
 * @param extra          fields nbformat does not define
 */
public record ExecuteResult(Optional<Integer> executionCount, MimeBundle data, ObjectNode metadata, ObjectNode extra)
        implements Output {

    /** Validates and copies the fields. */
    public ExecuteResult {
        Objects.requireNonNull(executionCount, "executionCount");
        Objects.requireNonNull(data, "data");
        metadata = Json.copy(metadata);
        extra = Json.copy(extra);
    }

    /**
     * A result with the given count and data and no metadata.
     *
     * @param executionCount the execution count
     * @param data           the MIME bundle
     * @return the output
     */
    public static ExecuteResult of(int executionCount, MimeBundle data) {
        return new ExecuteResult(Optional.of(executionCount), data, Json.object(), Json.object());
    }

    @Override
    public String outputType() {
        return "execute_result";
    }

    @Override
    public ObjectNode metadata() {
        return metadata.deepCopy();
    }

    @Override
    public ObjectNode extra() {
        return extra.deepCopy();
    }
}
