package io.quire.notebook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A {@code display_data} output.
 *
 * @param data     the MIME bundle
 * @param metadata per-MIME-type metadata (open JSON)
 * @param extra    fields nbformat does not define
 */
public record DisplayData(MimeBundle data, ObjectNode metadata, ObjectNode extra) implements Output {

    /** Validates and copies the fields. */
    public DisplayData {
        Objects.requireNonNull(data, "data");
        metadata = Json.copy(metadata);
        extra = Json.copy(extra);
    }

    /**
     * A display output with the given data and no metadata.
     *
     * @param data the MIME bundle
     * @return the output
     */
    public static DisplayData of(MimeBundle data) {
        return new DisplayData(data, Json.object(), Json.object());
    }

    @Override
    public String outputType() {
        return "display_data";
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
