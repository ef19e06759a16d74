package io.quire.notebook;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An output whose {@code output_type} nbformat v4 does not define, kept as it was read.
 *
 * @param json the whole output object
 */
public record UnknownOutput(ObjectNode json) implements Output {

    /** Copies the JSON. */
    public UnknownOutput {
        json = Json.copy(json);
    }

    @Override
    public String outputType() {
        return json.path("output_type").asText("");
    }

    @Override
    public ObjectNode json() {
        return json.deepCopy();
    }

    @Override
    public ObjectNode extra() {
        return json.deepCopy();
    }
}
