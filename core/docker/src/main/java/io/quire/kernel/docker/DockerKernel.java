package io.quire.kernel.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.WaitResponse;
import io.quire.kernel.ConnectionInfo;
import io.quire.kernel.KernelException;
import io.quire.kernel.spi.KernelExit;
import io.quire.kernel.spi.ProvisionedKernel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/*
 * One kernel container.
 *
 * Death: a long-poll on Docker's wait endpoint (one HTTP connection per kernel, idle until the container stops)
 * ends the moment the container exits. A virtual thread then inspects it (exit code, OOMKilled), reads the tail of
 * its log for the reason, removes the container and its connection file, and completes the exit future once. If the
 * wait connection breaks while the container still runs (engine restart), the watch is re-armed after a second.
 *
 * Termination: `docker stop` (SIGTERM to the image's init, which forwards it; SIGKILL after the grace period), then the
 * watcher's removal is awaited; a forced remove covers a watcher that never reported. A JVM shutdown hook force-removes
 * the containers of kernels still alive.
 */
final class DockerKernel implements ProvisionedKernel {
    private static final Logger LOG = LoggerFactory.getLogger(DockerKernel.class);
    private static final int LOG_TAIL = 20;
    private static final Set<DockerKernel> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK = new AtomicBoolean();

    private final DockerKernelProvisioner provisioner;
    private final DockerClient docker;
    private final String containerId;
    private final String containerName;
    private final ConnectionInfo info;
    private final Path connectionFile;
    private final HardwareSize size;
    private final String specName;
    private final CompletableFuture<KernelExit> exit = new CompletableFuture<>();
    private final AtomicBoolean ending = new AtomicBoolean();
    private volatile boolean requested;

    DockerKernel(DockerKernelProvisioner provisioner, DockerClient docker, String containerId, String containerName,
                 ConnectionInfo info, Path connectionFile, HardwareSize size, String specName) {
        this.provisioner = provisioner;
        this.docker = docker;
        this.containerId = containerId;
        this.containerName = containerName;
        this.info = info;
        this.connectionFile = connectionFile;
        this.size = size;
        this.specName = specName;
        LIVE.add(this);
    }

