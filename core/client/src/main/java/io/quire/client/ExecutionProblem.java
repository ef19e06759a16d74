package io.quire.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * Why an execution or one of its cells did not succeed.
 *
 * @param code    a stable machine code: {@code cell_error} (with {@code ename}/{@code evalue}), {@code kernel_died},
 *                {@code cancelled}, {@code kernel_restarted}, {@code session_deleted}, {@code cell_not_found},
 *                {@code not_code_cell}, {@code previous_cell_failed}, ...
 * @param message what happened, for people
 * @param ename   the error's name, for a cell error
 * @param evalue  the error's value, for a cell error
 */
public record ExecutionProblem(String code, String message, Optional<String> ename, Optional<String> evalue) {

    /** Validates the fields. */
    public ExecutionProblem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(ename, "ename");
        Objects.requireNonNull(evalue, "evalue");
    }

    /**
     * Reads a problem object.
     *
     * @param json the JSON object
     * @return the problem
     */
    public static ExecutionProblem create(JsonNode json) {
        return new ExecutionProblem(Wire.text(json, "code", "problem"), Wire.optionalText(json, "message").orElse(""),
                Wire.optionalText(json, "ename"), Wire.optionalText(json, "evalue"));
    }

    static Optional<ExecutionProblem> optional(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value != null && value.isObject() ? Optional.of(create(value)) : Optional.empty();
    }
}
