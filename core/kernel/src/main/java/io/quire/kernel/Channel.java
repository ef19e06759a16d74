package io.quire.kernel;

/** The five channels (sockets) of a Jupyter kernel connection. */
public enum Channel {
    /** Requests and replies; a DEALER on the client side. */
    SHELL,
    /** Broadcast outputs and status; a SUB on the client side. */
    IOPUB,
    /** Input requests from the kernel; a DEALER sharing the shell identity. */
    STDIN,
    /** Priority requests (interrupt, shutdown); a DEALER. */
    CONTROL,
    /** Liveness pings; a REQ. */
    HEARTBEAT
}