    static void installShutdownHook() {
        if (HOOK.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("quire-docker-kernel-reaper").unstarted(() -> {
                for (DockerKernel kernel : LIVE) {
                    kernel.removeNow();
                }
            }));
        }
    }

    String containerId() {
        return containerId;
    }

    String containerName() {
        return containerName;
    }

    Path connectionFile() {
        return connectionFile;
    }

    /** Arms the death watch; called once the container was started. */
    void watch() {
        docker.waitContainerCmd(containerId).exec(new ResultCallback.Adapter<WaitResponse>() {
            private final AtomicBoolean reported = new AtomicBoolean();

            @Override
            public void onComplete() {
                super.onComplete();
                if (reported.compareAndSet(false, true)) {
                    Thread.ofVirtual().name("kernel-exit-" + containerName).start(DockerKernel.this::onContainerStopped);
                }
            }

            @Override
            public void onError(Throwable error) {
                if (reported.compareAndSet(false, true)) {
                    LOG.debug("wait on kernel container {} ended with {}", containerName, error.toString());
                    Thread.ofVirtual().name("kernel-exit-" + containerName).start(DockerKernel.this::onContainerStopped);
                }
                super.onError(error);
            }
        });
    }

    private void onContainerStopped() {
        if (exit.isDone()) {
            return;
        }
        OptionalInt code = OptionalInt.empty();
        String reason;
        try {
            InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(containerId).exec().getState();
            if (Boolean.TRUE.equals(state.getRunning())) {
                if (!ending.get()) {
                    // the wait connection broke, not the kernel: watch again after a pause
                    LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                    watch();
                }
                return;
            }
            Long exitCode = state.getExitCodeLong();
            if (exitCode != null) {
                code = OptionalInt.of(exitCode.intValue());
            }
            boolean oom = Boolean.TRUE.equals(state.getOOMKilled());
            StringBuilder text = new StringBuilder();
            if (oom) {
                text.append("out of memory (limit ").append(size.memoryText()).append("); ");
            }
            text.append("container ").append(containerName).append(" exited with code ")
                    .append(exitCode == null ? "?" : exitCode.toString());
            if (state.getError() != null && !state.getError().isBlank()) {
                text.append(" (").append(state.getError()).append(')');
            }
            String tail = requested ? "" : logTail();
            if (!tail.isBlank()) {
                text.append("; last output:\n").append(tail);
            }
            reason = text.toString();
        } catch (NotFoundException e) {
            reason = "container " + containerName + " was removed";
        } catch (RuntimeException e) {
            reason = "container " + containerName + " ended; its state cannot be read: " + e.getMessage();
        }
        finish(new KernelExit(code, requested, reason));
    }

    private void finish(KernelExit result) {
        remove();
        DockerKernelProvisioner.deleteQuietly(connectionFile);
        LIVE.remove(this);
        provisioner.forget(this);
        boolean crashed = !result.requested()
                && (result.exitCode().orElse(-1) != 0 || result.reason().startsWith("out of memory"));
        if (crashed) {
            LOG.warn("kernel {} died: {}", specName, result.reason());
        } else {
            LOG.debug("kernel {} ended: {}", specName, result.reason());
        }
        exit.complete(result);
    }

    private String logTail() {
        StringBuilder out = new StringBuilder();
        try {
            boolean done = docker.logContainerCmd(containerId)
                    .withStdOut(true)
                    .withStdErr(true)
                    .withTail(LOG_TAIL)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            synchronized (out) {
                                out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                            }
                        }
                    })
                    .awaitCompletion(5, TimeUnit.SECONDS);
            if (!done) {
                LOG.debug("log tail of {} incomplete after 5 s", containerName);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("cannot read the log of {}: {}", containerName, e.getMessage());
        }
        synchronized (out) {
            return out.toString().strip();
        }
    }

    private void remove() {
        try {
            docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (ConflictException e) {
            // removal already in progress
            LOG.debug("removal of {} already in progress", containerName);
        } catch (RuntimeException e) {
            LOG.warn("cannot remove kernel container {}: {}", containerName, e.getMessage());
        }
    }

    private void removeNow() {
        requested = true;
        ending.set(true);
        remove();
        DockerKernelProvisioner.deleteQuietly(connectionFile);
    }

    @Override
    public ConnectionInfo connectionInfo() {
        return info;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public CompletableFuture<KernelExit> exit() {
        return exit.copy();
    }

    @Override
    public void sendInterruptSignal() {
        if (exit.isDone()) {
            throw new KernelException("cannot interrupt kernel " + specName + ": container " + containerName
                    + " is not running");
        }
        try {
            docker.killContainerCmd(containerId).withSignal("SIGINT").exec();
        } catch (NotFoundException | ConflictException e) {
            throw new KernelException("cannot interrupt kernel " + specName + ": container " + containerName
                    + " is not running (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new KernelException("cannot send SIGINT to container " + containerName + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void terminate(Duration grace) {
        requested = true;
        ending.set(true);
        if (!exit.isDone()) {
            int seconds = (int) Math.min(Integer.MAX_VALUE, (grace.toMillis() + 999) / 1000);
            try {
                docker.stopContainerCmd(containerId).withTimeout(seconds).exec();
            } catch (NotFoundException | NotModifiedException e) {
                // already stopped or gone: the watcher reports it
            } catch (RuntimeException e) {
                LOG.warn("cannot stop kernel container {}: {}", containerName, e.getMessage());
            }
            try {
                exit.get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                LOG.warn("exit of kernel container {} was not observed after stop; removing it", containerName);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!exit.isDone()) {
            finish(new KernelExit(OptionalInt.empty(), true, "container " + containerName + " removed"));
        }
    }
}
