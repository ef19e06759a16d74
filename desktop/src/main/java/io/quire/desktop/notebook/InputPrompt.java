package io.quire.desktop.notebook;

import java.util.Objects;

/**
 * A running cell's {@code input()} waiting for an answer (a kernel {@code input_request}).
 *
 * @param prompt   the prompt text
 * @param password whether the answer is secret (a masked field, not echoed into the outputs)
 */
public record InputPrompt(String prompt, boolean password) {
    /** Validates the fields. */
    public InputPrompt {
        Objects.requireNonNull(prompt, "prompt");
    }
}
