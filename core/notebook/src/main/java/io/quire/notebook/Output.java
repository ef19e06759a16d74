package io.quire.notebook;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One output of a code cell, by nbformat {@code output_type}.
 *
 * <p>Every variant keeps the JSON fields nbformat does not define in {@link #extra()}, so that they survive a
 * read and write.
 */
public sealed interface Output permits StreamOutput, DisplayData, ExecuteResult, ErrorOutput, UnknownOutput {

    /**
     * The nbformat {@code output_type}.
     *
     * @return {@code stream}, {@code display_data}, {@code execute_result}, {@code error}, or an unknown type
     */
    String outputType();

    /**
     * Fields of the output that nbformat does not define (a copy).
     *
     * @return the unknown fields, possibly empty
     */
    ObjectNode extra();

    /**
     * The output as nbformat JSON, as it is written inside a notebook.
     *
     * @return a new JSON object
     */
    default ObjectNode toJson() {
        return NotebookCodec.outputTree(this);
    }
}
