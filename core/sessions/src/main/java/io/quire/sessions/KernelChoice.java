package io.quire.sessions;

import java.util.Objects;

/** Which kernel a session gets: a new one of a spec, the default spec, or one already running. */
public sealed interface KernelChoice {

    /**
     * @param specName a kernel spec name
     * @return a new kernel of that spec
     */
    static KernelChoice named(String specName) {
        return new Named(specName);
    }

    /**
     * @param kernelId the id of a running kernel
     * @return that kernel, shared with whoever else uses it
     */
    static KernelChoice existing(String kernelId) {
        return new Existing(kernelId);
    }

    /** @return a new kernel of the kernel manager's default spec */
    static KernelChoice defaultSpec() {
        return new DefaultSpec();
    }

    /**
     * Start a new kernel of a spec.
     *
     * @param specName the spec name
     */
    record Named(String specName) implements KernelChoice {
        /** Rejects blank names. */
        public Named {
            if (specName == null || specName.isBlank()) {
                throw new IllegalArgumentException("kernel spec name must not be blank but was '" + specName + "'");
            }
        }
    }

    /**
     * Use a running kernel.
     *
     * @param kernelId its id
     */
    record Existing(String kernelId) implements KernelChoice {
        /** Rejects null. */
        public Existing {
            Objects.requireNonNull(kernelId, "kernelId");
        }
    }

    /** Start a new kernel of the default spec. */
    record DefaultSpec() implements KernelChoice {
    }
}
