package io.quire.desktop;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Runs a scene-graph query on the JavaFX thread and waits for its answer. A lookup from the test thread while the
 * application thread changes the scene (outputs arriving during a run) can fail inside TestFX's traversal with an
 * {@link IndexOutOfBoundsException}; queries that are polled while something runs go through here.
 */
final class FxThread {
    private FxThread() {
    }

    static <T> T call(Callable<T> query) {
        try {
            return WaitForAsyncUtils.asyncFx(query).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the query on the JavaFX thread failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the JavaFX thread did not answer a query within 10 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while querying the scene", e);
        }
    }
}
