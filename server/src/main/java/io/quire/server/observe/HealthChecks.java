package io.quire.server.observe;

import io.quire.kernel.EngineHealth;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.Supplier;

/** The readiness checks of Quire's own dependencies. */
public final class HealthChecks {
    private HealthChecks() {
    }

    /**
     * Checks that the contents root of the filesystem backend is a folder Quire can list and write to. Writability is
     * asked of the operating system ({@link Files#isWritable}); no probe file is created, so clients listing the root
     * never see one. The details do not name the folder.
     *
     * @param root the contents root
     * @return the check
     */
    public static HealthCheck contentsRoot(Path root) {
        return contentsRoot(root, Files::isWritable);
    }

    /** As {@link #contentsRoot(Path)}, with the writability test given (a test cannot make a folder unwritable to root). */
    static HealthCheck contentsRoot(Path root, java.util.function.Predicate<Path> writable) {
        Objects.requireNonNull(root, "root");
        return () -> {
            if (!Files.isDirectory(root)) {
                return HealthCheck.Result.down("the contents root is not a folder (any more)");
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
                Iterator<Path> iterator = entries.iterator();
                if (iterator.hasNext()) {
                    iterator.next();
                }
            } catch (IOException | SecurityException e) {
                return HealthCheck.Result.down("the contents root cannot be listed: " + e.getClass().getSimpleName());
            }
            if (!writable.test(root)) {
                return HealthCheck.Result.down("the contents root is not writable");
            }
            return HealthCheck.Result.up("the contents root is readable and writable");
        };
    }

    /**
     * Checks that the kernel manager answers: {@code list} returns (within the deadline {@link HealthService}
     * enforces) without failing.
     *
     * @param list lists the kernels, such as {@code kernelManager::list}
     * @return the check
     */
    public static HealthCheck kernels(Supplier<? extends Collection<?>> list) {
        Objects.requireNonNull(list, "list");
        return () -> {
            int count = list.get().size();
            String kernels = count == 1 ? "1 kernel" : count + " kernels";
            return HealthCheck.Result.up("the kernel manager answers; " + kernels);
        };
    }

    /**
     * Checks the engine kernels run on (e.g. that the Docker engine answers a ping).
     *
     * @param health asks the engine, such as {@code kernelManager::health}
     * @return the check
     */
    public static HealthCheck kernelEngine(Supplier<EngineHealth> health) {
        Objects.requireNonNull(health, "health");
        return () -> {
            EngineHealth answer = health.get();
            return answer.healthy() ? HealthCheck.Result.up(answer.detail()) : HealthCheck.Result.down(answer.detail());
        };
    }
}
