package io.quire.desktop;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Lets the test JVM exit without JavaFX's teardown of WebKit. JavaFX and WebKit register JVM shutdown hooks (the
 * toolkit's, which stops the JavaFX thread, and WebKit's, which tells WebKit it is shutting down). When Surefire exits
 * the forked JVM after the last test, those hooks now and then make WebKit abort the process: a core dump shows
 * {@code abort()} called from {@code libjfxwebkit.so} in an exiting thread's thread-local destructors, while the JVM
 * runs its shutdown hooks, after every test had finished and reported. The build then fails although no test did.
 *
 * <p>Once every test has run, this listener removes the application's shutdown hooks, so the JVM exits without them.
 * Nothing is lost: the tests close their own servers, kernels and files, and Surefire has its results before it exits
 * the JVM (and still decides the exit status). Registered through {@code META-INF/services}; reading the hooks needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} (the module's Surefire {@code argLine}). See
 * docs/decisions/0042-test-jvm-exits-without-webkit-teardown.md.
 */
public final class WebKitTeardown implements LauncherSessionListener {
    @Override
    public void launcherSessionClosed(LauncherSession session) {
        List<Thread> hooks;
        try {
            Class<?> registry = Class.forName("java.lang.ApplicationShutdownHooks");
            Field field = registry.getDeclaredField("hooks");
            field.setAccessible(true);
            synchronized (registry) {
                Map<?, ?> registered = (Map<?, ?>) field.get(null);
                hooks = registered == null ? List.of() : registered.keySet().stream().map(Thread.class::cast).toList();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("WebKitTeardown: cannot read the JVM's shutdown hooks (" + e
                    + "); JavaFX's teardown of WebKit will run at exit");
            return;
        }
        for (Thread hook : hooks) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                return; // the JVM is exiting already
            }
        }
    }
}
