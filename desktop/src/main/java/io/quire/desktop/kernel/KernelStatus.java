package io.quire.desktop.kernel;

/** The kernel state the toolbar shows. */
public enum KernelStatus {
    /** No kernel yet: one starts on the first run. */
    NONE,
    /** Being launched. */
    STARTING,
    /** Ready. */
    IDLE,
    /** Running something. */
    BUSY,
    /** Being restarted. */
    RESTARTING,
    /** Died, or could not be started (see the reason). */
    DEAD,
    /** The live connection to the kernel dropped. */
    DISCONNECTED;

    static KernelStatus fromExecutionState(String state) {
        return switch (state) {
            case "starting" -> STARTING;
            case "idle" -> IDLE;
            case "busy" -> BUSY;
            case "restarting" -> RESTARTING;
            case "dead" -> DEAD;
            default -> IDLE;
        };
    }
}
