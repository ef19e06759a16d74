package io.quire.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Handles Ctrl-C (SIGINT) without shutting the JVM down, so that a run can interrupt its kernel, write what has run
 * and shut the kernel down in order. A second Ctrl-C exits at once (the kernel module's shutdown hooks still kill
 * the kernel processes).
 *
 * <p>The JDK's only SIGINT hook is {@code sun.misc.Signal} (module {@code jdk.unsupported}, exported for exactly
 * this use). It is reached reflectively so that the build stays free of proprietary-API warnings; where it is not
 * available {@link #install} returns false and the caller falls back to a shutdown hook.
 */
final class InterruptSignal {
    private InterruptSignal() {
    }

    /**
     * Installs the handler.
     *
     * @param onFirst called on the first Ctrl-C
     * @param exitCode the exit code on the second Ctrl-C
     * @return whether the handler is installed
     */
    static boolean install(Runnable onFirst, int exitCode) {
        AtomicInteger count = new AtomicInteger();
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance("INT");
            Object handler = Proxy.newProxyInstance(InterruptSignal.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            if (count.incrementAndGet() == 1) {
                                onFirst.run();
                            } else {
                                Runtime.getRuntime().halt(exitCode);
                            }
                            return null;
                        }
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "quire-sigint-handler";
                        };
                    });
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            handle.invoke(null, signal, handler);
            return true;
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
                 | InvocationTargetException | IllegalArgumentException e) {
            return false;
        }
    }
}
