package io.quire.kernels;

/**
 * One attached client connection (e.g. a {@code /api/kernels/{id}/channels} WebSocket), counted in
 * {@link ManagedKernelInfo#connections()} until closed.
 */
public interface KernelConnection extends AutoCloseable {
    /** @return the id of the kernel this connection is attached to */
    String kernelId();

    /** Detaches the connection; calling it again has no effect. */
    @Override
    void close();
}
