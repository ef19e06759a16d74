package io.quire.kernel.spi;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a provisioned kernel ended.
 *
 * @param exitCode  the process exit code, when known
 * @param requested whether the exit was asked for (terminate or shutdown) rather than a crash
 * @param reason    a human-readable explanation, e.g. the last lines the kernel wrote to stderr
 */
public record KernelExit(OptionalInt exitCode, boolean requested, String reason) {
    /** Rejects nulls. */
    public KernelExit {
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(reason, "reason");
    }

    /** @return the reason, when not blank */
    public Optional<String> details() {
        return reason.isBlank() ? Optional.empty() : Optional.of(reason);
    }
}
