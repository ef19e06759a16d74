package io.quire.kernels;

import io.quire.kernel.KernelException;

import java.io.Serial;

/** No managed kernel has the given id (never started, shut down, or its start failed). */
public class KernelNotFoundException extends KernelException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String kernelId;

    /**
     * @param kernelId the unknown id
     */
    public KernelNotFoundException(String kernelId) {
        super("no kernel with id '" + kernelId + "'");
        this.kernelId = kernelId;
    }

    /** @return the unknown id */
    public String kernelId() {
        return kernelId;
    }
}
