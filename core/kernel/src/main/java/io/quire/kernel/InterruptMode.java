package io.quire.kernel;

/** How a kernel wants to be interrupted ({@code interrupt_mode} in {@code kernel.json}). */
public enum InterruptMode {
    /** Send SIGINT to the kernel process (the default). */
    SIGNAL,
    /** Send {@code interrupt_request} on the control channel. */
    MESSAGE
}
