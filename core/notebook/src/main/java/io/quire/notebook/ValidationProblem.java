package io.quire.notebook;

import java.util.Objects;

/**
 * One way in which a notebook does not conform to the nbformat schema of its version.
 *
 * @param jsonPath where, such as {@code $.cells[2].outputs[0]}
 * @param message  what is wrong
 */
public record ValidationProblem(String jsonPath, String message) {

    /** Validates the fields. */
    public ValidationProblem {
        Objects.requireNonNull(jsonPath, "jsonPath");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return jsonPath + ": " + message;
    }
}
