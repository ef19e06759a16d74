package io.quire.collab;

import java.util.Objects;

/** The sequencer refused a delta; nothing was persisted or applied. {@link #reason()} says why. */
public final class DeltaRejectedException extends CollabException {
    private final RejectReason reason;

    /**
     * Creates the exception.
     *
     * @param reason  why
     * @param message the details, naming the delta and the cell, index or path involved
     */
    public DeltaRejectedException(RejectReason reason, String message) {
        super(message, null);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return why the delta was refused */
    public RejectReason reason() {
        return reason;
    }

    @Override
    public String code() {
        return "collab.rejected." + reason.code();
    }
}
