package io.quire.kernel.local;

import io.quire.kernel.KernelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What the local kernels, launched or reattached, do to their processes: signal, terminate, read their log. */
final class Processes {
    private static final Logger LOG = LoggerFactory.getLogger(Processes.class);

    private Processes() {
    }

    /** Sends SIGINT to one process. */
    static void interrupt(ProcessHandle process, String kernelName) {
        if (!process.isAlive()) {
            throw new KernelException("cannot interrupt kernel " + kernelName + ": process " + process.pid()
                    + " is not running");
        }
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
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

    /**
     * Ends a process and its descendants: the tree is snapshotted first (children are re-parented, and become
     * invisible, once their parent dies), every member gets SIGTERM, and whatever is still alive after the grace
     * period gets SIGKILL. Returns once all have ended (or 5 s after the kill).
     */
    static void terminateTree(ProcessHandle root, Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
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

    /** The last lines of a kernel's log file, empty when it cannot be read. */
    static String tail(Path logFile, int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Deletes files a kernel leaves behind (connection file, log), logging what cannot be deleted. */
    static void deleteQuietly(Path... files) {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("cannot delete {}: {}", file, e.getMessage());
            }
        }
    }
}
