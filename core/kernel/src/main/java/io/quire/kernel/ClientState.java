package io.quire.kernel;

/** Liveness of a {@link KernelClient}'s kernel as the client sees it. */
public enum ClientState {
    /** Connected; no heartbeat failure seen (also before the first heartbeat answer). */
    CONNECTED,
    /** The kernel missed the configured number of heartbeats; returns to CONNECTED if they resume. */
    UNRESPONSIVE,
    /** The kernel is known to be dead (its process exited); requests fail at once. */
    DEAD,
    /** The client was closed. */
    CLOSED
}
