package io.quire.kernels;

/**
 * Where a managed kernel is in its start, as Quire reports it beside Jupyter's {@code execution_state} (which says
 * {@code starting} for the first two phases).
 */
public enum KernelPhase {
    /** Admitted but queued: the manager's limit of concurrent starts is reached; nothing is launched yet. */
    WAITING_FOR_CAPACITY,
    /** Being launched (or handed over from a warm pool): not ready yet. */
    STARTING,
    /** Its start finished: {@link ManagedKernelInfo#executionState()} says whether it is idle, busy, restarting or dead. */
    READY
}
