package io.quire.kernel;

import java.util.Objects;

/**
 * An {@code input_request} the kernel sent on stdin while executing.
 *
 * @param prompt   the prompt text
 * @param password whether the input should be hidden
 */
public record InputRequest(String prompt, boolean password) {
    /** Rejects a null prompt. */
    public InputRequest {
        Objects.requireNonNull(prompt, "prompt");
    }
}
