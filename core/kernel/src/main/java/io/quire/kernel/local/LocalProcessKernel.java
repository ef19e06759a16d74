package io.quire.kernel.local;

import io.quire.kernel.ConnectionInfo;
import io.quire.kernel.spi.KernelExit;
import io.quire.kernel.spi.ProvisionedKernel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/*
 * One kernel running as a local child process.
 *
 * Output: stdout and stderr are pumped line by line by two virtual threads into the logger
 * "io.quire.kernel.local.output.<spec>" (stdout at DEBUG, stderr at INFO); the last stderr lines are kept
 * so that a crash report says why (e.g. "Address already in use").
 *
 * Death: Process.onExit fires as soon as the OS reaps the child; the exit future then completes once the
 * pumps have drained (bounded wait), the connection file is deleted and the kernel leaves the reaper.
 *
 * Termination: the process tree is snapshotted first (children are re-parented, and become invisible,
 * once their parent dies), every member gets SIGTERM, and whatever is still alive after the grace period
 * gets SIGKILL.
 *
 * Detached kernels (launched to outlive the JVM, with a locator): their output goes to a log file rather than
 * to pipes this JVM reads (pipes would break when it exits), so the crash report takes its last lines from
 * that file; the log file is deleted with the connection file.
 */
final class LocalProcessKernel implements ProvisionedKernel {
    private static final Logger LOG = LoggerFactory.getLogger(LocalProcessKernel.class);
    private static final int STDERR_TAIL = 20;

    private final Process process;
    private final ConnectionInfo info;
    private final Path connectionFile;
    private final Optional<LocalLocator> locator;
    private final Logger output;
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final CompletableFuture<KernelExit> exit = new CompletableFuture<>();
    private final CompletableFuture<Void> stdoutDone = new CompletableFuture<>();
    private final CompletableFuture<Void> stderrDone = new CompletableFuture<>();
    private volatile boolean requested;

    /**
     * @param locator present for a detached kernel (its output goes to the locator's log file)
     */
    LocalProcessKernel(Process process, ConnectionInfo info, Path connectionFile, String specName,
                       Optional<LocalLocator> locator) {
        this.process = process;
        this.info = info;
        this.connectionFile = connectionFile;
        this.locator = locator;
        this.output = LoggerFactory.getLogger("io.quire.kernel.local.output." + specName);
        Thread.ofVirtual().name("kernel-stdout-" + process.pid()).start(() -> pump(process.getInputStream(), false, stdoutDone));
        Thread.ofVirtual().name("kernel-stderr-" + process.pid()).start(() -> pump(process.getErrorStream(), true, stderrDone));
        process.onExit().thenRun(this::onExit);
    }

    private void pump(InputStream stream, boolean stderr, CompletableFuture<Void> done) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (stderr) {
                    output.info("[pid {}] {}", process.pid(), line);
                    synchronized (stderrTail) {
                        stderrTail.addLast(line);
                        if (stderrTail.size() > STDERR_TAIL) {
                            stderrTail.removeFirst();
                        }
                    }
                } else {
                    output.debug("[pid {}] {}", process.pid(), line);
                }
            }
        } catch (IOException e) {
            // the stream closes when the process dies
        } finally {
            done.complete(null);
        }
    }

    private void onExit() {
        try {
            CompletableFuture.allOf(stdoutDone, stderrDone).get(2, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // a grandchild may still hold the pipes open; report what we have
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ProcessReaper.unregister(this);
        int code = process.exitValue();
        String tail;
        synchronized (stderrTail) {
            tail = String.join("\n", stderrTail);
        }
        if (locator.isPresent()) {
            tail = Processes.tail(locator.get().logFile(), STDERR_TAIL);
        }
        deleteConnectionFile();
        String reason = "process " + process.pid() + " exited with code " + code
                + (tail.isBlank() ? "" : "; last stderr:\n" + tail);
        if (!requested && code != 0) {
            LOG.warn("kernel {} died: {}", info.kernelName(), reason);
        } else {
            LOG.debug("kernel {} ended: {}", info.kernelName(), reason);
        }
        exit.complete(new KernelExit(OptionalInt.of(code), requested, reason));
    }

    long pid() {
        return process.pid();
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
        Processes.interrupt(process.toHandle(), info.kernelName());
    }

    @Override
    public void terminate(Duration grace) {
        requested = true;
        Processes.terminateTree(process.toHandle(), grace);
        try {
            exit.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("kernel process {} exit was not observed after kill", process.pid());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteConnectionFile();
    }

    @Override
    public Optional<String> locator() {
        return locator.map(LocalLocator::format);
    }

    /** Kills the tree at once, without waiting; for the JVM shutdown hook. */
    void killNow() {
        requested = true;
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        deleteConnectionFile();
    }

    private void deleteConnectionFile() {
        Processes.deleteQuietly(connectionFile);
        locator.ifPresent(detached -> Processes.deleteQuietly(detached.logFile()));
    }
}
