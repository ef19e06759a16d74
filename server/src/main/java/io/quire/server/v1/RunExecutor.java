package io.quire.server.v1;

import io.quire.contents.ContentsException;
import io.quire.contents.ContentsManager;
import io.quire.kernel.KernelOwner;
import io.quire.contents.SaveRequest;
import io.quire.execution.KernelStarter;
import io.quire.execution.NotebookRunner;
import io.quire.execution.RunException;
import io.quire.execution.RunListener;
import io.quire.execution.RunRequest;
import io.quire.execution.RunResult;
import io.quire.execution.parameters.ParameterValue;
import io.quire.notebook.Notebook;
import io.quire.server.http.ApiException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes runs of whole notebooks on the server, papermill style, each on its own kernel.
 *
 * <p>Design: {@link #start} records a queued run and hands it to the executor (a virtual thread per run). That
 * thread is the run's only writer in the {@link RunRegistry}: it marks it running, follows progress, and writes the
 * final status. Every save point of the {@link NotebookRunner} writes the notebook through the
 * {@link ContentsManager} of the caller who started the run (so with that caller's permissions, in their
 * organisation), and its kernel belongs to that caller; and the final save happens before the final status is recorded, so a client that sees a
 * finished run reads a file with every output; nobody needs to stay connected. One run per file (of one tenant) at a time: a second
 * start while one is active is a 409, since two runs would overwrite each other's outputs.
 *
 * <p>{@link #cancel} sets the run's flag and calls {@link NotebookRunner#cancel()}. The runner clears its own flag
 * when {@code run} begins, so the flag is checked again in {@link RunListener#started}, which runs after that.
 */
final class RunExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(RunExecutor.class);

    private final Function<Optional<KernelOwner>, KernelStarter> kernels;
    private final RunRegistry registry;
    private final Executor executor;
    private final Clock clock;
    private final Supplier<String> ids;
    private final String version;
    private final Map<String, Active> active = new ConcurrentHashMap<>();
    private final Map<String, String> activeByPath = new ConcurrentHashMap<>();

    /**
     * What a run needs besides its file.
     *
     * @param tenant   whose run it is ({@link io.quire.server.http.RequestScope#tenant})
     * @param contents the contents of the caller who started it: outputs are saved through them, with the caller's
     *                 permissions
     * @param owner    who the run's kernel belongs to
     */
    record Plan(String tenant, ContentsManager contents, Optional<KernelOwner> owner, Notebook notebook, String kernel,
            Optional<String> language, Map<String, ParameterValue> parameters, Optional<Duration> timeout,
            Optional<Path> cwd) {
    }

    private static final class Active {
        final NotebookRunner runner;
        final ContentsManager contents;
        final String key;
        volatile boolean cancelled;

        Active(NotebookRunner runner, ContentsManager contents, String key) {
            this.runner = runner;
            this.contents = contents;
            this.key = key;
        }
    }

    RunExecutor(Function<Optional<KernelOwner>, KernelStarter> kernels, RunRegistry registry, Executor executor,
            Clock clock, Supplier<String> ids, String version) {
        this.kernels = kernels;
        this.registry = registry;
        this.executor = executor;
        this.clock = clock;
        this.ids = ids;
        this.version = version;
    }

    /**
     * Queues a run.
     *
     * @param fileId the notebook's id
     * @param path   the notebook's path
     * @param plan   what to run
     * @return the queued run
     * @throws ApiException 409 if a run of the same file is active
     */
    RunRecord start(String fileId, String path, Plan plan) {
        String id = ids.get();
        String key = plan.tenant() + "\u0000" + path;
        String other = activeByPath.putIfAbsent(key, id);
        if (other != null) {
            throw new ApiException(409, "run_in_progress", "run " + other + " of '" + path
                    + "' is still going; cancel it or wait until it finishes");
        }
        RunRecord queued = RunRecord.queued(id, plan.tenant(), fileId, path, plan.kernel(), clock.instant());
        Active handle = new Active(NotebookRunner.create(kernels.apply(plan.owner()), version),
                plan.contents(), key);
        active.put(id, handle);
        registry.put(queued);
        RunRequest request = new RunRequest(plan.notebook(), path, path, plan.parameters(), Optional.of(plan.kernel()),
                plan.language(), plan.cwd(), plan.timeout(), Duration.ofSeconds(60), false);
        try {
            executor.execute(() -> execute(queued, request, handle));
        } catch (RuntimeException e) {
            active.remove(id);
            activeByPath.remove(key, id);
            registry.put(queued.finished(RunStatus.FAILED, clock.instant(), Optional.of(new RunRecord.Failure(
                    Optional.empty(), Optional.empty(), "RunError", "the server could not start the run: " + e))));
            throw new ApiException(503, "unavailable", "the server cannot start runs now: " + e.getMessage());
        }
        return queued;
    }

    /**
     * Asks a run to stop. A finished run is left as it is.
     *
     * @param id the run's id
     * @return the run as it stands, or empty if unknown
     */
    Optional<RunRecord> cancel(String id) {
        Active handle = active.get(id);
        if (handle != null) {
            handle.cancelled = true;
            handle.runner.cancel();
        }
        return registry.find(id);
    }

    /** Cancels every active run (the server is stopping). */
    void cancelAll() {
        active.keySet().forEach(this::cancel);
    }

    private void execute(RunRecord queued, RunRequest request, Active handle) {
        RunRecord[] current = {queued};
        try {
            if (handle.cancelled) {
                current[0] = queued.finished(RunStatus.INTERRUPTED, clock.instant(), Optional.of(new RunRecord.Failure(
                        Optional.empty(), Optional.empty(), "Interrupted", "cancelled before it started")));
                return;
            }
            current[0] = queued.running(clock.instant());
            registry.put(current[0]);
            RunResult result = handle.runner.run(request, new RunListener() {
                @Override
                public void started(String kernelName, int cells) {
                    if (handle.cancelled) {
                        handle.runner.cancel();
                    }
                    current[0] = current[0].progress(0, cells);
                    registry.put(current[0]);
                }

                @Override
                public void cellFinished(int index, int total) {
                    current[0] = current[0].progress(index + 1, total);
                    registry.put(current[0]);
                }

                @Override
                public void warning(String message) {
                    LOG.info("run {} of '{}': {}", queued.id(), queued.path(), message);
                }

                @Override
                public void save(Notebook notebook, boolean last) {
                    try {
                        handle.contents.save(queued.path(), SaveRequest.notebook(notebook));
                    } catch (ContentsException e) {
                        LOG.warn("run {} could not save '{}': {}", queued.id(), queued.path(), e.getMessage());
                    }
                }
            });
            current[0] = current[0].finished(status(result.outcome()), clock.instant(), result.failure().map(
                    failure -> new RunRecord.Failure(Optional.of(failure.cellIndex()), failure.executionCount(),
                            failure.ename(), failure.evalue())));
        } catch (RunException e) {
            current[0] = current[0].finished(RunStatus.FAILED, clock.instant(), Optional.of(new RunRecord.Failure(
                    Optional.empty(), Optional.empty(), "RunError", e.getMessage())));
        } catch (RuntimeException e) {
            LOG.error("run {} of '{}' failed unexpectedly", queued.id(), queued.path(), e);
            current[0] = current[0].finished(RunStatus.FAILED, clock.instant(), Optional.of(new RunRecord.Failure(
                    Optional.empty(), Optional.empty(), "InternalError", "the server failed the run: " + e)));
        } finally {
            registry.put(current[0]);
            active.remove(queued.id());
            activeByPath.remove(handle.key, queued.id());
        }
    }

    private static RunStatus status(RunResult.Outcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> RunStatus.SUCCEEDED;
            case CELL_FAILED -> RunStatus.FAILED;
            case TIMED_OUT -> RunStatus.TIMED_OUT;
            case INTERRUPTED -> RunStatus.INTERRUPTED;
            case KERNEL_DIED -> RunStatus.KERNEL_DIED;
        };
    }
}
