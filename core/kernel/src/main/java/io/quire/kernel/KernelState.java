package io.quire.kernel;

/** Lifecycle state of a {@link RunningKernel}. */
public enum KernelState {
    /** Launched, not yet answering. */
    STARTING,
    /** Ready; the last status published was idle. */
    IDLE,
    /** Handling a request. */
    BUSY,
    /** Being restarted; requests in flight failed. */
    RESTARTING,
    /** Died without being asked to; requests fail with {@link KernelDiedException}. */
    DEAD,
    /** Shut down on request. */
    SHUTDOWN
}
