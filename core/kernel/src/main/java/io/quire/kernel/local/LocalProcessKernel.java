package io.quire.kernel.local;

import io.quire.kernel.ConnectionInfo;
import io.quire.kernel.KernelException;
import io.quire.kernel.spi.KernelExit;
import io.quire.kernel.spi.ProvisionedKernel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
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
 */
final class LocalProcessKernel implements ProvisionedKernel {
    private static final Logger LOG = LoggerFactory.getLogger(LocalProcessKernel.class);
    private static final int STDERR_TAIL = 20;

    private final Process process;
    private final ConnectionInfo info;
    private final Path connectionFile;
    private final Logger output;
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final CompletableFuture<KernelExit> exit = new CompletableFuture<>();
    private final CompletableFuture<Void> stdoutDone = new CompletableFuture<>();
    private final CompletableFuture<Void> stderrDone = new CompletableFuture<>();
    private volatile boolean requested;

    LocalProcessKernel(Process process, ConnectionInfo info, Path connectionFile, String specName) {
        this.process = process;
        this.info = info;
        this.connectionFile = connectionFile;
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
        deleteConnectionFile();
        ProcessReaper.unregister(this);
        int code = process.exitValue();
        String tail;
        synchronized (stderrTail) {
            tail = String.join("\n", stderrTail);
        }
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
        if (!process.isAlive()) {
            throw new KernelException("cannot interrupt kernel " + info.kernelName() + ": process " + process.pid()
                    + " is not running");
        }
        if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
            throw new KernelException("SIGINT cannot be sent on Windows; use a kernel spec with interrupt_mode message");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            String message = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new KernelException("kill -INT " + process.pid() + " failed: " + message);
            }
        } catch (IOException e) {
            throw new KernelException("cannot run kill -INT " + process.pid() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException("interrupted while signalling kernel process " + process.pid(), e);
        }
    }

    @Override
    public void terminate(Duration grace) {
        requested = true;
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle handle : tree) {
            awaitExit(handle, Math.max(0, deadline - System.nanoTime()));
        }
        for (ProcessHandle handle : tree) {
            if (handle.isAlive()) {
                LOG.info("kernel process {} did not stop within {}; killing it", handle.pid(), grace);
                handle.destroyForcibly();
            }
        }
        for (ProcessHandle handle : tree) {
            awaitExit(handle, TimeUnit.SECONDS.toNanos(5));
        }
        try {
            exit.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("kernel process {} exit was not observed after kill", process.pid());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteConnectionFile();
    }

    /** Kills the tree at once, without waiting; for the JVM shutdown hook. */
    void killNow() {
        requested = true;
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        deleteConnectionFile();
    }

    private static void awaitExit(ProcessHandle handle, long nanos) {
        try {
            handle.onExit().get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still alive; the caller escalates
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deleteConnectionFile() {
        try {
            Files.deleteIfExists(connectionFile);
        } catch (IOException e) {
            LOG.warn("cannot delete connection file {}: {}", connectionFile, e.getMessage());
        }
    }
}
