package io.quire.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A kernel the server can start.
 *
 * @param name        the spec name, as passed in {@link RunOptions.Builder#kernel(String)}
 * @param displayName the name shown to people
 * @param language    the kernel's language, such as {@code python}
 */
public record KernelSpecInfo(String name, String displayName, String language) {

    /** Validates the fields. */
    public KernelSpecInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(language, "language");
    }

    /**
     * Reads a kernel spec resource.
     *
     * @param json the JSON object
     * @return the spec
     * @throws QuireException if a required field is missing
     */
    public static KernelSpecInfo create(JsonNode json) {
        String what = "kernel spec";
        return new KernelSpecInfo(Wire.text(json, "name", what), Wire.text(json, "display_name", what),
                Wire.text(json, "language", what));
    }
}
