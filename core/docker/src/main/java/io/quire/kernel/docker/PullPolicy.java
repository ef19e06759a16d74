package io.quire.kernel.docker;

/** When the Docker provisioner pulls a kernel image from a registry. */
public enum PullPolicy {
    /** Never pull: a missing image fails the launch with instructions to build it (the default). */
    NEVER,
    /** Pull only when the image is not present locally. */
    IF_MISSING,
    /** Pull before every launch (picks up a moved tag). */
    ALWAYS
}
