package io.quire.kernel.local;

import io.quire.kernel.ConnectionInfo;
import io.quire.kernel.spi.KernelExit;
import io.quire.kernel.spi.ProvisionedKernel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/*
 * A local kernel launched (detached) by an earlier process and found again from its locator. It is usually not a
 * child of this JVM, so there is no Process object: the ProcessHandle gives liveness and the exit (the JDK polls
 * non-children), but not the exit code; the crash report takes the last lines of the kernel's log file. Signals and
 * termination are those of a launched kernel. It keeps its locator, so it can be released again.
 */
final class AdoptedProcessKernel implements ProvisionedKernel {
    private static final Logger LOG = LoggerFactory.getLogger(AdoptedProcessKernel.class);
    private static final int LOG_TAIL = 20;

    private final ProcessHandle process;
    private final ConnectionInfo info;
    private final LocalLocator locator;
    private final CompletableFuture<KernelExit> exit;
    private volatile boolean requested;

    AdoptedProcessKernel(ProcessHandle process, ConnectionInfo info, LocalLocator locator) {
        this.process = process;
        this.info = info;
        this.locator = locator;
        this.exit = process.onExit().thenApply(ended -> ended());
    }

    private KernelExit ended() {
        String tail = Processes.tail(locator.logFile(), LOG_TAIL);
        Processes.deleteQuietly(locator.connectionFile(), locator.logFile());
        String reason = "process " + process.pid() + " exited" + (tail.isBlank() ? "" : "; last output:\n" + tail);
        if (requested) {
            LOG.debug("kernel {} ended: {}", info.kernelName(), reason);
        } else {
            LOG.warn("kernel {} died: {}", info.kernelName(), reason);
        }
        return new KernelExit(OptionalInt.empty(), requested, reason);
    }

    @Override
    public ConnectionInfo connectionInfo() {
        return info;
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public CompletableFuture<KernelExit> exit() {
        return exit.copy();
    }

    @Override
    public void sendInterruptSignal() {
        Processes.interrupt(process, info.kernelName());
    }

    @Override
    public void terminate(Duration grace) {
        requested = true;
        Processes.terminateTree(process, grace);
        try {
            exit.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("kernel process {} exit was not observed after kill", process.pid());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Processes.deleteQuietly(locator.connectionFile(), locator.logFile());
    }

    @Override
    public Optional<String> locator() {
        return Optional.of(locator.format());
    }
}
