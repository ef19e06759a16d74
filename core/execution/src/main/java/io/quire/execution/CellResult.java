package io.quire.execution;

import io.quire.kernel.ExecuteReply;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** How one cell executed by a {@link CellExecutor} ended. */
public sealed interface CellResult {

    /**
     * The kernel replied; the reply's status says whether the code ran ({@code ok}), raised ({@code error}) or was
     * aborted. Every output of the cell had been captured when this was returned.
     *
     * @param reply the {@code execute_reply}
     */
    record Replied(ExecuteReply reply) implements CellResult {
        /** Rejects null. */
        public Replied {
            Objects.requireNonNull(reply, "reply");
        }
    }

    /**
     * The cell ran longer than its timeout; the kernel was interrupted.
     *
     * @param limit            the timeout
     * @param interruptFailure why the interrupt could not be delivered, when it could not (the kernel is then
     *                         likely gone)
     */
    record TimedOut(Duration limit, Optional<String> interruptFailure) implements CellResult {
        /** Rejects nulls. */
        public TimedOut {
            Objects.requireNonNull(limit, "limit");
            Objects.requireNonNull(interruptFailure, "interruptFailure");
        }
    }

    /**
     * The kernel died (or was restarted or shut down) before it replied.
     *
     * @param message what the kernel client reported
     */
    record KernelDied(String message) implements CellResult {
        /** Rejects null. */
        public KernelDied {
            Objects.requireNonNull(message, "message");
        }
    }
}
