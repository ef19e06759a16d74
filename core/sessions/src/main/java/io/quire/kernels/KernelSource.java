package io.quire.kernels;

import io.quire.kernel.KernelSpec;
import io.quire.kernel.RunningKernel;
import io.quire.kernel.spi.LaunchRequest;

import java.time.Duration;

/**
 * How the manager launches a kernel and waits until it is ready: {@code KernelLauncher::start} (user starts and
 * warm pool refills alike).
 */
@FunctionalInterface
interface KernelSource {
    RunningKernel start(KernelSpec spec, LaunchRequest request, Duration timeout);
}
