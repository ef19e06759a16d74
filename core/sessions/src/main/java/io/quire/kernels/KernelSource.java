package io.quire.kernels;

import io.quire.kernel.KernelSpec;
import io.quire.kernel.RunningKernel;
import io.quire.kernel.spi.LaunchRequest;

import java.time.Duration;

/**
 * Where the manager gets a ready kernel from: today {@code KernelLauncher::start}; a warm pool would hand
 * out a pre-started kernel of the spec instead and refill itself in the background.
 */
@FunctionalInterface
interface KernelSource {
    RunningKernel start(KernelSpec spec, LaunchRequest request, Duration timeout);
}
