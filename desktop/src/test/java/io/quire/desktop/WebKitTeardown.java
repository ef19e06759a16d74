package io.quire.desktop;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Ends the test JVM without JavaFX's teardown of WebKit. When the JVM exits, JavaFX's own shutdown hook stops the
 * JavaFX thread; that thread has run WebKit (the HTML outputs' web views), and WebKit's per-thread clean-up then
 * aborts the process now and then (about one module run in ten here; a core dump shows {@code abort()} called from
 * {@code libjfxwebkit.so} in the thread's thread-local destructors, after every test had finished and reported). The
 * build then fails although no test did. A shutdown hook that halts the JVM ends it before that clean-up runs.
 *
 * <p>Nothing is lost by halting: Surefire has received every result before it exits the forked JVM, and the tests
 * close their own servers and kernels. Registered through {@code META-INF/services}; see
 * docs/decisions/0042-test-jvm-halts-before-webkit-teardown.md.
 */
public final class WebKitTeardown implements LauncherSessionListener {
    private static volatile boolean registered;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!registered) {
            registered = true;
            Runtime.getRuntime().addShutdownHook(
                    new Thread(() -> Runtime.getRuntime().halt(0), "quire-test-halt-before-webkit-teardown"));
        }
    }
}
