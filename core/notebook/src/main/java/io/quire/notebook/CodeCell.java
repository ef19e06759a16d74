package io.quire.notebook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A code cell: source to run on a kernel, its execution count and outputs.
 *
 * @param id             the cell id (nbformat 4.5+)
 * @param source         the code
 * @param metadata       the cell metadata
 * @param executionCount the execution count, or empty for {@code null} (not run)
 * @param outputs        the outputs, in order
 * @param extra          fields nbformat does not define
 */
public record CodeCell(
        Optional<String> id,
        MultilineText source,
        ObjectNode metadata,
        Optional<Integer> executionCount,
        List<Output> outputs,
        ObjectNode extra) implements Cell {

    /** Validates and copies the fields. */
    public CodeCell {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(executionCount, "executionCount");
        metadata = Json.copy(metadata);
        outputs = List.copyOf(outputs);
        extra = Json.copy(extra);
    }

    /**
     * A new code cell that has not been run.
     *
     * @param id     the cell id, or empty
     * @param source the code
     * @return the cell
     */
    public static CodeCell of(Optional<String> id, String source) {
        return new CodeCell(id, MultilineText.of(source), Json.object(), Optional.empty(), List.of(), Json.object());
    }

    @Override
    public String cellType() {
        return "code";
    }

    @Override
    public ObjectNode metadata() {
        return metadata.deepCopy();
    }

    @Override
    public ObjectNode extra() {
        return extra.deepCopy();
    }

    @Override
    public CodeCell withSource(MultilineText source) {
        return Json.owned(() -> new CodeCell(id, source, metadata, executionCount, outputs, extra));
    }

    @Override
    public CodeCell withMetadata(ObjectNode metadata) {
        ObjectNode copy = Json.copy(metadata);
        return Json.owned(() -> new CodeCell(id, source, copy, executionCount, outputs, extra));
    }

    @Override
    public CodeCell withId(Optional<String> id) {
        return Json.owned(() -> new CodeCell(id, source, metadata, executionCount, outputs, extra));
    }

    /**
     * This cell with other outputs.
     *
     * @param outputs the new outputs
     * @return the changed cell
     */
    public CodeCell withOutputs(List<Output> outputs) {
        List<Output> copy = List.copyOf(outputs);
        return Json.owned(() -> new CodeCell(id, source, metadata, executionCount, copy, extra));
    }

    /**
     * This cell with another execution count.
     *
     * @param executionCount the count, or empty for not run
     * @return the changed cell
     */
    public CodeCell withExecutionCount(Optional<Integer> executionCount) {
        return Json.owned(() -> new CodeCell(id, source, metadata, executionCount, outputs, extra));
    }
}
