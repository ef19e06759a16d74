package io.quire.kernel;

import io.quire.kernel.spi.KernelExit;
import io.quire.kernel.spi.KernelProvisioner;
import io.quire.kernel.spi.LaunchRequest;
import io.quire.kernel.spi.ProvisionedKernel;
import io.quire.testing.FakeKernel;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A provisioner whose "processes" are FakeKernels, for testing the launcher without real processes. */
final class FakeProvisioner implements KernelProvisioner {
    final List<FakeKernel> launched = new CopyOnWriteArrayList<>();
    final AtomicInteger signals = new AtomicInteger();

    FakeKernel current() {
        return launched.getLast();
    }

    @Override
    public ProvisionedKernel launch(KernelSpec spec, LaunchRequest request) {
        FakeKernel.Builder builder = FakeKernel.builder();
        request.connectionInfo().ifPresent(info -> builder.key(info.key())
                .ports(info.shellPort(), info.iopubPort(), info.stdinPort(), info.controlPort(), info.hbPort()));
        FakeKernel fake = builder.start();
        launched.add(fake);
        ConnectionInfo info = ConnectionInfo.parse(fake.connectionFileJson()).withKernelName(spec.name());
        return new ProvisionedKernel() {
            private volatile boolean requested;
            private final CompletableFuture<KernelExit> exit = fake.terminated()
                    .thenApply(ignored -> new KernelExit(OptionalInt.empty(), requested, "fake kernel stopped"));

            @Override
            public ConnectionInfo connectionInfo() {
                return info;
            }

            @Override
            public boolean isAlive() {
                return fake.isAlive();
            }

            @Override
            public CompletableFuture<KernelExit> exit() {
                return exit.copy();
            }

            @Override
            public void sendInterruptSignal() {
                signals.incrementAndGet();
            }

            @Override
            public void terminate(Duration grace) {
                requested = true;
                fake.close();
                exit.join();
            }
        };
    }
}
