package io.quire.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a run did not succeed.
 *
 * @param cellIndex      the position of the failing cell in the saved notebook; empty when the run failed before
 *                       any cell ran (e.g. the kernel did not start)
 * @param executionCount the failing cell's execution count, if it got one
 * @param ename          the error's name ({@code NameError}, {@code Timeout}, {@code DeadKernel}, ...)
 * @param evalue         the error's message
 */
public record RunFailure(Optional<Integer> cellIndex, Optional<Integer> executionCount, String ename, String evalue) {

    /** Validates the fields. */
    public RunFailure {
        Objects.requireNonNull(cellIndex, "cellIndex");
        Objects.requireNonNull(executionCount, "executionCount");
        Objects.requireNonNull(ename, "ename");
        Objects.requireNonNull(evalue, "evalue");
    }

    /**
     * Reads a failure object.
     *
     * @param json the JSON object
     * @return the failure
     */
    public static RunFailure create(JsonNode json) {
        return new RunFailure(Wire.optionalInt(json, "cell_index"), Wire.optionalInt(json, "execution_count"),
                Wire.optionalText(json, "ename").orElse(""), Wire.optionalText(json, "evalue").orElse(""));
    }
}
