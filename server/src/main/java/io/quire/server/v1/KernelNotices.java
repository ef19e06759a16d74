package io.quire.server.v1;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Who must hear about kernel lifecycle changes the v1 API makes (a session restarted or deleted): the kernel channels
 * WebSocket, which tells its clients ({@code status: restarting}, closing the sockets of a kernel that is gone), as
 * {@code /api/kernels} and {@code /api/sessions} do. Implementations must not block for long.
 */
public interface KernelNotices {

    /**
     * A kernel is about to be restarted.
     *
     * @param kernelId the kernel's id
     */
    void restarting(String kernelId);

    /**
     * A kernel was restarted (successfully or not).
     *
     * @param kernelId the kernel's id
     */
    void restarted(String kernelId);

    /**
     * A kernel was shut down.
     *
     * @param kernelId the kernel's id
     */
    void shutDown(String kernelId);

    /**
     * Notices nobody hears (a server without WebSockets).
     *
     * @return the no-op notices
     */
    static KernelNotices none() {
        return of(id -> { }, id -> { }, id -> { });
    }

    /**
     * Notices from three callbacks.
     *
     * @param restarting called before a restart
     * @param restarted  called after a restart
     * @param shutDown   called after a shutdown
     * @return the notices
     */
    static KernelNotices of(Consumer<String> restarting, Consumer<String> restarted, Consumer<String> shutDown) {
        Objects.requireNonNull(restarting, "restarting");
        Objects.requireNonNull(restarted, "restarted");
        Objects.requireNonNull(shutDown, "shutDown");
        return new KernelNotices() {
            @Override
            public void restarting(String kernelId) {
                restarting.accept(kernelId);
            }

            @Override
            public void restarted(String kernelId) {
                restarted.accept(kernelId);
            }

            @Override
            public void shutDown(String kernelId) {
                shutDown.accept(kernelId);
            }
        };
    }
}
